"""Bulk import of legal documents: JSON, JSON Lines and CSV, in batches.

Formats recognised by :func:`read_file`:

- **canonical** records (a JSON list, ``{"documents": [...]}``, JSON Lines or CSV), keys:
  ``external_id, number, type, category, issuer, title, title_en, summary, signer,
  signer_position, issued_date, effective_date, expiry_date, fields, text, articles,
  relations, source_url`` (``articles``: ``[{"number", "title", "text"}]`` instead of
  ``text``; ``relations``: ``[{"kind", "target"}]``; in CSV ``fields`` are separated by ``;``
  and relations written ``kind:number; …``);
- the **law census** (``{"laws": [{"official_number", "type", "title", ...}]}``);
- **articles by law** (``{"<law name>@<article no>": "<heading>\\n\\n<text>"}``, the ALQAC
  corpus): each law's articles become the articles of that law, matched to an existing
  document by title (year and "nước Cộng hòa …" suffixes aside), else a new document.

A record that cannot be imported is set aside with its file, record and reason, and the run
goes on. Re-importing updates in place: a record is the same document when it has the same
``external_id``, else the same number and issuer. Each batch is one transaction with one
audit record; the search index is written after the batch commits.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vgp.agencies.models import Agency
from vgp.audit import trail
from vgp.search.analysis import fold

from . import search_index, validity
from .actions import provisions_from_nodes
from .models import (
    Category,
    DocumentRelation,
    DocumentType,
    LegalDocument,
    Provision,
    ProvisionKind,
    RelationKind,
    Sector,
)
from .numbering import SymbolError, parse_symbol
from .structure import Node, parse_article_body, parse_text

# Issuers that are not in the agency registry (it lists the executive), by symbol code.
OTHER_ISSUERS = {
    "QH": "Quốc hội",
    "UBTVQH": "Ủy ban Thường vụ Quốc hội",
    "CTN": "Chủ tịch nước",
    "TANDTC": "Tòa án nhân dân tối cao",
    "VKSNDTC": "Viện kiểm sát nhân dân tối cao",
    "KTNN": "Kiểm toán nhà nước",
    "UBND": "Ủy ban nhân dân",
    "HĐND": "Hội đồng nhân dân",
}
CENSUS_TYPES = {
    "constitution": "Hiến pháp",
    "code": "Bộ luật",
    "law": "Luật",
    "decree": "Nghị định",
    "ordinance": "Pháp lệnh",
    "resolution": "Nghị quyết",
    "decision": "Quyết định",
    "circular": "Thông tư",
}
LAW_TYPES = ("Hiến pháp", "Bộ luật", "Luật")
RELATION_KINDS = {kind.value for kind in RelationKind}
_YEAR_SUFFIX = re.compile(r"\s+(?:nam\s+)?\d{4}$")


class RecordError(ValueError):
    """Why one record cannot be imported (a sentence for the report)."""


@dataclass
class Problem:
    file: str
    record: str
    reason: str


@dataclass
class Record:
    """One incoming record before it is checked: where it came from and its fields."""

    file: str
    label: str
    data: dict[str, Any]
    # Articles given one by one (ALQAC); otherwise the structure is parsed from ``text``.
    articles: list[tuple[str, str, str]] | None = None
    # Match an existing document by title when it has no number (ALQAC laws).
    match_title: bool = False


@dataclass
class Plan:
    """A checked record, ready to be written."""

    record: Record
    document: LegalDocument
    sectors: list[str]
    nodes: list[Node]
    relations: list[tuple[str, str]]


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    articles: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def rejected(self) -> int:
        return len(self.problems)


# --- reading ---------------------------------------------------------------------------------


def read_file(path: Path) -> tuple[str, list[Record]]:
    """The format of ``path`` and its records (raises RecordError for an unreadable file)."""
    name = path.name
    suffix = path.suffix.lower()
    try:
        if suffix == ".jsonl":
            return "jsonl", list(_read_jsonl(path))
        if suffix == ".csv":
            return "csv", list(_read_csv(path))
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, csv.Error) as exc:
        raise RecordError(
            _("Cannot read %(file)s: %(error)s") % {"file": name, "error": exc}
        ) from exc
    if isinstance(data, dict) and isinstance(data.get("laws"), list):
        return "census", [_census_record(name, i, law) for i, law in enumerate(data["laws"])]
    if isinstance(data, dict) and data and all("@" in key for key in list(data)[:50]):
        return "articles-by-law", _articles_by_law(name, data)
    if isinstance(data, dict) and isinstance(data.get("documents"), list):
        data = data["documents"]
    if isinstance(data, list):
        return "json", [
            Record(file=name, label=_label(i, item), data=item if isinstance(item, dict) else {})
            for i, item in enumerate(data)
        ]
    raise RecordError(_("%(file)s is not a format the importer knows.") % {"file": name})


def _label(index: int, item: Any) -> str:
    if isinstance(item, dict):
        return f"#{index + 1} {item.get('number') or item.get('external_id') or ''}".strip()
    return f"#{index + 1}"


def _read_jsonl(path: Path) -> Iterator[Record]:
    with path.open(encoding="utf-8-sig") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
            except json.JSONDecodeError as exc:
                item = {"__error__": str(exc)}
            yield Record(file=path.name, label=f"line {number}", data=item)


def _read_csv(path: Path) -> Iterator[Record]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for number, row in enumerate(csv.DictReader(handle), start=2):
            item: dict[str, Any] = dict(row)
            item["fields"] = [f.strip() for f in (row.get("fields") or "").split(";") if f.strip()]
            relations = []
            for part in (row.get("relations") or "").split(";"):
                if ":" in part:
                    kind, target = part.split(":", 1)
                    relations.append({"kind": kind.strip(), "target": target.strip()})
            item["relations"] = relations
            yield Record(file=path.name, label=f"line {number}", data=item)


def _census_record(file: str, index: int, law: Any) -> Record:
    if not isinstance(law, dict):
        return Record(file=file, label=f"#{index + 1}", data={"__error__": "not an object"})
    number = law.get("official_number") or ""
    if number.strip().upper() in ("N/A", "NA", "-"):
        number = ""
    data = {
        "external_id": f"census:{law.get('id')}" if law.get("id") else None,
        "number": number,
        "type": CENSUS_TYPES.get(str(law.get("type", "")).lower(), law.get("type") or ""),
        "category": "legal",
        "issuer": "",
        "title": law.get("title") or "",
        "title_en": law.get("title_en") or "",
        "issued_date": law.get("issued_date"),
        "effective_date": law.get("in_force_date"),
        "source_url": law.get("url") or "",
    }
    label = f"#{index + 1} {law.get('id') or number}"
    return Record(file=file, label=label, data=data, match_title=True)


def _articles_by_law(file: str, data: dict[str, Any]) -> list[Record]:
    laws: dict[str, list[tuple[str, str, str]]] = {}
    problems: list[Record] = []
    for key, value in data.items():
        law, _sep, number = key.rpartition("@")
        if not law or not number or not isinstance(value, str):
            problems.append(Record(file=file, label=key, data={"__error__": "bad key or text"}))
            continue
        heading, _sep, text = value.partition("\n\n")
        laws.setdefault(law.strip(), []).append((number.strip(), heading.strip(), text.strip()))
    records = []
    for law, articles in laws.items():
        articles.sort(key=lambda a: _article_sort_key(a[0]))
        kind = (
            "Hiến pháp"
            if fold(law).startswith("hien phap")
            else ("Bộ luật" if fold(law).startswith("bo luat") else "Luật")
        )
        records.append(
            Record(
                file=file,
                label=law,
                data={
                    "external_id": f"articles:{fold(law).replace(' ', '-')}",
                    "type": kind,
                    "category": "legal",
                    "issuer": "QH",
                    "title": law,
                },
                articles=articles,
                match_title=True,
            )
        )
    return records + problems


def _article_sort_key(number: str) -> tuple[int, str]:
    digits = re.match(r"\d+", number)
    return (int(digits.group()) if digits else 10**9, number)


# --- checking --------------------------------------------------------------------------------


class Lookups:
    """Reference data read once per run."""

    def __init__(self) -> None:
        self.types: dict[str, DocumentType] = {}
        for doc_type in DocumentType.objects.all():
            self.types[fold(doc_type.name)] = doc_type
            if doc_type.abbreviation:
                self.types.setdefault(fold(doc_type.abbreviation), doc_type)
        self.agencies: dict[str, Agency] = {}
        for agency in Agency.objects.all():
            for key in (agency.abbreviation, agency.code, agency.name_vi):
                if key:
                    self.agencies.setdefault(fold(key), agency)
        self.sectors: dict[str, Sector] = {fold(s.name): s for s in Sector.objects.all()}

    def sector(self, name: str) -> Sector:
        key = fold(name)
        found = self.sectors.get(key)
        if found is None:
            found, _created = Sector.objects.get_or_create(name=name.strip()[:120])
            self.sectors[key] = found
        return found


def _date(value: Any, label: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text[:10], pattern).date()  # noqa: DTZ007 (a date)
        except ValueError:
            continue
    raise RecordError(_("%(field)s is not a date: %(value)r") % {"field": label, "value": text})


def _text(data: dict[str, Any], key: str, limit: int) -> str:
    value = data.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise RecordError(_("%(field)s must be text.") % {"field": key})
    return value.strip()[:limit]


def check(record: Record, lookups: Lookups) -> Plan:
    """A :class:`Plan` for ``record``, or RecordError saying what is wrong with it."""
    data = record.data
    if "__error__" in data:
        raise RecordError(_("Unreadable record: %(error)s") % {"error": data["__error__"]})
    title = _text(data, "title", 500)
    if not title:
        raise RecordError(_("The title (trích yếu) is missing."))
    document = LegalDocument(
        title=title,
        title_en=_text(data, "title_en", 500),
        summary=_text(data, "summary", 20000),
        signer_name=_text(data, "signer", 50),
        signer_position=_text(data, "signer_position", 100),
        source_url=_text(data, "source_url", 500),
        external_id=(str(data["external_id"])[:100] if data.get("external_id") else None),
    )
    number = _text(data, "number", 60)
    symbol = None
    if number:
        try:
            symbol = parse_symbol(number)
        except SymbolError as exc:
            raise RecordError(str(exc)) from exc
        document.number_symbol = symbol.canonical
        document.number = symbol.number
        document.year = symbol.year
        document.type_code = symbol.type_code
        document.issuer_code = symbol.issuer_code
        document.unit_code = symbol.unit
        document.symbol_key = symbol.key
    type_name = _text(data, "type", 100)
    doc_type = lookups.types.get(fold(type_name)) if type_name else None
    if doc_type is None and symbol is not None and symbol.type_code:
        doc_type = lookups.types.get(fold(symbol.type_code))
    if doc_type is None and symbol is not None and symbol.issuer_code == "QH":
        doc_type = lookups.types.get("luat")
    if doc_type is None and symbol is not None and not symbol.type_code:
        doc_type = lookups.types.get("cong van")
    if doc_type is None:
        raise RecordError(_("Unknown document type: %(type)r") % {"type": type_name})
    document.doc_type = doc_type
    category = _text(data, "category", 12) or doc_type.category
    if category not in Category.values:
        raise RecordError(_("Unknown category: %(value)r") % {"value": category})
    document.category = category
    issuer = _text(data, "issuer", 200) or (symbol.issuer_code.split("-")[0] if symbol else "")
    agency = lookups.agencies.get(fold(issuer)) if issuer else None
    if agency is not None:
        document.issuer = agency
    elif issuer:
        document.issuer_name = OTHER_ISSUERS.get(issuer, OTHER_ISSUERS.get(issuer.upper(), issuer))
    document.issued_date = _date(data.get("issued_date"), "issued_date")
    document.effective_date = _date(data.get("effective_date"), "effective_date")
    document.expiry_date = _date(data.get("expiry_date"), "expiry_date")
    if (
        document.issued_date
        and document.effective_date
        and document.effective_date < document.issued_date
    ):
        raise RecordError(_("The effective date is before the date of issue."))
    sectors = data.get("fields") or []
    if isinstance(sectors, str):
        sectors = [s.strip() for s in sectors.split(";") if s.strip()]
    if not isinstance(sectors, list) or not all(isinstance(s, str) for s in sectors):
        raise RecordError(_("fields must be a list of sector names."))
    relations = []
    for item in data.get("relations") or []:
        if not isinstance(item, dict) or item.get("kind") not in RELATION_KINDS:
            raise RecordError(
                _("A relation must have a kind among %(kinds)s.")
                % {"kinds": ", ".join(sorted(RELATION_KINDS))}
            )
        target = str(item.get("target") or "").strip()
        if not target:
            raise RecordError(_("A relation has no target number."))
        with contextlib.suppress(SymbolError):
            target = parse_symbol(target).canonical
        relations.append((item["kind"], target[:60]))
    if record.articles is not None:
        nodes = [parse_article_body(n, h, t) for n, h, t in record.articles]
        document.body = "\n\n".join(f"Điều {n}. {h}\n{t}".rstrip() for n, h, t in record.articles)
    else:
        articles = data.get("articles")
        if articles:
            if not isinstance(articles, list):
                raise RecordError(_("articles must be a list."))
            triples = [
                (str(a.get("number", "")), str(a.get("title", "")), str(a.get("text", "")))
                for a in articles
                if isinstance(a, dict)
            ]
            nodes = [parse_article_body(n, h, t) for n, h, t in triples]
            document.body = "\n\n".join(f"Điều {n}. {h}\n{t}".rstrip() for n, h, t in triples)
        else:
            document.body = _text(data, "text", 5_000_000)
            nodes = parse_text(document.body) if document.body else []
    return Plan(
        record=record,
        document=document,
        sectors=[s.strip() for s in sectors if s.strip()],
        nodes=nodes,
        relations=relations,
    )


# --- writing ---------------------------------------------------------------------------------

_COPIED = [
    "number_symbol",
    "number",
    "year",
    "type_code",
    "issuer_code",
    "unit_code",
    "symbol_key",
    "doc_type",
    "category",
    "issuer",
    "issuer_name",
    "signer_name",
    "signer_position",
    "title",
    "title_en",
    "summary",
    "issued_date",
    "effective_date",
    "expiry_date",
    "body",
    "source_url",
]


def _title_key(title: str) -> str:
    key = _YEAR_SUFFIX.sub("", fold(title))
    return key.split(" nuoc cong hoa ")[0].strip()


class Importer:
    """Writes checked records batch by batch. One instance per run."""

    def __init__(
        self,
        *,
        actor: Any = None,
        publish: bool = True,
        index: bool = True,
        batch_size: int = 500,
        progress: Callable[[int], Any] | None = None,
    ) -> None:
        self.actor = actor
        self.publish = publish
        self.index = index
        self.batch_size = batch_size
        self.progress = progress or (lambda n: None)
        self.lookups = Lookups()
        self.report = ImportReport()
        self._titles: dict[str, tuple[int, dt.date | None, bool]] | None = None
        self._kept: set[int] = set()
        self._writers: search_index.Writers | None = None
        self._updated_ids: list[int] = []

    def run_with_progress(
        self, records: Iterable[Record], progress: Callable[[int], Any]
    ) -> ImportReport:
        previous, self.progress = self.progress, progress
        try:
            return self.run(records)
        finally:
            self.progress = previous

    def run(self, records: Iterable[Record]) -> ImportReport:
        if self.index and self.publish:
            # One writer per index for the whole run; each batch is one commit.
            with search_index.bulk_writers() as self._writers:
                self._run(records)
            self._writers = None
        else:
            self._run(records)
        return self.report

    def _run(self, records: Iterable[Record]) -> None:
        batch: list[Record] = []
        for record in records:
            batch.append(record)
            if len(batch) >= self.batch_size:
                self._batch(batch)
                batch = []
        if batch:
            self._batch(batch)

    def _reject(self, record: Record, reason: str) -> None:
        self.report.problems.append(Problem(file=record.file, record=record.label, reason=reason))

    def _batch(self, records: list[Record]) -> None:
        plans: list[Plan] = []
        seen: set[str] = set()
        for record in records:
            try:
                plan = check(record, self.lookups)
            except RecordError as exc:
                self._reject(record, str(exc))
                continue
            key = (
                plan.document.external_id
                or f"{plan.document.symbol_key}|{plan.document.issuer_code}"
            )
            if key in seen and key != "|":
                self._reject(record, _("The same document appears twice in this batch."))
                continue
            seen.add(key)
            plans.append(plan)
        if plans:
            written = self._write(plans)
            if self.index and self.publish:
                self._index(written)
        self.progress(len(records))

    def _existing(self, plans: list[Plan]) -> dict[int, LegalDocument]:
        """Existing documents for plans, by position in ``plans``."""
        external = [p.document.external_id for p in plans if p.document.external_id]
        by_external = {
            d.external_id: d
            for d in LegalDocument.objects.filter(external_id__in=external).only(
                "pk", "external_id"
            )
        }
        symbols = [p.document.symbol_key for p in plans if p.document.symbol_key]
        by_symbol: dict[tuple[str, str], LegalDocument] = {}
        for d in LegalDocument.objects.filter(symbol_key__in=symbols).only(
            "pk", "symbol_key", "issuer_code", "external_id"
        ):
            by_symbol.setdefault((d.symbol_key, d.issuer_code), d)
        found: dict[int, LegalDocument] = {}
        for position, plan in enumerate(plans):
            doc = plan.document
            match = by_external.get(doc.external_id) if doc.external_id else None
            if match is None and doc.symbol_key:
                match = by_symbol.get((doc.symbol_key, doc.issuer_code))
            if match is None and plan.record.match_title:
                candidate = self._title_index().get(_title_key(doc.title))
                # Only where one side has no number: two numbered laws with the same name
                # ("Luật Viễn thông" of 2009 and of 2023) are different documents.
                if candidate is not None and not (doc.symbol_key and candidate[2]):
                    match = LegalDocument.objects.only("pk", "external_id").get(pk=candidate[0])
            if match is not None:
                found[position] = match
        return found

    def _title_index(self) -> dict[str, tuple[int, dt.date | None, bool]]:
        """Laws by title key → (id, date of issue, has a number); the newest law wins."""
        if self._titles is None:
            self._titles = {}
            rows = LegalDocument.objects.filter(doc_type__name__in=LAW_TYPES).values_list(
                "pk", "title", "issued_date", "symbol_key"
            )
            for pk, title, issued, symbol_key in rows:
                self._remember_title(pk, title, issued, bool(symbol_key))
        return self._titles

    def _remember_title(self, pk: int, title: str, issued: dt.date | None, numbered: bool) -> None:
        assert self._titles is not None
        key = _title_key(title)
        current = self._titles.get(key)
        if current is None or (issued and (current[1] is None or issued > current[1])):
            self._titles[key] = (pk, issued, numbered)

    def _write(self, plans: list[Plan]) -> list[Plan]:
        now = timezone.now()
        with transaction.atomic():
            existing = self._existing(plans)
            created: list[LegalDocument] = []
            updated: list[LegalDocument] = []
            for position, plan in enumerate(plans):
                doc = plan.document
                doc.live = self.publish
                doc.has_unpublished_changes = not self.publish
                doc.changed_at = now
                match = existing.get(position)
                if match is None:
                    if self.publish:
                        doc.first_published_at = doc.last_published_at = now
                    created.append(doc)
                    continue
                # Keep an identifier the match already has (a census law matched by title
                # keeps its census id when its articles arrive from another file).
                if match.external_id and doc.external_id != match.external_id:
                    doc.external_id = match.external_id
                doc.pk = match.pk
                if plan.record.articles is not None:
                    plan.document = doc = self._merge_articles(match.pk, doc)
                elif not doc.body and not plan.nodes:
                    # Metadata only (the census): the text and articles already there stay.
                    doc.body = (
                        LegalDocument.objects.filter(pk=match.pk).values_list("body", flat=True)
                    ).first() or ""
                    self._kept.add(match.pk)
                updated.append(doc)
            LegalDocument.objects.bulk_create(created, batch_size=500)
            if updated:
                fields = [*_COPIED, "external_id", "live", "has_unpublished_changes", "changed_at"]
                if self.publish:
                    for doc in updated:
                        doc.last_published_at = now
                    fields.append("last_published_at")
                LegalDocument.objects.bulk_update(updated, fields, batch_size=500)
            if self._titles is not None:
                for doc in created:
                    if doc.doc_type.name in LAW_TYPES:
                        self._remember_title(
                            doc.pk, doc.title, doc.issued_date, bool(doc.symbol_key)
                        )
            ids = [p.document.pk for p in plans]
            self._updated_ids = [d.pk for d in updated]
            self._write_sectors(plans, ids)
            self._write_provisions(plans, [d.pk for d in updated])
            affected = self._write_relations(plans, ids)
            changed = set(validity.refresh(set(ids) | affected))
            self.report.created += len(created)
            self.report.updated += len(updated)
            trail.record(
                action="legal.imported",
                actor=self.actor,
                object_type="legal.legaldocument",
                summary=f"import: {len(created)} created, {len(updated)} updated",
                changes={
                    "created": [d.pk for d in created][:200],
                    "updated": [d.pk for d in updated][:200],
                    "files": sorted({p.record.file for p in plans}),
                },
            )
            # Documents outside the batch need new index entries only if their status moved.
            self._affected_outside = (affected & changed) - set(ids)
        return plans

    def _merge_articles(self, pk: int, doc: LegalDocument) -> LegalDocument:
        """Articles arriving for a law already described by other metadata: keep the metadata."""
        current = LegalDocument.objects.select_related("doc_type", "issuer").get(pk=pk)
        current.body = doc.body
        current.changed_at = doc.changed_at
        current.live = doc.live or current.live
        current.has_unpublished_changes = doc.has_unpublished_changes
        return current

    def _write_sectors(self, plans: list[Plan], ids: list[int]) -> None:
        through = LegalDocument.sectors.through
        with_sectors = [p for p in plans if p.sectors]
        through.objects.filter(legaldocument_id__in=[p.document.pk for p in with_sectors]).delete()
        rows = [
            through(legaldocument_id=p.document.pk, sector_id=self.lookups.sector(name).pk)
            for p in with_sectors
            for name in dict.fromkeys(p.sectors)
        ]
        through.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
        self._sector_ids = {}
        for p in plans:
            self._sector_ids[p.document.pk] = [self.lookups.sector(n).pk for n in p.sectors]

    def _write_provisions(self, plans: list[Plan], updated_ids: list[int]) -> None:
        replaced = [pk for pk in updated_ids if pk not in self._kept]
        if replaced:
            Provision.objects.filter(document_id__in=replaced).delete()
        rows: list[Provision] = []
        for plan in plans:
            if plan.document.pk not in self._kept:
                rows.extend(provisions_from_nodes(plan.document, plan.nodes))
        # Parents before children, level by level, so each child knows its parent's id.
        pending = rows
        saved: set[int] = set()
        while pending:
            ready = [
                r
                for r in pending
                if r._parent_row is None or id(r._parent_row) in saved  # type: ignore[attr-defined]
            ]
            for row in ready:
                parent = row._parent_row  # type: ignore[attr-defined]
                row.parent_id = parent.pk if parent is not None else None
            Provision.objects.bulk_create(ready, batch_size=1000)
            saved.update(id(r) for r in ready)
            pending = [r for r in pending if id(r) not in saved]
        self._articles: dict[int, list[Provision]] = {}
        for row in rows:
            if row.kind == ProvisionKind.ARTICLE:
                self._articles.setdefault(row.document_id, []).append(row)
        self.report.articles += sum(len(v) for v in self._articles.values())
        kept = [p.document.pk for p in plans if p.document.pk in self._kept]
        for row in Provision.objects.filter(document_id__in=kept, kind=ProvisionKind.ARTICLE):
            self._articles.setdefault(row.document_id, []).append(row)

    def _write_relations(self, plans: list[Plan], ids: list[int]) -> set[int]:
        DocumentRelation.objects.filter(source_id__in=ids).delete()
        references = {target for p in plans for _kind, target in p.relations}
        keys = {}
        for reference in references:
            try:
                keys[reference] = parse_symbol(reference).key
            except SymbolError:
                continue
        targets = dict(
            LegalDocument.objects.filter(symbol_key__in=set(keys.values())).values_list(
                "symbol_key", "pk"
            )
        )
        rows = []
        affected: set[int] = set()
        for plan in plans:
            for order, (kind, reference) in enumerate(plan.relations):
                target_id = targets.get(keys.get(reference, ""))
                if target_id == plan.document.pk:
                    target_id = None
                rows.append(
                    DocumentRelation(
                        source_id=plan.document.pk,
                        kind=kind,
                        target_id=target_id,
                        target_reference="" if target_id else reference,
                        sort_order=order,
                    )
                )
                if target_id:
                    affected.add(target_id)
        DocumentRelation.objects.bulk_create(rows, batch_size=1000)
        # Relations imported earlier that named one of these documents by number.
        numbers = {
            p.document.number_symbol: p.document.pk for p in plans if p.document.number_symbol
        }
        if numbers:
            for relation in DocumentRelation.objects.filter(
                target__isnull=True, target_reference__in=list(numbers)
            ):
                relation.target_id = numbers[relation.target_reference]
                relation.target_reference = ""
                relation.save(update_fields=["target", "target_reference"])
                affected.update({relation.source_id, relation.target_id})
        return affected

    def _index(self, plans: list[Plan]) -> None:
        documents = [p.document for p in plans]
        statuses = dict(
            LegalDocument.objects.filter(pk__in=[d.pk for d in documents]).values_list(
                "pk", "status"
            )
        )
        for doc in documents:
            doc.status = statuses.get(doc.pk, doc.status)
        search_index.write_entries(
            documents,
            self._articles,
            self._sector_ids,
            writers=self._writers,
            removed=self._updated_ids,
            new=True,
        )
        if self._affected_outside:
            search_index.index_documents(self._affected_outside, writers=self._writers)
