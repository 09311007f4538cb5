"""The legal documents database in the back office: lists, search, choosers, relations,
attachments, reference lists and import runs.

Personas (conftest): Chị Ngọc the legal database editor, Anh Vinh the checker; Chị Hà the IT
administrator and Anh Minh the clerk (root conftest).
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from wagtail.documents import get_document_model
from wagtail.models import Collection

from vgp.legal.models import (
    Attachment,
    DocumentRelation,
    DocumentType,
    ImportRun,
    LegalDocument,
    RelationKind,
    Sector,
    Validity,
)
from vgp.legal.testing import SAMPLE_BODY, document_type, make_document
from vgp.legal.tests.admin_forms import action, add_inline, edit_document_data, url

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _password_only(settings):
    # The second factor has its own tests; here the officials sign in with a password.
    settings.VGP_REQUIRE_2FA = False


def listed_numbers(response) -> list[str]:
    """The numbers in the list's title column, in order."""
    html = response.content.decode()
    return re.findall(r'id="snippet_\d+_title"[^>]*>\s*([^<]+?)\s*<', html)


@pytest.fixture
def documents(government_office, ministry_of_finance):
    """Three published documents and a draft, of different types, years and issuers."""
    return {
        "decree": make_document(
            "08/2022/NĐ-CP",
            "Nghị định",
            "Quy định chi tiết một số điều của Luật Bảo vệ môi trường",
            SAMPLE_BODY,
            dt.date(2022, 1, 10),
            issuer=government_office,
        ),
        "decision": make_document(
            "83/2008/QĐ-TTg",
            "Quyết định",
            "Về việc phê duyệt Đề án đổi mới quản lý đất đai",
            "Điều 1. Phê duyệt\nPhê duyệt Đề án.",
            dt.date(2008, 6, 20),
            issuer=government_office,
        ),
        "circular": make_document(
            "02/2023/TT-BTC",
            "Thông tư",
            "Hướng dẫn quản lý thuế đất",
            "Điều 1. Phạm vi\nHướng dẫn thuế đất.",
            dt.date(2023, 3, 1),
            issuer=ministry_of_finance,
        ),
        "draft": make_document(
            "99/2024/NĐ-CP",
            "Nghị định",
            "Dự thảo nghị định về bảo vệ môi trường biển",
            "Điều 1. Phạm vi\nBảo vệ môi trường biển.",
            dt.date(2024, 5, 1),
            issuer=government_office,
            live=False,
        ),
    }


# --- The list -------------------------------------------------------------------------------


def test_the_list_shows_newest_first_with_type_issuer_date_and_statuses(
    client, legal_editor, documents
):
    client.force_login(legal_editor)

    response = client.get(url("list"))

    assert response.status_code == 200
    assert listed_numbers(response) == [
        "99/2024/NĐ-CP",
        "02/2023/TT-BTC",
        "08/2022/NĐ-CP",
        "83/2008/QĐ-TTg",
    ]
    html = response.content.decode()
    for text in ("Thông tư", "Bộ Tài chính", "01/03/2023", "Hướng dẫn quản lý thuế đất"):
        assert text in html
    with translation.override("vi"):  # the admin speaks the installation's language
        assert str(Validity.IN_FORCE.label) in html  # the validity column
        assert gettext("draft") in html and gettext("live") in html  # the publication column
    row = {doc.number_symbol: doc for doc in response.context["object_list"]}
    assert row["02/2023/TT-BTC"].status == Validity.IN_FORCE
    assert not row["99/2024/NĐ-CP"].live


def test_the_list_filters_by_type_validity_and_publication(client, legal_editor, documents):
    client.force_login(legal_editor)

    by_type = client.get(url("list"), {"doc_type": document_type("Nghị định").pk})
    drafts = client.get(url("list"), {"live": "false"})
    in_force = client.get(url("list"), {"status": Validity.IN_FORCE, "live": "true"})

    assert sorted(listed_numbers(by_type)) == ["08/2022/NĐ-CP", "99/2024/NĐ-CP"]
    assert listed_numbers(drafts) == ["99/2024/NĐ-CP"]
    assert "99/2024/NĐ-CP" not in listed_numbers(in_force)
    assert len(listed_numbers(in_force)) == 3


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("83/2008/QĐ-TTg", ["83/2008/QĐ-TTg"]),  # the number as written
        ("83/2008/qd-ttg", ["83/2008/QĐ-TTg"]),  # another spelling
        ("QĐ-TTg", ["83/2008/QĐ-TTg"]),  # the symbol alone
        ("thuế đất", ["02/2023/TT-BTC"]),  # words of the title
        ("môi trường biển", ["99/2024/NĐ-CP"]),  # a draft, by its title
        ("quan ly dat dai", ["83/2008/QĐ-TTg"]),  # no diacritics: published, via the index
    ],
)
def test_the_list_searches_numbers_and_titles(client, legal_editor, documents, query, found):
    client.force_login(legal_editor)

    response = client.get(url("list"), {"q": query})

    assert listed_numbers(response) == found


def test_the_list_asks_the_database_the_same_number_of_times_for_5_or_30_documents(
    client, legal_editor, government_office
):
    def queries_for_list() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url("list"))
        assert response.status_code == 200
        return len(captured)

    client.force_login(legal_editor)
    client.get(url("list"))  # warm the content-type cache
    for n in range(5):
        make_document(f"{n + 1:02d}/2021/NĐ-CP", issuer=government_office, live=n % 2 == 0)
    few = queries_for_list()
    for n in range(5, 30):
        make_document(f"{n + 1:02d}/2021/NĐ-CP", issuer=government_office, live=n % 2 == 0)
    LegalDocument.objects.filter(number="07").first().save_revision(user=legal_editor)

    many = queries_for_list()

    assert many == few
    assert many <= 25


def test_the_chooser_searches_documents_by_number(client, legal_editor, documents):
    client.force_login(legal_editor)

    response = client.get(reverse("legal_document_chooser:choose_results"), {"q": "83/2008"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "83/2008/QĐ-TTg" in html
    assert "08/2022/NĐ-CP" not in html


def test_the_issuer_chooser_searches_the_agency_registry_without_diacritics(
    client, legal_editor, documents
):
    client.force_login(legal_editor)

    response = client.get(reverse("legal_agency_chooser:choose_results"), {"q": "tai chinh"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "Bộ Tài chính" in html
    assert "Văn phòng Chính phủ" not in html


def test_a_clerk_has_no_legal_documents_menu(client, clerk, legal_editor):
    client.force_login(clerk)
    assert url("list") not in client.get(reverse("wagtailadmin_home")).content.decode()

    client.force_login(legal_editor)
    assert url("list") in client.get(reverse("wagtailadmin_home")).content.decode()


# --- The form: tabs, relations both ways, attachments ---------------------------------------


def test_the_form_has_the_four_tabs_and_a_monospace_full_text(client, legal_editor):
    client.force_login(legal_editor)

    html = client.get(url("add")).content.decode()

    for tab in ("tab-metadata", "tab-full_text", "tab-relations", "tab-attachments"):
        assert f'href="#{tab}"' in html
    assert 'class="vgp-legal-body"' in html
    assert "font-family: ui-monospace" in html
    assert 'name="sectors" value=' in html  # one checkbox per sector
    assert html.count('type="checkbox" name="sectors"') == Sector.objects.count()


def test_a_relation_entered_on_one_document_is_shown_on_the_other(client, legal_checker, documents):
    circular, decision = documents["circular"], documents["decision"]
    client.force_login(legal_checker)

    data = edit_document_data(client, circular)
    add_inline(data, "relations", kind=RelationKind.AMENDS, target=decision.pk, partial="on")
    add_inline(data, "relations", kind=RelationKind.BASED_ON, target_reference="14/2019/tt-btc")
    response = client.post(url("edit", circular.pk), action(data, "publish"))

    assert response.status_code == 302
    relations = DocumentRelation.objects.filter(source=circular).order_by("sort_order")
    assert [(r.kind, r.target_id, r.target_reference) for r in relations] == [
        (RelationKind.AMENDS, decision.pk, ""),
        (RelationKind.BASED_ON, None, "14/2019/TT-BTC"),
    ]
    assert [r.source_id for r in decision.incoming_relations.all()] == [circular.pk]
    decision.refresh_from_db()
    assert decision.status == Validity.PARTLY_EXPIRED
    html = client.get(url("edit", decision.pk)).content.decode()
    assert "Amended or supplemented by" in html or "Được sửa đổi" in html
    assert url("edit", circular.pk) in html
    assert "Thông tư 02/2023/TT-BTC" in html


def test_an_attachment_is_added_with_the_document_chooser(client, legal_editor, documents):
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    signed = get_document_model().objects.create(
        title="Bản gốc có chữ ký",
        file=ContentFile(b"%PDF-1.4 signed", name="99-2024-nd-cp.pdf"),
    )
    draft = documents["draft"]
    client.force_login(legal_editor)
    html = client.get(url("edit", draft.pk)).content.decode()
    assert reverse("wagtaildocs_chooser:choose") in html

    data = edit_document_data(client, draft)
    add_inline(data, "attachments", file=signed.pk, title="Bản gốc", is_original="on")
    response = client.post(url("edit", draft.pk), data)

    assert response.status_code == 302
    attachment = Attachment.objects.get(document=draft)
    assert (attachment.file_id, attachment.title, attachment.is_original) == (
        signed.pk,
        "Bản gốc",
        True,
    )


# --- Document types, sectors, import runs ---------------------------------------------------


def test_the_it_administrator_keeps_the_document_types(client, it_admin, legal_editor):
    client.force_login(it_admin)
    response = client.post(
        reverse("legal_document_types:add"),
        {
            "name": "Nghị quyết liên tịch",
            "name_en": "Joint resolution",
            "abbreviation": "NQLT",
            "category": "legal",
            "rank": 8,
        },
    )
    assert response.status_code == 302
    assert DocumentType.objects.filter(abbreviation="NQLT").exists()

    client.force_login(legal_editor)
    assert client.get(reverse("legal_document_types:index")).status_code == 200
    assert client.get(reverse("legal_document_types:add")).status_code == 302  # refused


def test_the_legal_editor_adds_a_sector(client, legal_editor):
    client.force_login(legal_editor)

    response = client.post(
        reverse("legal_sectors:add"),
        {"name": "Hàng hải", "name_en": "Maritime", "slug": "hang-hai"},
    )

    assert response.status_code == 302
    assert Sector.objects.filter(slug="hang-hai").exists()


def test_import_runs_are_listed_and_inspected_read_only(client, legal_editor, admin_user):
    run = ImportRun.objects.create(
        files=["luat.jsonl"],
        created=120,
        updated=3,
        rejected=2,
        articles=4100,
        problems=[
            {"file": "luat.jsonl", "record": "dòng 7", "reason": "Thiếu trích yếu."},
            {"file": "luat.jsonl", "record": "dòng 9", "reason": "Số ký hiệu không đọc được."},
        ],
        started_by=legal_editor,
    )
    client.force_login(legal_editor)

    listing = client.get(reverse("legal_import_runs:index"))
    inspect = client.get(reverse("legal_import_runs:inspect", args=[run.pk]))

    assert listing.status_code == 200
    assert "4100" in listing.content.decode()
    assert inspect.status_code == 200
    assert "Số ký hiệu không đọc được." in inspect.content.decode()
    # Nobody edits an import run, not even a superuser
    client.force_login(admin_user)
    html = client.get(reverse("legal_import_runs:index")).content.decode()
    assert "/edit/" not in html and "/add/" not in html


def test_the_checker_previews_a_draft_and_reads_its_history(client, legal_checker, documents):
    decree = documents["decree"]
    client.force_login(legal_checker)

    data = edit_document_data(client, decree, body=SAMPLE_BODY + "Điều 5. Tổ chức thực hiện\n")
    posted = client.post(url("preview_on_edit", decree.pk), data)
    preview = client.get(url("preview_on_edit", decree.pk))

    assert posted.json()["is_valid"] is True
    assert preview.status_code == 200
    assert 'id="dieu-5"' in preview.content.decode()  # the draft's text, not the live one
    assert client.get(url("history", decree.pk)).status_code == 200
    assert client.get(url("inspect", decree.pk)).status_code == 200
