"""Legal documents and their articles in the full-text index (ADR 0010).

Two indexes: one entry per published document (its type, number, title, summary and full
text) and one per article (Điều), carrying its document's filters so that an article search
can be narrowed the same way. Keyword fields are small integers:

- ``type``: DocumentType id; ``sector``: Sector ids; ``year``: year of issue;
- ``issuer``: the Agency id, or for an issuer outside the registry (the National Assembly)
  a stable number derived from its printed name (:func:`issuer_key`);
- ``status`` and ``category``: the codes below; ``document``: the document id (articles).

The database is the source of truth. Publishing schedules :func:`index_documents` after
commit; :func:`catch_up` (every minute, from the scheduler) re-reads whatever changed since
the last pass, so an index on any server converges even if a task was lost.
"""

from __future__ import annotations

import json
import logging
import zlib
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from vgp.search.analysis import fold
from vgp.search.engine import SCHEMA_VERSION, BulkWriter, Entry, IndexSpec, get_index, index_root

from .models import LegalDocument, Provision, ProvisionKind, Validity

logger = logging.getLogger(__name__)

KEYWORDS = ("type", "issuer", "year", "status", "category", "sector")
DOCUMENTS = IndexSpec("legal-documents", KEYWORDS)
ARTICLES = IndexSpec("legal-articles", (*KEYWORDS, "document"))

Writers = tuple[BulkWriter, BulkWriter]

STATUS_CODES = {
    Validity.IN_FORCE: 1,
    Validity.PARTLY_EXPIRED: 2,
    Validity.EXPIRED: 3,
    Validity.NOT_YET_IN_FORCE: 4,
    Validity.UNKNOWN: 5,
}
CATEGORY_CODES = {"legal": 1, "directive": 2}
_ISSUER_NAME_BASE = 1 << 40  # above any agency id
IMPORT_COMMIT_EVERY = 30.0  # seconds


def issuer_key(issuer_id: int | None, issuer_name: str) -> int:
    if issuer_id:
        return int(issuer_id)
    return _ISSUER_NAME_BASE + zlib.crc32(fold(issuer_name).encode())


def document_identifiers(document: LegalDocument) -> list[str]:
    from .numbering import SymbolError, parse_symbol

    if not document.number_symbol:
        return []
    try:
        return parse_symbol(document.number_symbol).search_terms()
    except SymbolError:
        return [fold(document.number_symbol).replace(" ", "")]


def _keywords(document: LegalDocument, sector_ids: Sequence[int]) -> dict[str, Any]:
    return {
        "type": document.doc_type_id,
        "issuer": issuer_key(document.issuer_id, document.issuer_label),
        "year": document.issued_date.year if document.issued_date else 0,
        "status": STATUS_CODES.get(Validity(document.status), 5),
        "category": CATEGORY_CODES.get(document.category, 0),
        "sector": list(sector_ids),
    }


def document_entry(document: LegalDocument, sector_ids: Sequence[int]) -> Entry:
    return Entry(
        id=document.pk,
        title=f"{document.doc_type.name} {document.number_symbol} {document.title}",
        body=f"{document.summary}\n{document.body}",
        identifiers=document_identifiers(document),
        date=document.issued_date,
        keywords=_keywords(document, sector_ids),
    )


def article_entries(
    document: LegalDocument, articles: Iterable[Provision], sector_ids: Sequence[int]
) -> list[Entry]:
    """The entries of a document's articles (what they share is worked out once)."""
    keywords = {**_keywords(document, sector_ids), "document": document.pk}
    identifiers = document_identifiers(document)
    return [
        Entry(
            id=article.pk,
            title=f"{document.title} Điều {article.number}. {article.heading}",
            body=article.text,
            identifiers=identifiers,
            date=document.issued_date,
            keywords=keywords,
        )
        for article in articles
    ]


def _sector_map(document_ids: Sequence[int]) -> dict[int, list[int]]:
    through = LegalDocument.sectors.through
    found: dict[int, list[int]] = {}
    for document_id, sector_id in through.objects.filter(
        legaldocument_id__in=document_ids
    ).values_list("legaldocument_id", "sector_id"):
        found.setdefault(document_id, []).append(sector_id)
    return found


def index_documents(document_ids: Iterable[int], writers: Writers | None = None) -> int:
    """Bring the index entries of these documents (and their articles) in line with the DB."""
    ids = sorted(set(document_ids))
    if not ids:
        return 0
    written = 0
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        documents = {
            d.pk: d
            for d in LegalDocument.objects.filter(pk__in=chunk, live=True).select_related(
                "doc_type", "issuer"
            )
        }
        sectors = _sector_map(list(documents))
        articles: dict[int, list[Provision]] = {}
        for article in Provision.objects.filter(
            document_id__in=list(documents), kind=ProvisionKind.ARTICLE
        ).order_by("document_id", "position"):
            articles.setdefault(article.document_id, []).append(article)
        written += write_entries(
            documents.values(), articles, sectors, removed=chunk, writers=writers
        )
    return written


def write_entries(
    documents: Iterable[LegalDocument],
    articles: dict[int, list[Provision]],
    sectors: dict[int, list[int]],
    *,
    removed: Sequence[int] = (),
    writers: Writers | None = None,
    new: bool = False,
) -> int:
    """Write documents and their articles; every id in ``removed`` is cleared first.

    ``writers`` are open bulk writers (imports); without them each index commits once.
    ``new``: the documents were just created, so only ``removed`` needs clearing.
    """
    documents = list(documents)
    doc_entries = [document_entry(d, sectors.get(d.pk, ())) for d in documents]
    entries = [
        entry
        for d in documents
        for entry in article_entries(d, articles.get(d.pk, []), sectors.get(d.pk, ()))
    ]
    cleared = sorted(set(removed) if new else set(removed) | {d.pk for d in documents})
    documents_writer: Any = writers[0] if writers else get_index(DOCUMENTS).bulk(threads=1)
    articles_writer: Any = writers[1] if writers else get_index(ARTICLES).bulk(threads=1)
    if writers:
        documents_writer.write(doc_entries, delete=cleared, replace=False)
        articles_writer.write(
            entries, delete_where=[("document", i) for i in cleared], replace=False
        )
    else:
        with documents_writer as bulk:
            bulk.write(doc_entries, delete=cleared, replace=False)
        with articles_writer as bulk:
            bulk.write(entries, delete_where=[("document", i) for i in cleared], replace=False)
    return len(doc_entries)


@contextmanager
def bulk_writers(commit_every: float = IMPORT_COMMIT_EVERY) -> Iterator[Writers]:
    """Both indexes' writers held open for a long run of writes (an import), committing
    every ``commit_every`` seconds and at the end: what an import added becomes searchable
    as it goes, and if it stops half-way, :func:`catch_up` indexes the documents it wrote."""
    with (
        get_index(DOCUMENTS).bulk(commit_every=commit_every) as documents,
        get_index(ARTICLES).bulk(commit_every=commit_every) as articles,
    ):
        yield (documents, articles)


def schedule(document_ids: Iterable[int]) -> None:
    """Index these documents once the current transaction commits."""
    ids = list(document_ids)
    if not ids:
        return
    from .tasks import index_legal_documents

    transaction.on_commit(lambda: index_legal_documents.enqueue([int(i) for i in ids]))


def _watermark_file() -> Any:
    # Versioned with the indexes: a new schema starts empty, so it must start from the top.
    return index_root() / f"legal-watermark-v{SCHEMA_VERSION}.json"


def catch_up(*, margin: timedelta = timedelta(minutes=5)) -> int:
    """Re-index documents changed since the last pass (minus ``margin`` for late commits)."""
    path = _watermark_file()
    started = timezone.now()
    since = None
    if path.exists():
        try:
            since = datetime.fromisoformat(json.loads(path.read_text())["since"])
        except (ValueError, KeyError, OSError):
            since = None
    changed = LegalDocument.objects.all()
    if since is not None:
        changed = changed.filter(changed_at__gte=since - margin)
    ids = list(changed.values_list("pk", flat=True))
    count = index_documents(ids)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"since": started.isoformat()}))
    return count


def rebuild() -> int:
    """Drop both indexes and index every published document again."""
    get_index(DOCUMENTS).clear()
    get_index(ARTICLES).clear()
    _watermark_file().unlink(missing_ok=True)
    return catch_up()


def index_size_bytes() -> int:
    """Bytes on disk of both legal indexes on this server."""
    return get_index(DOCUMENTS).size_bytes() + get_index(ARTICLES).size_bytes()
