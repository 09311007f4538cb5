"""Builders of legal documents for tests, browser tests and screenshots.

Documents are published the way the admin publishes them: the row is saved live, then
:func:`vgp.legal.actions.after_publication` rebuilds its provisions, links its relations and
recomputes validity. The search index is written here explicitly, because the indexing that
publication schedules runs only when a transaction commits, which a test inside a transaction
never does. Point the index at a temporary folder first (:func:`use_index_dir`, or the
``legal_index`` fixture of ``vgp/legal/tests/conftest.py``): nothing here may write to the
real index.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.test import override_settings
from wagtail.documents import get_document_model
from wagtail.models import Collection

from vgp.agencies.models import Agency
from vgp.core.text import slugify
from vgp.search.engine import forget_open_indexes

from . import actions, search_index
from .models import (
    Attachment,
    Category,
    DocumentRelation,
    DocumentType,
    LegalDocument,
    RelationKind,
    Sector,
)
from .numbering import type_code_for_name

# A law-like text with a preamble, two chapters, clauses and points: enough for every anchor.
SAMPLE_BODY = """\
Căn cứ Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam;
Chính phủ ban hành Nghị định quy định chi tiết một số điều của Luật Bảo vệ môi trường.
Chương I
NHỮNG QUY ĐỊNH CHUNG
Điều 1. Phạm vi điều chỉnh
Nghị định này quy định chi tiết về bảo vệ các thành phần môi trường.
Điều 2. Đối tượng áp dụng
1. Cơ quan, tổ chức, cộng đồng dân cư, hộ gia đình và cá nhân.
2. Cơ quan nhà nước có thẩm quyền:
a) Bộ Tài nguyên và Môi trường;
b) Ủy ban nhân dân cấp tỉnh.
Chương II
BẢO VỆ MÔI TRƯỜNG NƯỚC
Điều 3. Bảo vệ môi trường nước mặt
1. Chất lượng nước mặt phải được quan trắc định kỳ.
2. Nguồn thải vào nước mặt phải được kiểm soát.
Điều 4. Hiệu lực thi hành
Nghị định này có hiệu lực thi hành kể từ ngày ký.
"""


@contextmanager
def use_index_dir(path: Path) -> Iterator[Path]:
    """Search indexes under ``path`` for the duration (and a fresh issuer-label cache)."""
    path.mkdir(parents=True, exist_ok=True)
    forget_open_indexes()
    cache.delete("legal:issuer-labels")
    try:
        with override_settings(SEARCH_INDEX_DIR=path):
            yield path
    finally:
        forget_open_indexes()
        cache.delete("legal:issuer-labels")


def _seed() -> Any:
    """The types and sectors the migrations seed (a flushed database, e.g. a browser test's,
    has lost them): the same names, English names and abbreviations."""
    return importlib.import_module("vgp.legal.migrations.0002_seed_types_and_sectors")


def document_type(name: str = "Nghị định") -> DocumentType:
    """The type called ``name`` (seeded by the migrations; created again in a flushed database)."""
    found = DocumentType.objects.filter(name=name).first()
    if found is not None:
        return found
    for seeded, name_en, abbreviation, category, rank in _seed().TYPES:
        if seeded == name:
            return DocumentType.objects.create(
                name=name, name_en=name_en, abbreviation=abbreviation, category=category, rank=rank
            )
    return DocumentType.objects.create(
        name=name,
        abbreviation=type_code_for_name(name) or "",
        category=Category.DIRECTIVE if name in {"Chỉ thị", "Công văn"} else Category.LEGAL,
    )


def sector(name: str) -> Sector:
    found = Sector.objects.filter(name=name).first()
    if found is not None:
        return found
    for seeded, name_en, slug in _seed().SECTORS:
        if seeded == name:
            return Sector.objects.create(name=name, name_en=name_en, slug=slug)
    return Sector.objects.create(name=name, slug=slugify(name))


def make_document(
    number_symbol: str = "",
    doc_type_name: str = "Nghị định",
    title: str = "Quy định chi tiết một số điều của Luật Bảo vệ môi trường",
    body: str = "",
    issued_date: dt.date | None = dt.date(2022, 1, 10),
    effective_date: dt.date | None = None,
    issuer: Agency | None = None,
    issuer_name: str = "",
    sectors: Iterable[Sector | str] = (),
    live: bool = True,
    publish: bool = True,
    *,
    title_en: str = "",
    summary: str = "",
    expiry_date: dt.date | None = None,
    signer_name: str = "",
    signer_position: str = "",
    category: str | None = None,
    source_url: str = "",
    index: bool = True,
) -> LegalDocument:
    """A legal document; published (provisions, validity, index) when ``live`` and ``publish``.

    ``sectors`` are Sector objects or names (created when missing). ``issuer_name`` is the
    printed name of an issuer outside the registry (the National Assembly). ``index=False``
    leaves the search index alone (tests of indexing itself).
    """
    kind = document_type(doc_type_name)
    document = LegalDocument(
        number_symbol=number_symbol,
        doc_type=kind,
        category=category or kind.category,
        issuer=issuer,
        issuer_name=issuer_name,
        signer_name=signer_name,
        signer_position=signer_position,
        title=title,
        title_en=title_en,
        summary=summary,
        body=body,
        issued_date=issued_date,
        effective_date=effective_date if effective_date is not None else issued_date,
        expiry_date=expiry_date,
        source_url=source_url,
        live=live,
    )
    actions.apply_symbol(document)
    document.save()
    if sectors:
        document.sectors.set([s if isinstance(s, Sector) else sector(s) for s in sectors])
        document.save()
    if live and publish:
        publish_document(document, index=index)
    return document


def publish_document(document: LegalDocument, *, index: bool = True) -> LegalDocument:
    """What publishing does, then the index written at once (see the module docstring)."""
    actions.after_publication(document)
    if index:
        reindex(document.pk, *related_ids(document))
    document.refresh_from_db()
    return document


def related_ids(document: LegalDocument) -> list[int]:
    outgoing = DocumentRelation.objects.filter(source=document).exclude(target__isnull=True)
    incoming = DocumentRelation.objects.filter(target=document)
    return [
        *outgoing.values_list("target_id", flat=True),
        *incoming.values_list("source_id", flat=True),
    ]


def reindex(*document_ids: int) -> int:
    """Write these documents' index entries now (all documents when none is given)."""
    ids: Sequence[int] = document_ids or list(LegalDocument.objects.values_list("pk", flat=True))
    cache.delete("legal:issuer-labels")
    return search_index.index_documents(ids)


def relate(
    source: LegalDocument,
    kind: str = RelationKind.AMENDS,
    target: LegalDocument | None = None,
    *,
    reference: str = "",
    partial: bool = False,
    note: str = "",
    index: bool = True,
) -> DocumentRelation:
    """``source`` amends (replaces, …) ``target``, or a document known only by ``reference``;
    the source is published again so validity and the index follow."""
    relation = DocumentRelation.objects.create(
        source=source,
        kind=kind,
        target=target,
        target_reference=reference,
        partial=partial,
        note=note,
    )
    if source.live:
        publish_document(source, index=index)
    return relation


def attach(
    document: LegalDocument,
    title: str = "Bản gốc",
    *,
    filename: str = "van-ban.pdf",
    content: bytes = b"%PDF-1.4 " + b"0" * 2048,
    is_original: bool = False,
) -> Attachment:
    """A file of the document (the signed original, an annex) from made-up bytes."""
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    file = get_document_model().objects.create(
        title=title, file=ContentFile(content, name=filename), file_size=len(content)
    )
    return Attachment.objects.create(
        document=document,
        file=file,
        title=title,
        is_original=is_original,
        sort_order=document.attachments.count(),
    )
