"""Builders of gazette issues for tests, browser tests and screenshots.

Issues go through the real actions (create, submit, publish); the search index is written
here explicitly, because the indexing that publication schedules runs only when a transaction
commits, which a test inside a transaction never does. Point the index at a temporary folder
first (``vgp.legal.testing.use_index_dir``): nothing here may write to the real index.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from vgp.agencies.models import Agency
from vgp.legal.models import LegalDocument
from vgp.legal.testing import SAMPLE_BODY, make_document

from . import actions, search_index
from .models import GazetteIssue


@dataclass
class SampleDocuments:
    decree: LegalDocument  # Nghị định 08/2022/NĐ-CP: chapters, articles, clauses, points
    decision: LegalDocument  # Quyết định 83/2008/QĐ-TTg: two articles, no chapter
    letter: LegalDocument  # Công văn 1925/VPCP-KGVX: plain text, no article
    draft: LegalDocument  # never published in the legal database


def sample_documents(issuer: Agency | None) -> SampleDocuments:
    """Three published documents of different shapes and one unpublished draft."""
    decree = make_document(
        "08/2022/NĐ-CP",
        "Nghị định",
        "Quy định chi tiết một số điều của Luật Bảo vệ môi trường",
        SAMPLE_BODY,
        dt.date(2022, 1, 10),
        issuer=issuer,
        signer_name="Lê Văn Thành",
        signer_position="Phó Thủ tướng",
    )
    decision = make_document(
        "83/2008/QĐ-TTg",
        "Quyết định",
        "Về việc phê duyệt Đề án đổi mới quản lý đất đai",
        "Điều 1. Phê duyệt Đề án\nPhê duyệt Đề án đổi mới quản lý đất đai.\n"
        "Điều 2. Hiệu lực\nQuyết định này có hiệu lực kể từ ngày ký.",
        dt.date(2008, 6, 20),
        issuer=issuer,
        signer_name="Nguyễn Tấn Dũng",
        signer_position="Thủ tướng",
    )
    letter = make_document(
        "1925/VPCP-KGVX",
        "Công văn",
        "Về việc tổ chức Ngày Sách và Văn hóa đọc Việt Nam",
        "Kính gửi: Các bộ, cơ quan ngang bộ.\nVăn phòng Chính phủ thông báo ý kiến chỉ đạo.",
        dt.date(2026, 3, 2),
        issuer=issuer,
    )
    draft = make_document(
        "99/2026/NĐ-CP",
        "Nghị định",
        "Dự thảo nghị định về bảo vệ môi trường biển",
        "Điều 1. Phạm vi\nBảo vệ môi trường biển.",
        dt.date(2026, 5, 1),
        issuer=issuer,
        live=False,
    )
    return SampleDocuments(decree, decision, letter, draft)


def publish(issue: GazetteIssue, submitter: Any, publisher: Any) -> GazetteIssue:
    """Submit (``submitter``) and publish (``publisher``) ``issue``, then index it at once."""
    actions.submit_for_review(submitter, issue)
    actions.publish_issue(publisher, issue)
    search_index.index_issue(issue.pk)
    issue.refresh_from_db()
    return issue


def make_issue(
    documents: list[LegalDocument],
    *,
    submitter: Any,
    publisher: Any,
    issue_date: dt.date,
    number: int | None = None,
) -> GazetteIssue:
    """A published issue of ``documents`` dated ``issue_date``."""
    from .numbering import next_free_number

    issue = actions.create_issue(
        submitter,
        year=issue_date.year,
        number=number or next_free_number(issue_date.year),
        issue_date=issue_date,
        documents=documents,
    )
    return publish(issue, submitter, publisher)
