"""Fixtures of the gazette's tests: a private search index, two gazette editors, and a few
published legal documents to print."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.utils import timezone

from vgp.accounts.roles import Role
from vgp.gazette import actions
from vgp.gazette.models import GazetteIssue
from vgp.gazette.testing import SampleDocuments, publish, sample_documents
from vgp.legal.testing import use_index_dir
from vgp.testing.factories import UserFactory


@pytest.fixture(autouse=True)
def search_indexes(tmp_path):
    """Every test gets its own empty index folder: no test writes to (or reads) the real one."""
    with use_index_dir(tmp_path / "search") as path:
        yield path


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def gazette_editor(government_office):
    """Chị Thu: gazette editor at the Government Office; assembles issues and submits them."""
    return UserFactory(
        username="thu",
        first_name="Thu",
        last_name="Phạm Thị",
        agency=government_office,
        position="Biên tập viên Công báo",
        roles=[Role.GAZETTE_EDITOR],
    )


@pytest.fixture
def second_editor(government_office):
    """Anh Bảo: another gazette editor; checks and publishes what Thu submits (four eyes)."""
    return UserFactory(
        username="bao",
        first_name="Bảo",
        last_name="Lê Quốc",
        agency=government_office,
        position="Biên tập viên Công báo",
        roles=[Role.GAZETTE_EDITOR],
    )


@pytest.fixture
def documents(government_office) -> SampleDocuments:
    """Nghị định 08/2022/NĐ-CP, Quyết định 83/2008/QĐ-TTg, Công văn 1925/VPCP-KGVX (published)
    and an unpublished draft decree."""
    return sample_documents(government_office)


@pytest.fixture
def draft_issue(gazette_editor, documents) -> GazetteIssue:
    """Issue 1 of this year, a draft with the decree and the decision, in that order."""
    today = timezone.localdate()
    return actions.create_issue(
        gazette_editor,
        year=today.year,
        number=1,
        issue_date=today,
        documents=[documents.decree, documents.decision],
    )


@pytest.fixture
def published_issue(draft_issue, gazette_editor, second_editor) -> GazetteIssue:
    return publish(draft_issue, gazette_editor, second_editor)
