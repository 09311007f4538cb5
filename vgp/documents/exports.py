"""A register's XLSX or PDF file made in the background (``RegisterExport``).

A register of a busy ministry over a year runs to 100,000 lines: its XLSX file takes longer to
make than the web server waits for an answer (60 s). So the registers page makes the file while
the browser waits only up to ``DOCUMENTS_EXPORT_INLINE_MAX_ROWS`` lines (the one-click download
of an ordinary month, ``register_views``); beyond, the official asks for it to be prepared:

1. :func:`request_export` (the action: permission, one ``RegisterExport`` row, its audit record,
   and the task enqueued after commit);
2. the task ``tasks.build_register_export`` runs :func:`build_export`: the rows as the requester
   may see them (``queries``: a classified document only to its readers), in the requester's
   language, written to a temporary file (openpyxl's write-only workbook, or the PDF table that
   draws page by page), then stored in the private storage; the row says ``done`` with the
   number of rows, or ``failed`` with the reason, in the requester's language (the traceback
   goes to the log). A failure that may pass (the database or the storage unreachable) is
   tried again a minute later, up to :data:`MAX_ATTEMPTS` times, where the task backend can
   defer; the last failure is raised, so the run is listed as failed under Settings →
   Background tasks, whose Retry button runs it again (safe: an export is made again from
   nothing, and a run finding it done or being made by another worker does nothing);
3. the registers page lists "Your exports"; :func:`may_download` decides who fetches a file;
4. :func:`purge` removes exports older than ``DOCUMENTS_EXPORT_KEEP_DAYS`` days with their
   files, and marks as failed those whose worker died while making them. It runs after every
   export and from ``manage.py purge_register_exports`` (or the task
   ``tasks.purge_register_exports``, for the scheduler).

Files live under ``documents/exports/<yyyy>/<mm>/<random token>.<ext>`` in the private storage
(never the public media), served only by the download view after :func:`may_download`.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import re
import secrets
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any, cast

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import File
from django.core.files.storage import Storage, storages
from django.db import InterfaceError, OperationalError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from vgp.accounts import permissions
from vgp.agencies.models import Agency
from vgp.audit.trail import record

from . import queries, registers
from .models import ExportFormat, ExportStatus, RegisterExport, RegisterKind
from .registers import FontsMissing, Register, RegisterRow

logger = logging.getLogger(__name__)

STORAGE_ALIAS = "private"
STORED_NAME = re.compile(r"^documents/exports/\d{4}/\d{2}/[0-9a-f]{32}\.(xlsx|pdf)$")
CONTENT_TYPES = {
    ExportFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ExportFormat.PDF: "application/pdf",
}
# One official's exports waiting or being made at once: a year's PDF takes a worker for
# minutes, and a second click should not queue another.
MAX_WAITING_PER_USER = 3
# Attempts of an export whose failure may pass, and the wait before the next one.
MAX_ATTEMPTS = 3
RETRY_AFTER = dt.timedelta(minutes=1)
# An export "being made" for longer than this lost its worker (a restart, a crash).
STALE_AFTER = dt.timedelta(hours=1)
# Failures that may pass: the database or the storage unreachable for a moment.
TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (OperationalError, InterfaceError, OSError)


def inline_max_rows() -> int:
    """Registers of up to this many rows are made while the browser waits."""
    return int(getattr(settings, "DOCUMENTS_EXPORT_INLINE_MAX_ROWS", 2000))


def keep_days() -> int:
    return int(getattr(settings, "DOCUMENTS_EXPORT_KEEP_DAYS", 7))


def register_of(export: RegisterExport) -> Register:
    return Register(
        kind=export.kind,
        agency=export.agency,
        date_from=export.date_from,
        date_to=export.date_to,
    )


def file_name(export: RegisterExport) -> str:
    """The name the file is downloaded under: ``so-van-ban-den-2026-11.xlsx``."""
    return register_of(export).file_name(export.file_format)


def content_type(export: RegisterExport) -> str:
    return CONTENT_TYPES[ExportFormat(export.file_format)]


# --- Asking for one (the action) ------------------------------------------------------------


def _audit_summary(message: str, **params: Any) -> str:
    # Audit summaries are data: written in the installation's language (as in ``actions``).
    with translation.override(settings.LANGUAGE_CODE):
        values = {key: str(value) for key, value in params.items()}
        return _(message) % values


@transaction.atomic
def request_export(
    actor: Any,
    *,
    kind: str,
    agency: Agency,
    date_from: dt.date,
    date_to: dt.date,
    file_format: str,
) -> RegisterExport:
    """Ask for the file of one register to be made in the background; returns its row (the
    one already waiting, when the same file was asked for and is not made yet).

    Who: the registers' readers (``documents.report_document``), for the organisations whose
    registers they may open (:func:`registers.may_read_register`), as the registers page
    checks. Raises ``PermissionDenied`` or ``ValidationError``."""
    permissions.require(actor, queries.PERM_REPORT)
    if not registers.may_read_register(actor, agency):
        raise PermissionDenied(_("You may not read the registers of this organisation."))
    if kind not in RegisterKind.values:
        raise ValidationError({"kind": _("Choose a register from the list.")})
    if file_format not in ExportFormat.values:
        raise ValidationError(_("Choose XLSX or PDF."))
    if date_from > date_to:
        raise ValidationError({"date_to": _("The end of the period cannot be before its start.")})
    # The requester's row is the lock: two clicks at once queue here, and the second finds
    # the first's export.
    get_user_model().objects.select_for_update().filter(pk=actor.pk).first()
    mine = RegisterExport.objects.filter(
        requested_by=actor, status__in=[ExportStatus.QUEUED, ExportStatus.RUNNING]
    )
    same = mine.filter(
        kind=kind,
        agency=agency,
        date_from=date_from,
        date_to=date_to,
        file_format=file_format,
    ).first()
    if same is not None:
        return same
    if mine.count() >= MAX_WAITING_PER_USER:
        raise ValidationError(
            _(
                "%(count)s of your files are being prepared: wait until one of them is ready "
                "before asking for another."
            )
            % {"count": MAX_WAITING_PER_USER}
        )
    export = RegisterExport.objects.create(
        kind=kind,
        agency=agency,
        date_from=date_from,
        date_to=date_to,
        file_format=file_format,
        language=translation.get_language() or settings.LANGUAGE_CODE,
        requested_by=actor,
        requested_at=timezone.now(),
    )
    register = register_of(export)
    with translation.override(settings.LANGUAGE_CODE):
        object_repr = f"{register.title} {registers.EN_DASH} {agency.name}"
        period = register.period
    record(
        action="documents.request_register_export",
        actor=actor,
        obj=export,
        object_repr=object_repr,
        summary=_audit_summary(
            gettext_noop("%(format)s file of the register %(period)s asked for"),
            format=export.get_file_format_display(),
            period=period,
        ),
        changes={
            "kind": [None, kind],
            "agency": [None, agency.code],
            "period": [None, f"{date_from.isoformat()}/{date_to.isoformat()}"],
            "format": [None, file_format],
        },
    )
    pk = export.pk
    transaction.on_commit(lambda: _enqueue(pk))
    return export


def _enqueue(export_id: int, *, after: dt.timedelta | None = None) -> None:
    from .tasks import build_register_export

    task = build_register_export
    if after is not None:
        task = task.using(run_after=timezone.now() + after)
    task.enqueue(export_id)


def _can_defer() -> bool:
    from .tasks import build_register_export

    return bool(build_register_export.get_backend().supports_defer)


# --- Making the file (the task's body) ------------------------------------------------------


class ExportFailed(RuntimeError):
    """An export could not be made (its row says why; the log has the traceback)."""


class ExportRefused(RuntimeError):
    """The requester may no longer read the register (their roles changed since they asked)."""


@dataclass
class _Counted:
    """The rows of a register, counted as the file is written."""

    rows: Iterable[RegisterRow]
    count: int = 0
    classified: bool = False

    def __iter__(self) -> Iterator[RegisterRow]:
        for row in self.rows:
            self.count += 1
            self.classified = self.classified or row.classified
            yield row


@dataclass(frozen=True)
class _Made:
    stored_name: str
    size: int
    rows: int
    classified: bool


def _storage() -> Storage:
    return storages[STORAGE_ALIAS]


def _require_stored_name(stored_name: str) -> None:
    # Only names this module generated ever reach the storage.
    if not STORED_NAME.match(stored_name or ""):
        raise ValueError(f"Not a stored export file name: {stored_name!r}")


def open_file(export: RegisterExport) -> IO[bytes]:
    """The export's file, for a view that checked :func:`may_download`."""
    _require_stored_name(export.stored_name)
    return cast(IO[bytes], _storage().open(export.stored_name, "rb"))


def _delete_file(stored_name: str) -> None:
    if not stored_name:
        return
    _require_stored_name(stored_name)
    storage = _storage()
    if storage.exists(stored_name):
        storage.delete(stored_name)


def build_export(export_id: int) -> str:
    """Make the file of one export (the task ``tasks.build_register_export``); returns what
    became of it. Safe to run twice: an export done, or being made by another worker, is
    left alone; a failed one is made again."""
    export = _claim(export_id)
    if export is None:
        return "skipped"
    try:
        with translation.override(export.language or settings.LANGUAGE_CODE):
            made = _make(export)
    except Exception as error:
        logger.exception(
            "Register export %s could not be made (attempt %s)", export.pk, export.attempts
        )
        return _failed(export, error)
    outcome = _done(export, made)
    try:
        purge()
    except Exception:  # the file is made; old ones wait for the next purge
        logger.exception("Old register exports could not be removed")
    return outcome


def _claim(export_id: int) -> RegisterExport | None:
    with transaction.atomic():
        export = (
            RegisterExport.objects.select_for_update()
            .select_related("agency")
            .filter(pk=export_id)
            .first()
        )
        if export is None or export.status == ExportStatus.DONE:
            return None  # removed meanwhile, or made by an earlier run
        now = timezone.now()
        running = export.status == ExportStatus.RUNNING
        if running and export.started_at and now - export.started_at < STALE_AFTER:
            return None  # another worker is making it
        export.status = ExportStatus.RUNNING
        export.attempts += 1
        export.started_at = now
        export.save(update_fields=["status", "attempts", "started_at"])
    return export


def _make(export: RegisterExport) -> _Made:
    # The requester as they are now, without a request's cached roles: the file lists what
    # they may see when it is made.
    requester = get_user_model().objects.get(pk=export.requested_by_id)
    if not requester.is_active or not registers.may_read_register(requester, export.agency_id):
        raise ExportRefused(export.pk)
    register = register_of(export)
    rows = _Counted(register.rows(requester))
    extension = ExportFormat(export.file_format).value
    name = f"documents/exports/{timezone.localtime():%Y/%m}/{secrets.token_hex(16)}.{extension}"
    with tempfile.TemporaryFile() as spool:
        if extension == ExportFormat.XLSX:
            registers.save_xlsx(register, rows, spool)
        else:
            registers.save_pdf(register, rows, spool)
        size = spool.seek(0, io.SEEK_END)
        spool.seek(0)
        stored_name = _storage().save(name, File(spool, name=name))
    _require_stored_name(stored_name)
    return _Made(stored_name=stored_name, size=size, rows=rows.count, classified=rows.classified)


def _current(export: RegisterExport) -> RegisterExport | None:
    """The export locked, if this run still owns it (nobody purged it or took it over)."""
    locked = RegisterExport.objects.select_for_update().filter(pk=export.pk).first()
    if (
        locked is None
        or locked.status != ExportStatus.RUNNING
        or locked.attempts != export.attempts
    ):
        return None
    return locked


def _done(export: RegisterExport, made: _Made) -> str:
    try:
        with transaction.atomic():
            locked = _current(export)
            if locked is None:
                _delete_file(made.stored_name)
                return "superseded"
            locked.status = ExportStatus.DONE
            locked.stored_name = made.stored_name
            locked.size = made.size
            locked.row_count = made.rows
            locked.has_classified = made.classified
            locked.error = ""
            locked.finished_at = timezone.now()
            locked.save(
                update_fields=[
                    "status",
                    "stored_name",
                    "size",
                    "row_count",
                    "has_classified",
                    "error",
                    "finished_at",
                ]
            )
    except Exception:
        _delete_file(made.stored_name)  # nothing points at it
        raise
    return "done"


def _reason(export: RegisterExport, error: BaseException) -> str:
    """Why it failed, for the requester (in their language): never the exception's own text,
    which may hold paths or data; the IT centre finds the traceback by the export's number."""
    with translation.override(export.language or settings.LANGUAGE_CODE):
        if isinstance(error, FontsMissing):
            return _(
                "The PDF file cannot be made now (its fonts are missing): ask for the XLSX "
                "file, or tell the IT centre."
            )
        if isinstance(error, ExportRefused):
            return _("You may no longer read this register, so its file was not made.")
        return _(
            "The file could not be made (%(error)s). Ask for it again; if it fails again, "
            "tell the IT centre (export no. %(number)s)."
        ) % {"error": type(error).__name__, "number": export.pk}


def _failed(export: RegisterExport, error: Exception) -> str:
    reason = _reason(export, error)
    transient = isinstance(error, TRANSIENT_ERRORS)
    retry = transient and export.attempts < MAX_ATTEMPTS and _can_defer()
    try:
        with transaction.atomic():
            locked = _current(export)
            if locked is None:
                return "superseded"
            if retry:
                locked.status = ExportStatus.QUEUED
                with translation.override(export.language or settings.LANGUAGE_CODE):
                    locked.error = _(
                        "Attempt %(attempt)s of %(attempts)s failed; the next one starts in "
                        "a minute. %(reason)s"
                    ) % {"attempt": export.attempts, "attempts": MAX_ATTEMPTS, "reason": reason}
                locked.save(update_fields=["status", "error"])
                transaction.on_commit(lambda: _enqueue(export.pk, after=RETRY_AFTER))
            else:
                locked.status = ExportStatus.FAILED
                locked.error = reason
                locked.finished_at = timezone.now()
                locked.save(update_fields=["status", "error", "finished_at"])
    except Exception:
        # The database itself is gone: the row stays "being made" until purge() finds it stale.
        logger.exception("Register export %s: its failure could not be recorded", export.pk)
    if retry:
        return "retrying"
    raise ExportFailed(f"Register export {export.pk}: {type(error).__name__}") from error


# --- Who may download -----------------------------------------------------------------------


def sees_whole_register(user: Any, agency: Agency | int) -> bool:
    """Whether ``user`` sees every unclassified document of ``agency``'s registers (its clerks
    and leaders, nationwide roles: ``queries.visible_q``)."""
    if not permissions.can(user, queries.PERM_VIEW):
        return False
    agency_id = agency if isinstance(agency, int) else agency.pk
    return permissions.is_nationwide(user) or agency_id in queries.register_agency_ids(user)


def may_download(user: Any, export: RegisterExport) -> bool:
    """The requester, while they may read the register; or another reader of that register
    who sees it whole, when the file lists no classified document: a file holds what its
    requester could see, which must not show anyone more than they may see themselves."""
    if export.status != ExportStatus.DONE or not export.stored_name:
        return False
    if not registers.may_read_register(user, export.agency_id):
        return False
    if user.pk == export.requested_by_id:
        return True
    return not export.has_classified and sees_whole_register(user, export.agency_id)


def exports_of(user: Any, *, limit: int = 20) -> list[RegisterExport]:
    """The user's exports, the newest first."""
    return list(
        RegisterExport.objects.filter(requested_by_id=user.pk)
        .select_related("agency")
        .order_by("-requested_at", "-id")[:limit]
    )


# --- Removing old ones ----------------------------------------------------------------------


def purge(*, now: dt.datetime | None = None) -> int:
    """Remove the exports asked for more than ``DOCUMENTS_EXPORT_KEEP_DAYS`` days ago, with
    their files, and mark as failed those being made for longer than :data:`STALE_AFTER`
    (their worker died). Returns how many were removed. Safe to run twice, or at once."""
    now = now or timezone.now()
    for export in RegisterExport.objects.filter(
        status=ExportStatus.RUNNING, started_at__lt=now - STALE_AFTER
    ):
        with translation.override(export.language or settings.LANGUAGE_CODE):
            reason = _("Making the file was interrupted. Ask for it again.")
        RegisterExport.objects.filter(
            pk=export.pk, status=ExportStatus.RUNNING, attempts=export.attempts
        ).update(status=ExportStatus.FAILED, error=reason, finished_at=now)
    cutoff = now - dt.timedelta(days=keep_days())
    with transaction.atomic():
        old = list(
            RegisterExport.objects.select_for_update()
            .filter(requested_at__lt=cutoff)
            .order_by("id")
            .values_list("pk", "stored_name")
        )
        if not old:
            return 0
        RegisterExport.objects.filter(pk__in=[pk for pk, _name in old]).delete()
        record(
            action="documents.purge_register_exports",
            object_type=RegisterExport._meta.label_lower,
            object_repr=_audit_summary(gettext_noop("register exports")),
            summary=_audit_summary(
                gettext_noop("%(count)s register exports older than %(days)s days removed"),
                count=len(old),
                days=keep_days(),
            ),
            changes={"removed": [[pk for pk, _name in old], None]},
        )
        names = [name for _pk, name in old if name]
        transaction.on_commit(lambda: _delete_files(names))
    logger.info("Removed %d register exports older than %d days", len(old), keep_days())
    return len(old)


def _delete_files(stored_names: Iterable[str]) -> None:
    for stored_name in stored_names:
        try:
            _delete_file(stored_name)
        except Exception:  # one file left behind must not keep the others
            logger.exception("Register export file %s could not be removed", stored_name)
