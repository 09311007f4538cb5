"""Official documents in the full-text index (``vgp.search.engine``, ADR 0010).

One index entry per ``Document`` (both registers): id = the document's pk; title = its type,
number and symbol and summary; body = issuing agency, signer, content and the text of its
files (``Attachment.text``); the number and symbol as identifier terms
(``vgp.legal.numbering``), so "15/QĐ-BNV", "15/qd-bnv" or "QĐ-BNV 15" find it first. Keywords
(integers, for filters): ``agency`` (the register's agency), ``direction`` (0 incoming,
1 outgoing), ``secrecy`` and ``year`` (of receipt for an incoming document, of issue for an
outgoing one, else of creation — the date the entry sorts by too).

A classified document (``secrecy`` > 0) is indexed by its number and symbol and its summary
only: its content and file text never leave the database (ADR 0014).

The index answers ids only: :func:`search_ids` gives them best first, and the caller
(``queries``) keeps those the user may see, loading the rows from the database — so an entry
the index still holds for a document since changed, restricted or deleted shows nothing the
database does not allow.

Keeping it current: actions call :func:`schedule_document` (re-indexing after commit);
:func:`catch_up` (every minute, from the scheduler) re-reads whatever changed since its last
pass (``updated_at`` of the document, ``uploaded_at`` of its files), and reconciles the ids
when the index and the table disagree in number (a deleted document); ``manage.py
rebuild_documents_index`` starts again from nothing.

Files' text: an upload is stored without it (``files.store``); after the upload commits,
:func:`schedule_documents` enqueues the task that reads it (:func:`extract_texts`), which
records it on the file (``Attachment.text_status`` done, or failed with the traceback in the
log) and re-indexes the document. The document is found by its metadata meanwhile. A file
still waiting :data:`EXTRACT_AGAIN_AFTER` after its upload (its task was lost, or its worker
died reading it) is read again by :func:`catch_up`; one still waiting a day later is marked
failed.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from pathlib import Path

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from vgp.legal.numbering import SymbolError, parse_symbol, query_identifier_terms
from vgp.search.analysis import fold
from vgp.search.engine import SCHEMA_VERSION, Entry, IndexSpec, Query, get_index, index_root

from . import files
from .models import Attachment, Direction, Document, Secrecy, TextStatus

logger = logging.getLogger(__name__)

DOCUMENTS = IndexSpec("documents", ("agency", "direction", "secrecy", "year"))
DIRECTION_CODES = {Direction.INCOMING.value: 0, Direction.OUTGOING.value: 1}
CHUNK = 500
# The most ids one search returns (the caller intersects them with what the user may see).
MAX_IDS = 10_000
# A file still waiting for its text this long after its upload is read again by the catch-up
# (until GIVE_UP_AFTER: a few times, should its worker die reading it); then marked failed.
EXTRACT_AGAIN_AFTER = timedelta(minutes=10)
EXTRACT_AGAIN_UNTIL = timedelta(minutes=20)
GIVE_UP_AFTER = timedelta(days=1)


# --- Entries --------------------------------------------------------------------------------


def identifiers(number_symbol: str) -> list[str]:
    """The identifier terms of a number and symbol (any spelling a clerk may type)."""
    if not number_symbol:
        return []
    try:
        return parse_symbol(number_symbol).search_terms()
    except SymbolError:
        # A sender's symbol outside Decree 30's forms: findable as written, folded.
        return [fold(number_symbol).replace(" ", "")]


def _day(document: Document) -> date:
    if document.direction == Direction.INCOMING and document.received_at:
        moment = document.received_at
    elif document.direction == Direction.OUTGOING and document.issued_at:
        moment = document.issued_at
    else:
        moment = document.created_at or timezone.now()
    return timezone.localdate(moment)


def document_entry(document: Document, file_texts: Sequence[str] = ()) -> Entry:
    """The index entry of one document; ``file_texts`` are its files' texts (ignored for a
    classified document)."""
    day = _day(document)
    classified = document.secrecy > Secrecy.NONE
    if classified:
        # Number, symbol and summary only (ADR 0014): no type, issuer, signer or text.
        title = f"{document.number_symbol} {document.summary}".strip()
        body = ""
    else:
        type_name = document.document_type.name_vi if document.document_type_id else ""
        title = f"{type_name} {document.number_symbol} {document.summary}".strip()
        body = "\n".join(
            part
            for part in (
                document.issuer_name,
                document.signer_name,
                document.content,
                *file_texts,
            )
            if part
        )
    return Entry(
        id=document.pk,
        title=title,
        body=body,
        identifiers=identifiers(document.number_symbol),
        date=day,
        keywords={
            "agency": document.agency_id,
            "direction": DIRECTION_CODES.get(document.direction, 0),
            "secrecy": int(document.secrecy),
            "year": day.year,
        },
    )


def _file_texts(document_ids: Sequence[int]) -> dict[int, list[str]]:
    """The files' texts of the unclassified ones of these documents, in their order."""
    found: dict[int, list[str]] = {}
    rows = (
        Attachment.objects.filter(document_id__in=document_ids, document__secrecy=Secrecy.NONE)
        .exclude(text="")
        .order_by("document_id", "id")
        .values_list("document_id", "text")
    )
    for document_id, text in rows:
        found.setdefault(document_id, []).append(text)
    return found


def index_documents(document_ids: Iterable[int]) -> int:
    """Bring the entries of these documents in line with the database: written if the row
    exists, removed if it does not. Safe to run twice."""
    ids = sorted({int(i) for i in document_ids})
    if not ids:
        return 0
    written = 0
    index = get_index(DOCUMENTS)
    with index.bulk(threads=1) as bulk:
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            documents = list(
                Document.objects.filter(pk__in=chunk)
                .select_related("document_type")
                .defer("search_text")
            )
            texts = _file_texts([d.pk for d in documents])
            entries = [document_entry(d, texts.get(d.pk, ())) for d in documents]
            # Every id of the chunk is cleared first: a deleted document leaves the index.
            written += bulk.write(entries, delete=chunk, replace=False)
    return written


def schedule_documents(document_ids: Iterable[int]) -> None:
    """Re-index these documents once the current transaction commits, and have the text of
    their new files read (:func:`extract_texts`)."""
    ids = sorted({int(i) for i in document_ids})
    if not ids:
        return
    transaction.on_commit(lambda: _after_commit(ids))


def _after_commit(document_ids: list[int]) -> None:
    from .tasks import extract_attachment_texts
    from .tasks import index_documents as index_task

    index_task.enqueue(document_ids)
    waiting = list(
        Attachment.objects.filter(document_id__in=document_ids, text_status=TextStatus.PENDING)
        .order_by("id")
        .values_list("pk", flat=True)
    )
    if waiting:
        extract_attachment_texts.enqueue(waiting)


def schedule_document(document_id: int) -> None:
    """Re-index one document once the current transaction commits (actions call this after
    any change of its metadata, secrecy or files)."""
    schedule_documents([document_id])


# --- Files' text -----------------------------------------------------------------------------


def extract_texts(attachment_ids: Iterable[int]) -> dict[str, int]:
    """Read the text of these files (those still waiting for it), record it, and re-index
    their documents. A file that cannot be read is marked failed and logged; the others go
    on. Copies of a document received inside the system share its stored file: each file is
    read once. Safe to run twice (a file read already is skipped)."""
    waiting = list(
        Attachment.objects.filter(pk__in=list(attachment_ids), text_status=TextStatus.PENDING)
        .order_by("id")
        .only("id", "document_id", "stored_name", "original_name")
    )
    by_file: dict[str, list[Attachment]] = {}
    for attachment in waiting:
        by_file.setdefault(attachment.stored_name, []).append(attachment)
    report = {"done": 0, "failed": 0}
    documents: set[int] = set()
    for stored_name, rows in by_file.items():
        try:
            text = files.extract_stored_text(stored_name, name=rows[0].original_name)
            status = TextStatus.DONE
        except Exception:
            logger.exception(
                "The text of %r (files %s) could not be extracted",
                rows[0].original_name,
                ", ".join(str(row.pk) for row in rows),
            )
            text, status = "", TextStatus.FAILED
        # Only rows still waiting: another run may have finished them meanwhile.
        report[status] += Attachment.objects.filter(
            pk__in=[row.pk for row in rows], text_status=TextStatus.PENDING
        ).update(text=text, text_status=status)
        documents.update(row.document_id for row in rows)
    if documents:
        # Changed for every server's catch-up too (each keeps its own index).
        Document.objects.filter(pk__in=documents).update(updated_at=timezone.now())
        index_documents(documents)
    return report


def _waiting_files(now: datetime) -> None:
    """Read again the files whose text is late; give up on those a day late."""
    waiting = Attachment.objects.filter(text_status=TextStatus.PENDING)
    given_up = waiting.filter(uploaded_at__lt=now - GIVE_UP_AFTER).update(
        text_status=TextStatus.FAILED
    )
    if given_up:
        logger.error("%d files waited a day for their text: marked failed", given_up)
    late = list(
        waiting.filter(
            uploaded_at__lt=now - EXTRACT_AGAIN_AFTER,
            uploaded_at__gte=now - EXTRACT_AGAIN_UNTIL,
        )
        .order_by("id")
        .values_list("pk", flat=True)[:CHUNK]
    )
    if late:
        from .tasks import extract_attachment_texts

        extract_attachment_texts.enqueue(late)


# --- Catching up ----------------------------------------------------------------------------


def _watermark_file() -> Path:
    # Versioned with the index: a new schema starts empty, so it must start from the top.
    return index_root() / f"documents-watermark-v{SCHEMA_VERSION}.json"


def _read_watermark() -> datetime | None:
    path = _watermark_file()
    if not path.exists():
        return None
    try:
        return datetime.fromisoformat(json.loads(path.read_text())["since"])
    except (ValueError, KeyError, TypeError, OSError):
        return None


def _reconcile() -> int:
    """When the index and the table disagree in number, remove the entries of documents that
    are gone and add those missing (reads every id: only then)."""
    index = get_index(DOCUMENTS)
    if index.count() == Document.objects.count():
        return 0
    present = index.ids()
    existing = set(Document.objects.values_list("pk", flat=True))
    stale = sorted(present - existing)
    missing = existing - present
    if stale:
        index.write(delete=stale)
    return index_documents(missing) if missing else 0


def catch_up(*, margin: timedelta = timedelta(minutes=5)) -> int:
    """Re-index documents changed (or given files) since the last pass, minus ``margin`` for
    transactions that committed late; then reconcile deleted documents. Returns the number of
    entries written."""
    started = timezone.now()
    since = _read_watermark()
    changed = Document.objects.all()
    if since is not None:
        threshold = since - margin
        changed = changed.filter(
            Q(updated_at__gte=threshold)
            | Q(pk__in=Attachment.objects.filter(uploaded_at__gte=threshold).values("document_id"))
        )
    count = index_documents(changed.values_list("pk", flat=True))
    count += _reconcile()
    _waiting_files(started)
    path = _watermark_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"since": started.isoformat()}))
    return count


def rebuild() -> int:
    """Drop this server's index and index every document again."""
    get_index(DOCUMENTS).clear()
    _watermark_file().unlink(missing_ok=True)
    return catch_up()


# --- Searching ------------------------------------------------------------------------------


def search_ids(
    text: str,
    *,
    limit: int = 1000,
    direction: str | None = None,
    agency_ids: Iterable[int] | None = None,
    years: Iterable[int] | None = None,
) -> list[int]:
    """Ids of the documents matching ``text`` (with or without diacritics, or a number and
    symbol), best first; at most ``limit`` (and at most :data:`MAX_IDS`). Empty text: every
    document, the newest first.

    Up to four words are keywords: every one must be found. A longer query is a question
    (ADR 0010): no word is required and at most the 200 best candidates come back.

    ``direction`` ("in" or "out"), ``agency_ids`` (registers) and ``years`` narrow the search
    in the index: pass the registers a user sees so that ``limit`` is not spent on others.
    The ids are not checked against what anyone may see: the caller does that.
    """
    filters: dict[str, list[int]] = {}
    if direction is not None:
        if direction not in DIRECTION_CODES:
            raise ValueError(f"Unknown direction {direction!r}: 'in' or 'out'")
        filters["direction"] = [DIRECTION_CODES[direction]]
    if agency_ids is not None:
        wanted = sorted({int(i) for i in agency_ids})
        if not wanted:
            return []
        filters["agency"] = wanted
    if years is not None:
        wanted_years = sorted({int(y) for y in years})
        if not wanted_years:
            return []
        filters["year"] = wanted_years
    text = text or ""
    query = Query(
        text=text,
        identifiers=query_identifier_terms(text) if text.strip() else (),
        filters=filters,
        sort="relevance" if text.strip() else "newest",
        limit=max(1, min(int(limit), MAX_IDS)),
    )
    result = get_index(DOCUMENTS).search(query)
    return [hit.id for hit in result.hits]
