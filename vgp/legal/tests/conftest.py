"""Fixtures of the legal documents database's tests: a private search index, an empty cache,
and a small library of documents (``library``) for the pages and the API."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.core.cache import cache

from vgp.legal.models import LegalDocument, RelationKind
from vgp.legal.testing import (
    SAMPLE_BODY,
    attach,
    make_document,
    reindex,
    relate,
    use_index_dir,
)


@pytest.fixture(autouse=True)
def legal_index(tmp_path):
    """Every test gets its own empty index folder: no test writes to (or reads) the real one."""
    with use_index_dir(tmp_path / "search") as path:
        yield path


@pytest.fixture(autouse=True)
def empty_cache():
    """No menu, label or page of an earlier test answers this one."""
    cache.clear()
    yield
    cache.clear()


@dataclass
class Library:
    decree: LegalDocument  # Nghị định 08/2022/NĐ-CP on environmental protection, full text
    decision: LegalDocument  # Quyết định 83/2008/QĐ-TTg, amended by the circular
    circular: LegalDocument  # Thông tư 02/2023/TT-BTC: amends the decision, names one absent
    law: LegalDocument  # Luật Đất đai (National Assembly, outside the agency registry), expired
    draft: LegalDocument  # never published


@pytest.fixture
def library(db, government_office, ministry_of_finance) -> Library:
    """Five documents of different types, issuers, years, sectors and validity."""
    decree = make_document(
        "08/2022/NĐ-CP",
        "Nghị định",
        "Quy định chi tiết một số điều của Luật Bảo vệ môi trường",
        SAMPLE_BODY,
        dt.date(2022, 1, 10),
        issuer=government_office,
        sectors=["Tài nguyên - Môi trường"],
        title_en="Detailing a number of articles of the Law on Environmental Protection",
        summary="Nghị định hướng dẫn Luật Bảo vệ môi trường về bảo vệ các thành phần môi trường.",
        signer_name="Lê Văn Thành",
        signer_position="Phó Thủ tướng",
        source_url="https://vbpl.vn/nghi-dinh-08-2022",
        index=False,
    )
    decision = make_document(
        "83/2008/QĐ-TTg",
        "Quyết định",
        "Về việc phê duyệt Đề án đổi mới quản lý đất đai",
        "Điều 1. Phê duyệt Đề án\nPhê duyệt Đề án đổi mới quản lý đất đai.\n"
        "Điều 2. Hiệu lực\nQuyết định này có hiệu lực kể từ ngày ký.",
        dt.date(2008, 6, 20),
        issuer=government_office,
        sectors=["Đất đai"],
        index=False,
    )
    circular = make_document(
        "02/2023/TT-BTC",
        "Thông tư",
        "Sửa đổi Quyết định 83/2008/QĐ-TTg về quản lý đất đai và thuế đất",
        "Điều 1. Sửa đổi\nSửa đổi Điều 1 Quyết định số 83/2008/QĐ-TTg.",
        dt.date(2023, 3, 1),
        issuer=ministry_of_finance,
        sectors=["Đất đai", "Thuế, phí, lệ phí"],
        index=False,
    )
    law = make_document(
        "45/2013/QH13",
        "Luật",
        "Luật Đất đai",
        "Điều 1. Phạm vi điều chỉnh\nLuật này quy định về chế độ sở hữu đất đai.",
        dt.date(2013, 11, 29),
        issuer_name="Quốc hội",
        sectors=["Đất đai"],
        expiry_date=dt.date(2024, 8, 1),
        index=False,
    )
    draft = make_document(
        "99/2024/NĐ-CP",
        "Nghị định",
        "Dự thảo nghị định về bảo vệ môi trường biển",
        "Điều 1. Phạm vi\nBảo vệ môi trường biển.",
        dt.date(2024, 5, 1),
        issuer=government_office,
        live=False,
    )
    relate(circular, RelationKind.AMENDS, decision, index=False)
    relate(circular, RelationKind.BASED_ON, reference="14/2019/TT-BTC", index=False)
    reindex()  # one write for all (each write is a commit on disk)
    attach(decree, "Bản gốc có chữ ký", is_original=True)
    attach(decree, "Phụ lục I", filename="phu-luc.docx")
    for document in (decree, decision, circular, law):
        document.refresh_from_db()
    return Library(decree, decision, circular, law, draft)


# --- The legal database desk: entry and checking (editorial.py, admin_views.py) -------------


@pytest.fixture
def legal_editor(government_office):
    """Chị Ngọc: legal database editor; enters documents and submits them, never publishes."""
    from vgp.accounts.roles import Role
    from vgp.testing.factories import UserFactory

    return UserFactory(
        username="ngoc",
        first_name="Ngọc",
        last_name="Trịnh Thị",
        agency=government_office,
        position="Chuyên viên pháp chế",
        roles=[Role.LEGAL_EDITOR],
    )


@pytest.fixture
def legal_checker(government_office):
    """Anh Vinh: legal database checker; approves (which publishes) or requests changes."""
    from vgp.accounts.roles import Role
    from vgp.testing.factories import UserFactory

    return UserFactory(
        username="vinh",
        first_name="Vinh",
        last_name="Đặng Quang",
        agency=government_office,
        position="Kiểm tra viên",
        roles=[Role.LEGAL_CHECKER],
    )
