"""Loading agency lists from CSV or JSON files into the registry, through the actions.

Both formats carry the same columns (``COLUMNS``); JSON is a list of objects, or an object
whose ``agencies`` key holds that list (other keys, such as ``sources``, are ignored). The
format is recognised by the file extension, else by the first character of the content.

Each bad row is reported with its file, line (CSV) or record number (JSON) and reason, and the
good rows still load. Rows are matched on ``code``: re-importing updates rows whose values
changed and leaves unchanged ones alone (not saved, not audited). A row naming a parent or a
successor that appears later in the files waits until that agency has been loaded.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from . import actions
from .codes import parse_agency_code, validation_message
from .models import Agency, AgencyKind, AgencyStatus

INITIAL_LIST = Path(__file__).resolve().parent / "data" / "agencies.json"

COLUMNS: tuple[str, ...] = (
    "code",
    "name_vi",
    "name_en",
    "abbreviation",
    "kind",
    "parent_code",
    "address",
    "phone",
    "fax",
    "email",
    "website",
    "valid_from",
    "valid_to",
    "status",
    "successor_code",
    "note",
)
_TEXT_COLUMNS = (
    "name_vi",
    "name_en",
    "abbreviation",
    "address",
    "phone",
    "fax",
    "email",
    "website",
    "note",
)
_DATE_COLUMNS = ("valid_from", "valid_to")
_REFERENCE_COLUMNS = {"parent_code": "parent", "successor_code": "successor"}
_VN_DATE = re.compile(r"(?P<day>[0-9]{1,2})/(?P<month>[0-9]{1,2})/(?P<year>[0-9]{4})")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class UnreadableFileError(Exception):
    """The whole file cannot be used (missing, not UTF-8, not CSV/JSON, no code column)."""


@dataclass(frozen=True)
class RowError:
    file: str
    position: str  # "line 4" (CSV) or "record 3" (JSON)
    code: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}, {self.position}, {self.code or '—'}: {self.reason}"


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)  # "file: reason"

    @property
    def rows(self) -> int:
        return len(self.created) + len(self.updated) + len(self.unchanged) + len(self.errors)

    @property
    def all_failed(self) -> bool:
        return self.rows > 0 and len(self.errors) == self.rows

    def summary(self) -> str:
        return _(
            "Created: %(created)s, updated: %(updated)s, unchanged: %(unchanged)s, errors: %(errors)s."
        ) % {
            "created": len(self.created),
            "updated": len(self.updated),
            "unchanged": len(self.unchanged),
            "errors": len(self.errors),
        }


@dataclass
class _Row:
    file: str
    position: str
    code: str = ""
    fields: dict[str, Any] = field(default_factory=dict)
    # Only the reference columns present in the row: column -> code ("" clears the link).
    references: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def error(self, reason: str) -> RowError:
        return RowError(self.file, self.position, self.code, reason)


# --- Reading --------------------------------------------------------------------------------


def _read_records(path: Path) -> list[tuple[str, dict[Any, Any] | None]]:
    """``(position, record)`` pairs of one file; raise ``UnreadableFileError`` if unusable."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError as exc:
        raise UnreadableFileError(_("file not found")) from exc
    except OSError as exc:
        raise UnreadableFileError(str(exc)) from exc
    except UnicodeDecodeError as exc:
        raise UnreadableFileError(_("the file is not UTF-8 text")) from exc
    suffix = path.suffix.lower()
    is_json = suffix == ".json" or (suffix != ".csv" and text.lstrip()[:1] in ("[", "{"))
    return _json_records(text) if is_json else _csv_records(text)


def _json_records(text: str) -> list[tuple[str, dict[Any, Any] | None]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UnreadableFileError(
            _("invalid JSON at line %(line)s: %(error)s") % {"line": exc.lineno, "error": exc.msg}
        ) from exc
    if isinstance(data, dict):
        data = data.get("agencies")
    if not isinstance(data, list):
        raise UnreadableFileError(
            _('expected a list of agencies, or an object with an "agencies" list')
        )
    # A record that is not an object becomes None: a row with only a problem, still numbered.
    return [
        (_("record %(number)s") % {"number": number}, record if isinstance(record, dict) else None)
        for number, record in enumerate(data, start=1)
    ]


def _csv_records(text: str) -> list[tuple[str, dict[Any, Any] | None]]:
    first_line = text.lstrip().splitlines()[0] if text.strip() else ""
    # Spreadsheets saved with a Vietnamese locale often separate columns with semicolons.
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    if reader.fieldnames is None:
        raise UnreadableFileError(_("the file is empty"))
    reader.fieldnames = [(name or "").strip().lower() for name in reader.fieldnames]
    if "code" not in reader.fieldnames:
        raise UnreadableFileError(_('the header row has no "code" column'))
    records: list[tuple[str, dict[Any, Any] | None]] = []
    for record in reader:
        if not any((value or "").strip() for key, value in record.items() if key is not None):
            continue  # blank line
        records.append((_("line %(number)s") % {"number": reader.line_num}, record))
    return records


# --- Parsing one row ------------------------------------------------------------------------


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):  # extra CSV cells end up in a list
        return ",".join(str(v) for v in value).strip()
    return str(value).strip()


def parse_date(value: str) -> dt.date | None:
    """``dd/mm/yyyy`` (as Vietnamese documents write dates) or ISO ``yyyy-mm-dd``; "" is None."""
    if not value:
        return None
    if match := _VN_DATE.fullmatch(value):
        return dt.date(int(match["year"]), int(match["month"]), int(match["day"]))
    if _ISO_DATE.fullmatch(value):
        return dt.date.fromisoformat(value)
    raise ValueError(value)


def _parse_row(file: str, position: str, record: dict[Any, Any] | None) -> _Row:
    row = _Row(file=file, position=position)
    if record is None:
        row.problems.append(_("the record is not an object with the agency columns"))
        return row
    values = {
        str(key).strip().lower(): _text(value) for key, value in record.items() if key is not None
    }
    if isinstance(record.get(None), list) and any(_text(v) for v in record[None]):
        row.problems.append(_("the line has more cells than the header"))

    row.code = values.get("code", "")
    try:
        parse_agency_code(row.code)
    except ValidationError as exc:
        row.problems.append(validation_message(exc))

    for name in _TEXT_COLUMNS:
        if name in values:
            row.fields[name] = values[name]
    if "name_vi" in values and not values["name_vi"]:
        row.problems.append(_("the Vietnamese name (name_vi) is empty"))

    if "kind" in values:
        kind = values["kind"].lower()
        if kind not in AgencyKind.values:
            row.problems.append(
                _("unknown kind %(kind)s (expected one of: %(kinds)s)")
                % {"kind": repr(values["kind"]), "kinds": ", ".join(AgencyKind.values)}
            )
        row.fields["kind"] = kind

    if "status" in values:
        status = values["status"].lower() or AgencyStatus.ACTIVE
        if status not in AgencyStatus.values:
            row.problems.append(
                _("unknown status %(status)s (expected one of: %(statuses)s)")
                % {"status": repr(values["status"]), "statuses": ", ".join(AgencyStatus.values)}
            )
        row.fields["status"] = status

    for name in _DATE_COLUMNS:
        if name in values:
            try:
                row.fields[name] = parse_date(values[name])
            except ValueError:
                row.problems.append(
                    _("%(column)s: %(value)s is not a date (write dd/mm/yyyy or yyyy-mm-dd)")
                    % {"column": name, "value": repr(values[name])}
                )

    for column in _REFERENCE_COLUMNS:
        if column in values:
            reference = values[column]
            if reference:
                try:
                    parse_agency_code(reference)
                except ValidationError as exc:
                    row.problems.append(f"{column}: {validation_message(exc)}")
            row.references[column] = reference
    return row


def _describe(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        parts = []
        for name, errors in error.message_dict.items():
            label = {"parent": "parent_code", "successor": "successor_code"}.get(name, name)
            text = "; ".join(errors)
            parts.append(text if name == "__all__" else f"{label}: {text}")
        return "; ".join(parts)
    return validation_message(error)


# --- Loading --------------------------------------------------------------------------------


class _Loader:
    def __init__(self, actor: Any) -> None:
        self.actor = actor
        self.report = ImportReport()
        self.known: dict[str, Agency] = {a.code: a for a in Agency.objects.all()}
        self.failed: set[str] = set()

    def load(self, rows: Sequence[_Row]) -> None:
        seen: dict[str, _Row] = {}
        pending: list[_Row] = []
        for row in rows:
            if row.problems:
                self._fail(row, "; ".join(row.problems))
            elif row.code in seen:
                first = seen[row.code]
                self._fail(
                    row,
                    _("the code is already in %(file)s, %(position)s")
                    % {"file": first.file, "position": first.position},
                    mark_failed=False,
                )
            else:
                seen[row.code] = row
                pending.append(row)

        # Rounds: load every row whose parent and successor exist; repeat while rows load, so
        # that parents listed after their units are loaded first.
        while pending:
            waiting = [row for row in pending if not self._references_ready(row)]
            ready = [row for row in pending if self._references_ready(row)]
            if not ready:
                break
            for row in ready:
                self._apply(row)
            pending = waiting
        waiting_codes = {row.code for row in pending}
        for row in pending:
            self._fail(row, self._missing_reference_reason(row, waiting_codes))

    def _references_ready(self, row: _Row) -> bool:
        return all(not code or code in self.known for code in row.references.values())

    def _missing_reference_reason(self, row: _Row, waiting_codes: set[str]) -> str:
        reasons = []
        for column, code in row.references.items():
            if not code or code in self.known:
                continue
            if code == row.code:
                reasons.append(
                    _("%(column)s: an agency cannot refer to itself") % {"column": column}
                )
            elif code in self.failed:
                reasons.append(
                    _("%(column)s: %(code)s could not be loaded (see its own error)")
                    % {"column": column, "code": code}
                )
            elif code in waiting_codes:
                reasons.append(
                    _("%(column)s: %(code)s and this agency refer to each other in a cycle")
                    % {"column": column, "code": code}
                )
            else:
                reasons.append(
                    _("%(column)s: unknown agency %(code)s (not in the registry nor in the file)")
                    % {"column": column, "code": code}
                )
        return "; ".join(reasons)

    def _apply(self, row: _Row) -> None:
        fields = dict(row.fields)
        for column, code in row.references.items():
            fields[_REFERENCE_COLUMNS[column]] = self.known[code] if code else None
        existing = self.known.get(row.code)
        try:
            if existing is None:
                agency = actions.create_agency(self.actor, code=row.code, **fields)
                self.report.created.append(row.code)
            elif not actions.pending_changes(existing, fields):
                self.report.unchanged.append(row.code)
                return
            else:
                agency = actions.update_agency(self.actor, existing, **fields)
                self.report.updated.append(row.code)
        except ValidationError as exc:
            self._fail(row, _describe(exc))
            return
        except PermissionDenied as exc:
            self._fail(row, str(exc))
            return
        self.known[agency.code] = agency

    def _fail(self, row: _Row, reason: str, *, mark_failed: bool = True) -> None:
        if mark_failed and row.code:
            self.failed.add(row.code)
        self.report.errors.append(row.error(reason))


def import_files(paths: Iterable[str | Path], *, actor: Any = None) -> ImportReport:
    """Import every file together (a parent may be in another file than its units)."""
    rows: list[_Row] = []
    unreadable: list[str] = []
    for raw_path in paths:
        path = Path(raw_path)
        try:
            records = _read_records(path)
        except UnreadableFileError as exc:
            unreadable.append(f"{path}: {exc}")
            continue
        rows.extend(_parse_row(str(path), position, record) for position, record in records)
    loader = _Loader(actor)
    loader.load(rows)
    loader.report.unreadable = unreadable
    return loader.report


def load_initial_agencies(actor: Any = None) -> ImportReport:
    """Import the shipped list of Government bodies and provinces (``data/agencies.json``)."""
    return import_files([INITIAL_LIST], actor=actor)
