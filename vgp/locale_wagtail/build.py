#!/usr/bin/env python3
"""Build VGP's Vietnamese catalogues of Wagtail's admin strings.

Standard library only (no polib). Steps:

1. Collect the English catalogues that Wagtail ships
   (``wagtail/<package>/locale/en/LC_MESSAGES/{django,djangojs}.po``) for the packages
   listed in ``PACKAGES`` and merge them per domain, deduplicating identical
   ``(msgctxt, msgid)`` pairs.
2. Seed translations from Wagtail's own ``vi`` catalogues (non-fuzzy entries whose
   ``msgid``/``msgid_plural`` still match), then apply ours from ``translations/*.json``
   (files are read in name order; a later file wins). Each JSON file is either

   * a dict ``{"msgid": "msgstr", ...}``; a key with context is written
     ``"msgctxt\\u0004msgid"`` (gettext's own convention), or
   * a list of objects ``{"msgctxt": opt, "msgid": ..., "msgid_plural": opt, "msgstr": ...}``.

   For plural entries ``msgstr`` is the single Vietnamese form (``nplurals=1``), as a
   string or a one-element list.
3. Write ``vi/LC_MESSAGES/{django,djangojs}.po`` and compile them with
   ``msgfmt --check``.

Besides Wagtail's catalogues, the django domain also takes the few strings of Django's own
``timesince`` (``DJANGO_EXTRA_MSGIDS``) that Wagtail's admin displays and that Django's vi
catalogue lacks.

Usage (from the project root)::

    .venv/bin/python vgp/locale_wagtail/build.py            # build .po + .mo
    .venv/bin/python vgp/locale_wagtail/build.py --untranslated out.json
    .venv/bin/python vgp/locale_wagtail/build.py --strict   # fail on warnings

``--untranslated`` writes every entry that no JSON file translates as a JSON skeleton in
the batch format: the value is Wagtail's own vi translation when there is one (review it),
else empty. Translate it and save it as the next ``translations/NN_*.json`` batch.
``--strict`` also fails on warnings: placeholder, markup or surrounding-whitespace
mismatches, and JSON translations whose msgid no longer exists upstream.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT_DIR = HERE / "vi" / "LC_MESSAGES"
TRANSLATIONS_DIR = HERE / "translations"
CTXT_SEP = "\x04"

# (package directory relative to the wagtail package, domains to collect)
PACKAGES: list[tuple[str, tuple[str, ...]]] = [
    ("admin", ("django", "djangojs")),
    (".", ("django",)),  # wagtail/locale: the core package
    ("users", ("django",)),
    ("documents", ("django",)),
    ("images", ("django",)),
    ("snippets", ("django",)),
    ("sites", ("django",)),
    ("locales", ("django",)),
    ("contrib/settings", ("django",)),
    ("contrib/forms", ("django",)),
    ("contrib/redirects", ("django",)),
    ("embeds", ("django",)),
    ("search", ("django",)),
    ("contrib/simple_translation", ("django",)),
    ("contrib/table_block", ("django",)),
    ("contrib/typed_table_block", ("django",)),
]
DOMAINS = ("django", "djangojs")

# A few of Django's own strings that Wagtail's admin shows and Django's vi catalogue lacks:
# ``timesince`` ("5 minutes ago", "Last login" column...). Wagtail compares the output with
# its own "0 minutes" to print "just now", so both must be translated alike.
DJANGO_EXTRA_MSGIDS = {
    "%(num)d year",
    "%(num)d month",
    "%(num)d week",
    "%(num)d day",
    "%(num)d hour",
    "%(num)d minute",
}


def package_dir(name: str) -> Path:
    """Locate an installed package without importing it (no Django settings needed)."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        sys.exit(f"{name} is not importable; run with the project's virtualenv python")
    return Path(next(iter(spec.submodule_search_locations)))


def wagtail_dir() -> Path:
    return package_dir("wagtail")


def wagtail_version() -> str:
    init = (wagtail_dir() / "__init__.py").read_text(encoding="utf-8")
    match = re.search(r"^VERSION\s*=\s*\((\d+),\s*(\d+),\s*(\d+)", init, re.M)
    return ".".join(match.groups()) if match else "unknown"


# --- PO parsing --------------------------------------------------------------------------


@dataclass
class Entry:
    msgid: str
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: list[str] = field(default_factory=lambda: [""])
    references: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    extracted: list[str] = field(default_factory=list)

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.msgid)

    @property
    def translated(self) -> bool:
        return all(self.msgstr) and "fuzzy" not in self.flags


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b"}


def unquote(token: str) -> str:
    token = token.strip()
    if not (token.startswith('"') and token.endswith('"')):
        raise ValueError(f"not a PO string: {token!r}")
    body = token[1:-1]
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), "\\" + m.group(1)), body)


def parse_po(text: str) -> list[Entry]:
    """Parse PO text into entries (obsolete ``#~`` entries are dropped)."""
    entries: list[Entry] = []
    fields: dict[str, str] = {}
    comments: dict[str, list[str]] = {"refs": [], "flags": [], "extracted": []}
    current: str | None = None

    def flush() -> None:
        nonlocal fields, comments, current
        if "msgid" in fields:
            plural = "msgid_plural" in fields
            if plural:
                n = 1 + max([int(k[7:-1]) for k in fields if k.startswith("msgstr[")], default=0)
                msgstr = [fields.get(f"msgstr[{i}]", "") for i in range(n)]
            else:
                msgstr = [fields.get("msgstr", "")]
            entries.append(
                Entry(
                    msgid=fields["msgid"],
                    msgctxt=fields.get("msgctxt"),
                    msgid_plural=fields.get("msgid_plural"),
                    msgstr=msgstr,
                    references=comments["refs"],
                    flags=comments["flags"],
                    extracted=comments["extracted"],
                )
            )
        fields = {}
        comments = {"refs": [], "flags": [], "extracted": []}
        current = None

    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            flush()
            continue
        if line.startswith(("#~", "#|")):
            continue
        if line.startswith("#"):
            if "msgid" in fields:  # a comment starts the next entry
                flush()
            if line.startswith("#:"):
                comments["refs"].extend(line[2:].split())
            elif line.startswith("#,"):
                comments["flags"].extend(f.strip() for f in line[2:].split(",") if f.strip())
            elif line.startswith("#."):
                comments["extracted"].append(line[2:].strip())
            continue
        match = re.match(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(\".*\")$", line)
        if match:
            keyword, value = match.groups()
            translated_already = any(k.startswith("msgstr") for k in fields)
            if keyword in fields or (keyword in ("msgctxt", "msgid") and translated_already):
                flush()  # a new entry starts without a blank line before it
            current = keyword
            fields[keyword] = unquote(value)
        elif line.startswith('"') and current:
            fields[current] += unquote(line)
        else:
            raise ValueError(f"unparseable PO line: {raw!r}")
    flush()
    return entries


# --- PO writing --------------------------------------------------------------------------


def quote(value: str) -> str:
    value = (
        value.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t").replace("\r", "\\r")
    )
    return '"' + value.replace("\n", "\\n") + '"'


def po_string(keyword: str, value: str) -> str:
    lines = value.splitlines(keepends=True)
    if len(lines) <= 1 and len(value) < 70:
        return f"{keyword} {quote(value)}"
    return "\n".join([f'{keyword} ""', *(quote(line) for line in lines)])


def format_entry(entry: Entry) -> str:
    out: list[str] = [f"#. {c}" for c in entry.extracted]
    refs = entry.references
    for i in range(0, len(refs), 3):
        out.append("#: " + " ".join(refs[i : i + 3]))
    if entry.flags:
        out.append("#, " + ", ".join(entry.flags))
    if entry.msgctxt is not None:
        out.append(po_string("msgctxt", entry.msgctxt))
    out.append(po_string("msgid", entry.msgid))
    if entry.msgid_plural is not None:
        out.append(po_string("msgid_plural", entry.msgid_plural))
        for i, value in enumerate(entry.msgstr):
            out.append(po_string(f"msgstr[{i}]", value))
    else:
        out.append(po_string("msgstr", entry.msgstr[0]))
    return "\n".join(out)


def header(domain: str, version: str, revision_date: str) -> str:
    return "\n".join(
        [
            "# Vietnamese translation of Wagtail's admin strings for the VGP portal.",
            "# Generated by vgp/locale_wagtail/build.py -- edit translations/*.json, not this file.",
            'msgid ""',
            'msgstr ""',
            f'"Project-Id-Version: VGP Wagtail {version} ({domain})\\n"',
            '"Report-Msgid-Bugs-To: \\n"',
            f'"PO-Revision-Date: {revision_date}\\n"',
            '"Last-Translator: VGP project team\\n"',
            '"Language-Team: Vietnamese (VGP project)\\n"',
            '"Language: vi\\n"',
            '"MIME-Version: 1.0\\n"',
            '"Content-Type: text/plain; charset=UTF-8\\n"',
            '"Content-Transfer-Encoding: 8bit\\n"',
            '"Plural-Forms: nplurals=1; plural=0;\\n"',
        ]
    )


def write_po(path: Path, domain: str, version: str, entries: list[Entry]) -> None:
    """Write a catalogue; keep the old PO-Revision-Date when nothing else changed."""
    body = "\n\n".join(format_entry(e) for e in entries) + "\n"
    revision_date = datetime.now(UTC).strftime("%Y-%m-%d %H:%M+0000")
    if path.exists():
        old = path.read_text(encoding="utf-8")
        match = re.search(r'^"PO-Revision-Date: (.*)\\n"$', old, re.M)
        old_body = old.split("\n\n", 1)[1] if "\n\n" in old else ""
        if match and old_body == body and f"VGP Wagtail {version} " in old:
            revision_date = match.group(1)
    path.write_text(header(domain, version, revision_date) + "\n\n" + body, encoding="utf-8")


# --- collecting and translating ----------------------------------------------------------


def catalogue_paths(lang: str, domain: str) -> list[tuple[str, Path]]:
    root = wagtail_dir()
    paths = []
    for package, domains in PACKAGES:
        if domain not in domains:
            continue
        path = root / package / "locale" / lang / "LC_MESSAGES" / f"{domain}.po"
        label = "wagtail" if package == "." else f"wagtail/{package}"
        paths.append((label, path))
    return paths


def source_catalogues(domain: str) -> list[tuple[str, Path, set[str] | None]]:
    """(label, path, msgids to keep or None for all) of the English sources of a domain."""
    sources: list[tuple[str, Path, set[str] | None]] = [
        (label, path, None) for label, path in catalogue_paths("en", domain)
    ]
    if domain == "django":
        django_en = package_dir("django") / "conf" / "locale" / "en" / "LC_MESSAGES"
        sources.append(("django", django_en / "django.po", DJANGO_EXTRA_MSGIDS))
    return sources


def collect(domain: str) -> dict[tuple[str | None, str], Entry]:
    """Merge the English catalogues of one domain, keyed by (msgctxt, msgid)."""
    merged: dict[tuple[str | None, str], Entry] = {}
    for label, path, only in source_catalogues(domain):
        if not path.exists():
            print(f"warning: missing {path}", file=sys.stderr)
            continue
        for entry in parse_po(path.read_text(encoding="utf-8")):
            if entry.msgid == "" or (only is not None and entry.msgid not in only):
                continue
            entry.flags = [f for f in entry.flags if f != "fuzzy"]
            entry.references = [f"{label}/{ref}" for ref in entry.references]
            entry.msgstr = [""]
            seen = merged.get(entry.key)
            if seen is None:
                merged[entry.key] = entry
                continue
            if seen.msgid_plural is None and entry.msgid_plural is not None:
                seen.msgid_plural = entry.msgid_plural  # plural wins over a bare singular
            seen.references.extend(r for r in entry.references if r not in seen.references)
            seen.flags.extend(f for f in entry.flags if f not in seen.flags)
            seen.extracted.extend(c for c in entry.extracted if c not in seen.extracted)
    return merged


def wagtail_vi(domain: str) -> dict[tuple[str | None, str], Entry]:
    """Wagtail's own (non-fuzzy, complete) vi translations."""
    found: dict[tuple[str | None, str], Entry] = {}
    for _label, path in catalogue_paths("vi", domain):
        if path.exists():
            for entry in parse_po(path.read_text(encoding="utf-8")):
                if entry.msgid and entry.translated:
                    found.setdefault(entry.key, entry)
    return found


def load_translations() -> dict[tuple[str | None, str], tuple[str, str]]:
    """All JSON translations: key -> (msgstr, source file name)."""
    result: dict[tuple[str | None, str], tuple[str, str]] = {}
    for path in sorted(TRANSLATIONS_DIR.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        items: list[tuple[str | None, str, str]] = []
        if isinstance(data, dict):
            for key, value in data.items():
                ctxt, _, msgid = key.rpartition(CTXT_SEP)
                items.append((ctxt if CTXT_SEP in key else None, msgid, value))
        else:
            for obj in data:
                value = obj["msgstr"]
                if isinstance(value, list):
                    value = value[0]
                items.append((obj.get("msgctxt"), obj["msgid"], value))
        for ctxt, msgid, value in items:
            if not isinstance(value, str):
                raise TypeError(f"{path.name}: msgstr for {msgid!r} is not a string")
            if value:
                result[(ctxt, msgid)] = (value, path.name)
    return result


# --- checks ------------------------------------------------------------------------------

PY_NAMED = re.compile(r"%\([^)]+\)[-#0 +]*\d*(?:\.\d*)?[diouxXeEfFgGcrsa]")
PY_POSITIONAL = re.compile(r"%[-#0 +]*\d*(?:\.\d*)?[diouxXeEfFgGcrsa]")
BRACE = re.compile(r"\{[A-Za-z0-9_.]*\}")
TAG = re.compile(r"</?[A-Za-z][^>]*>")
ENTITY = re.compile(r"&[#A-Za-z0-9]+;")


def placeholders(text: str) -> dict[str, list[str]]:
    text = text.replace("%%", "")
    stripped = PY_NAMED.sub("", text)
    return {
        # "%(name).s" (prints nothing) counts as "%(name)s": see README, "Placeholders"
        "named": sorted(re.sub(r"\)[^a-zA-Z]*", ")", p) for p in PY_NAMED.findall(text)),
        "positional": PY_POSITIONAL.findall(stripped),
        "brace": sorted(BRACE.findall(text)),
        "tags": sorted(TAG.findall(text)),
        "entities": sorted(ENTITY.findall(text)),
    }


def edges(text: str) -> tuple[str, str]:
    """Leading and trailing whitespace of a string."""
    return text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]


def check(entry: Entry) -> list[str]:
    """Problems of a translated entry (placeholders, markup, surrounding whitespace)."""
    problems = []
    source = entry.msgid_plural if entry.msgid_plural is not None else entry.msgid
    for value in entry.msgstr:
        if not value:
            continue
        want, got = placeholders(source), placeholders(value)
        if entry.msgid_plural is not None:
            # the single Vietnamese form may drop nothing the plural source has
            want_singular = placeholders(entry.msgid)
            for kind in ("named", "brace"):
                want[kind] = sorted(set(want[kind]) | set(want_singular[kind]))
                got[kind] = sorted(set(got[kind]))
        for kind, expected in want.items():
            if expected != got[kind]:
                problems.append(f"{kind} differ: {expected} != {got[kind]}")
        if edges(source) != edges(value):
            problems.append(f"surrounding whitespace differs: {edges(source)} != {edges(value)}")
    return problems


# --- main --------------------------------------------------------------------------------


def build(args: argparse.Namespace) -> int:
    version = wagtail_version()
    ours = load_translations()
    used: set[tuple[str | None, str]] = set()
    warnings = 0
    untranslated: dict[str, str] = {}
    for domain in DOMAINS:
        entries = collect(domain)
        seeds = wagtail_vi(domain)
        stats = {"total": len(entries), "ours": 0, "wagtail": 0, "missing": 0}
        for key, entry in entries.items():
            value, origin = "", ""
            if key in ours:
                value, origin = ours[key]
                used.add(key)
                stats["ours"] += 1
            else:
                skel_key = key[1] if key[0] is None else f"{key[0]}{CTXT_SEP}{key[1]}"
                if key in seeds and seeds[key].msgid_plural == entry.msgid_plural:
                    value, origin = seeds[key].msgstr[-1], "wagtail vi"
                    stats["wagtail"] += 1
                else:
                    stats["missing"] += 1
                untranslated[skel_key] = value  # Wagtail's suggestion, to review, or ""
            entry.msgstr = [value]
            for problem in check(entry) if value else []:
                warnings += 1
                print(f"warning [{origin}] {entry.msgid!r}: {problem}", file=sys.stderr)
        OUT_DIR.mkdir(parents=True, exist_ok=True)
        po_path = OUT_DIR / f"{domain}.po"
        write_po(po_path, domain, version, list(entries.values()))
        translated = stats["total"] - stats["missing"]
        print(
            f"{domain}.po: {stats['total']} entries, {translated} translated "
            f"({100 * translated / stats['total']:.1f}%; ours {stats['ours']}, "
            f"wagtail vi {stats['wagtail']}), {stats['missing']} missing"
        )
        msgfmt = shutil.which("msgfmt")
        if msgfmt is None:
            print("warning: msgfmt not found; .mo files not compiled", file=sys.stderr)
            warnings += 1
        else:
            result = subprocess.run(  # noqa: S603 - fixed arguments, our own files
                [msgfmt, "--check", "-o", str(po_path.with_suffix(".mo")), str(po_path)],
                check=False,
            )
            if result.returncode:
                print(f"error: msgfmt --check failed for {po_path}", file=sys.stderr)
                return 2
    for key in sorted(set(ours) - used, key=lambda k: (k[0] or "", k[1])):
        warnings += 1
        print(f"warning: unused translation in {ours[key][1]}: {key[1]!r}", file=sys.stderr)
    if args.untranslated:
        Path(args.untranslated).write_text(
            json.dumps(untranslated, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
    if warnings:
        print(f"{warnings} warning(s)", file=sys.stderr)
    return 1 if (args.strict and warnings) else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--untranslated", metavar="FILE", help="write the entries no JSON file translates"
    )
    parser.add_argument("--strict", action="store_true", help="exit 1 on any warning")
    return build(parser.parse_args())


if __name__ == "__main__":
    sys.exit(main())
