"""Official documents in the back office: the lists, registering, drafting, the document page
and each of its steps, files, versions, "My work", "Tracking", the dashboard and the settings.

Personas are in conftest.py: chị Lan (clerk of the Government Office), ông Hùng (leader), chị
Mai (head of the General Affairs Department) and anh Nam (its handler), anh Phúc and chị Thu of
the Legal Affairs Department, chị Hoa (that department's clerk), and ``outsider``, clerk and
leader of the Ministry of Home Affairs, who must never see the Office's documents.
"""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfWriter
from wagtail.users.models import UserProfile

from vgp.accounts.roles import Role
from vgp.audit.models import AuditRecord
from vgp.documents import actions
from vgp.documents.models import (
    Attachment,
    Delivery,
    DeliveryStatus,
    Document,
    EventKind,
    ReviewRule,
    ReviewStatus,
    Secrecy,
    Status,
    Task,
    TaskRole,
    TaskStatus,
    Urgency,
)
from vgp.documents.testing import doc_type, draft, incoming, official
from vgp.workdays.deadlines import VN_TZ, add_working_days

pytestmark = pytest.mark.django_db

INCOMING = reverse("documents_incoming:index")
INCOMING_RESULTS = reverse("documents_incoming:index_results")
OUTGOING = reverse("documents_outgoing:index")
REGISTER = reverse("documents:register")
DRAFT = reverse("documents:draft")
MY_WORK = reverse("documents:my_work")
TRACKING = reverse("documents:tracking")


def _one_page_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


PDF = _one_page_pdf()


@pytest.fixture(autouse=True)
def _password_only(settings):
    # The second factor has its own tests; here the officials sign in with a password.
    settings.VGP_REQUIRE_2FA = False


class EnglishClient(Client):
    """Signs officials in with English as their admin language: the assertions read the
    English source of the messages (the Vietnamese catalogue is checked apart)."""

    def force_login(self, user, backend=None):
        profile = UserProfile.get_for_user(user)
        profile.preferred_language = "en"
        profile.save(update_fields=["preferred_language"])
        super().force_login(user, backend)


@pytest.fixture
def client():
    return EnglishClient()


def page_url(document: Document) -> str:
    return reverse("documents:document", args=[document.pk])


def step_url(document: Document, step: str, target=None) -> str:
    if target is None:
        return reverse("documents:step", args=[document.pk, step])
    return reverse("documents:step_target", args=[document.pk, step, target.pk])


def listed(response) -> list[int]:
    return [document.pk for document in response.context["object_list"]]


def fresh(document: Document) -> Document:
    return Document.objects.get(pk=document.pk)


def steps_shown(response) -> list[str]:
    return [entry.key for entry in response.context["steps"]]


def bound_form(response):
    """The step form the response shows again with its errors."""
    return next(entry.form for entry in response.context["steps"] if entry.bound)


def in_days(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


def flashed(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def directed(clerk, leader, general, legal_unit, **overrides) -> Document:
    """Registered, presented to ông Hùng, directed: General Affairs leads, Legal supports."""
    document = incoming(clerk, **overrides)
    actions.present(clerk, document, leader=leader)
    actions.direct(
        leader,
        document,
        lead_unit=general,
        supporting_units=[legal_unit],
        due_on=in_days(20),
        instructions="Vụ Tổng hợp chủ trì, Vụ Pháp luật phối hợp.",
    )
    return fresh(document)


def lead(document: Document) -> Task:
    return document.tasks.get(role=TaskRole.LEAD, status=TaskStatus.OPEN)


def support(document: Document) -> Task:
    return document.tasks.get(role=TaskRole.SUPPORT, status=TaskStatus.OPEN)


def in_progress(clerk, leader, general, legal_unit, unit_head, handler) -> Document:
    document = directed(clerk, leader, general, legal_unit)
    actions.assign_handler(unit_head, lead(document), handler)
    return fresh(document)


# --- The lists ------------------------------------------------------------------------------


def test_the_incoming_list_shows_the_register_to_its_staff_and_nothing_to_another_agency(
    client, clerk, leader, outsider, office
):
    ours = incoming(clerk)
    theirs = incoming(outsider, number_symbol="77/VPCP-TH", issuer_name="Văn phòng Chính phủ")

    client.force_login(clerk)
    response = client.get(INCOMING)
    assert response.status_code == 200
    assert listed(response) == [ours.pk]
    assert client.get(page_url(theirs)).status_code == 404

    client.force_login(leader)
    assert listed(client.get(INCOMING)) == [ours.pk]

    client.force_login(outsider)
    assert listed(client.get(INCOMING)) == [theirs.pk]
    assert client.get(page_url(ours)).status_code == 404
    assert client.post(step_url(ours, "note"), {"note-text": "?"}).status_code == 404
    assert client.get(reverse("documents:file", args=[ours.pk, 1])).status_code == 404


def test_the_outgoing_list_shows_drafts_to_their_unit(client, handler, unit_head, legal_handler):
    mine = draft(handler)

    client.force_login(handler)
    response = client.get(OUTGOING)
    assert response.status_code == 200
    assert listed(response) == [mine.pk]
    assert "Về việc tham gia ý kiến dự thảo Nghị định" in response.content.decode()

    client.force_login(unit_head)  # the drafting unit's head
    assert listed(client.get(OUTGOING)) == [mine.pk]

    client.force_login(legal_handler)  # another unit, not taking part
    assert listed(client.get(OUTGOING)) == []
    assert client.get(page_url(mine)).status_code == 404


def test_a_classified_document_is_hidden_from_a_handler_not_named(
    client, clerk, leader, handler, general, legal_unit, unit_head
):
    secret = incoming(
        clerk,
        number_symbol="12/BNV-VP",
        secrecy=Secrecy.SECRET,
        secret_roles=[Role.LEADER],
        summary="Tài liệu mật về công tác cán bộ",
    )
    plain = incoming(clerk, number_symbol="13/BNV-VP")

    client.force_login(leader)
    assert set(listed(client.get(INCOMING))) == {secret.pk, plain.pk}
    page = client.get(page_url(secret))
    assert page.status_code == 200
    assert "Secret" in page.content.decode()
    assert "no-store" in page["Cache-Control"]

    # The General Affairs Department is directed to handle both: its unit sees the plain one,
    # but a classified document is seen only by the people named on it.
    for document in (secret, plain):
        actions.direct(leader, document, lead_unit=general, due_on=in_days(10))
    client.force_login(handler)
    assert listed(client.get(INCOMING)) == [plain.pk]
    assert client.get(page_url(secret)).status_code == 404

    # The leader names chị Mai, who assigns anh Nam: named, he now reads it.
    actions.grant_reader(leader, secret, unit_head)
    actions.assign_handler(unit_head, lead(fresh(secret)), handler)
    assert set(listed(client.get(INCOMING))) == {secret.pk, plain.pk}


def test_the_lists_filter_search_and_put_open_urgent_documents_first(
    client, clerk, leader, general
):
    normal = incoming(clerk, summary="Về việc báo cáo tình hình kinh tế - xã hội")
    flash = incoming(
        clerk,
        number_symbol="15/QĐ-BNV",
        document_type=doc_type("QĐ"),
        urgency=Urgency.FLASH,
        summary="Về việc phòng chống bão số 3",
    )
    secret = incoming(clerk, number_symbol="16/BNV-VP", secrecy=Secrecy.CONFIDENTIAL)
    client.force_login(clerk)

    def ids(**params) -> list[int]:
        return listed(client.get(INCOMING, params))

    # Open urgent first, then the newest.
    assert ids() == [flash.pk, secret.pk, normal.pk]
    assert ids(urgency="any") == [flash.pk]
    assert ids(urgency=Urgency.FLASH) == [flash.pk]
    assert ids(secrecy="any") == [secret.pk]
    assert ids(document_type=doc_type("QĐ").pk) == [flash.pk]
    assert ids(status=Status.REGISTERED) == [flash.pk, secret.pk, normal.pk]
    assert ids(status="open") == [flash.pk, secret.pk, normal.pk]
    assert ids(status=Status.CLOSED) == []
    today = timezone.localdate().strftime("%d/%m/%Y")
    assert ids(date_from=today, date_to=today) == [flash.pk, secret.pk, normal.pk]
    assert ids(date_to=(timezone.localdate() - dt.timedelta(days=1)).strftime("%d/%m/%Y")) == []
    assert ids(agency=clerk.agency_id) == [flash.pk, secret.pk, normal.pk]
    # Search: the number and symbol written any way, the incoming number, words of the summary.
    assert ids(q="15/qd-bnv") == [flash.pk]
    assert ids(q=f"{normal.arrival_number}/{normal.arrival_year}") == [normal.pk]
    assert ids(q="bão số 3") == [flash.pk]
    assert ids(q="bao so 3") == [flash.pk]  # without diacritics
    results = client.get(INCOMING_RESULTS, {"q": "kinh tế"})
    assert results.status_code == 200 and listed(results) == [normal.pk]
    # The urgency and the secrecy are shown in words.
    html = client.get(INCOMING).content.decode()
    assert "Flash" in html and "Confidential" in html
    assert "documents-row--urgent" in html
    # Closed, a flash document keeps its place by date.
    actions.direct(leader, flash, lead_unit=general)
    actions.close(leader, fresh(flash), note="Đã xử lý xong.")
    assert ids() == [secret.pk, flash.pk, normal.pk]


def test_overdue_documents_are_marked_in_words(client, clerk):
    with time_machine.travel(dt.datetime(2026, 11, 2, 9, 0, tzinfo=VN_TZ), tick=False):
        late = incoming(clerk, due_on=dt.date(2026, 11, 6))
    client.force_login(clerk)

    html = client.get(INCOMING).content.decode()

    assert "documents-row--overdue" in html
    assert "overdue by" in html
    assert late.due_on.strftime("%d/%m/%Y") in html
    assert listed(client.get(INCOMING, {"due": "overdue"})) == [late.pk]
    assert listed(client.get(INCOMING, {"due": "soon"})) == []


def test_a_list_page_of_fifty_costs_the_same_queries_as_a_page_of_three(
    client, clerk, handler, django_assert_max_num_queries
):
    client.force_login(clerk)
    for n in range(3):
        incoming(clerk, number_symbol=f"{100 + n}/BNV-VP", urgency=n % 2)
    client.get(INCOMING)  # once, so that the calendar of working days is read before counting
    with CaptureQueriesContext(connection) as few:
        assert len(listed(client.get(INCOMING))) == 3
    for n in range(52):
        incoming(clerk, number_symbol=f"{200 + n}/BNV-VP", secrecy=n % 3 == 0)
    with CaptureQueriesContext(connection) as many:
        response = client.get(INCOMING)
    assert len(listed(response)) == 50
    assert len(many.captured_queries) == len(few.captured_queries)
    with django_assert_max_num_queries(25):
        client.get(INCOMING, {"p": 2, "urgency": "any", "q": "góp ý"})

    client.force_login(handler)
    for _n in range(3):
        draft(handler, external_recipients=["Bộ Tài chính", "Bộ Tư pháp"])
    with CaptureQueriesContext(connection) as few:
        client.get(OUTGOING)
    for n in range(50):
        draft(handler, external_recipients=["Bộ Tài chính", "Bộ Tư pháp", f"Sở {n}"])
    with CaptureQueriesContext(connection) as many:
        assert len(listed(client.get(OUTGOING))) == 50
    assert len(many.captured_queries) == len(few.captured_queries)
    with django_assert_max_num_queries(25):
        client.get(OUTGOING)


def test_the_filters_options_are_read_once_for_both_forms(client, clerk):
    """Wagtail's drop-down and the form for browsers without JavaScript list the same types
    and agencies: one query each, shared."""
    official_letter = doc_type("CV")
    client.force_login(clerk)
    client.get(INCOMING)
    with CaptureQueriesContext(connection) as page:
        html = client.get(INCOMING).content.decode()
    types = [q["sql"] for q in page.captured_queries if 'FROM "documents_documenttype"' in q["sql"]]
    assert len(types) == 1
    assert (
        html.count(f'<option value="{official_letter.pk}">{official_letter.name_vi}</option>') == 2
    )
    assert 'id="nojs_document_type"' in html and 'id="id_document_type"' in html
    # The options are shown, and a choice is still checked against the field's queryset.
    chosen = client.get(INCOMING, {"document_type": official_letter.pk}).content.decode()
    assert f'<option value="{official_letter.pk}" selected>' in chosen
    refused = client.get(INCOMING, {"document_type": 999_999})
    assert refused.status_code == 200
    assert "error-message" in refused.content.decode() or "errorlist" in refused.content.decode()


def test_the_menu_leads_officials_to_their_pages(client, clerk, handler, it_admin, auditor):
    client.force_login(clerk)
    home = client.get("/quan-tri/").content.decode()
    for url in (INCOMING, OUTGOING, MY_WORK, TRACKING):
        assert f'"{url}"' in home
    assert f'"{reverse("documents_registers")}"' in home

    client.force_login(handler)  # a handler follows no one's deadlines
    home = client.get("/quan-tri/").content.decode()
    assert f'"{MY_WORK}"' in home and f'"{TRACKING}"' not in home
    assert client.get(TRACKING).status_code == 403

    client.force_login(it_admin)  # settings, never the documents
    home = client.get("/quan-tri/").content.decode()
    assert f'"{INCOMING}"' not in home
    assert f'"{reverse("documents_review_rules:index")}"' in home
    assert client.get(INCOMING).status_code in (302, 403)


# --- Registering an incoming document -------------------------------------------------------


def register_data(office, **overrides) -> dict:
    data = {
        "agency": office.pk,
        "document_type": doc_type("CV").pk,
        "number_symbol": "2050/BNV-TCBC",
        "document_date": (timezone.localdate() - dt.timedelta(days=1)).strftime("%d/%m/%Y"),
        "issuer": "",
        "issuer_name": "Bộ Nội vụ",
        "summary": "Về việc góp ý dự thảo Thông tư hướng dẫn vị trí việc làm",
        "urgency": Urgency.URGENT,
        "secrecy": Secrecy.NONE,
        "due_on": in_days(15).strftime("%d/%m/%Y"),
        "page_count": "3",
        "channel": "paper",
        "secret_roles": [Role.LEADER],
    }
    data.update(overrides)
    return data


def test_a_clerk_registers_an_incoming_document_with_its_files(
    client, clerk, office, home_ministry
):
    client.force_login(clerk)
    form = client.get(REGISTER)
    assert form.status_code == 200
    html = form.content.decode()
    assert "<fieldset" in html and "<legend" in html
    assert 'placeholder="dd/mm/yyyy"' in html

    response = client.post(
        REGISTER,
        register_data(
            office,
            issuer=home_ministry.pk,
            issuer_name="",
            main_file=SimpleUploadedFile("cong-van.pdf", PDF, content_type="application/pdf"),
            annexes=[
                SimpleUploadedFile("phu-luc-1.pdf", PDF, content_type="application/pdf"),
                SimpleUploadedFile("phu-luc-2.pdf", PDF, content_type="application/pdf"),
            ],
        ),
    )

    document = Document.objects.get()
    assert response.status_code == 302 and response["Location"] == page_url(document)
    assert document.reference in flashed(response)[0]
    assert (document.number_symbol, document.issuer, document.issuer_name) == (
        "2050/BNV-TCBC",
        home_ministry,
        "Bộ Nội vụ",
    )
    assert document.urgency == Urgency.URGENT and document.page_count == 3
    assert document.due_on == in_days(15)
    assert sorted(document.attachments.values_list("kind", "original_name")) == [
        ("annex", "phu-luc-1.pdf"),
        ("annex", "phu-luc-2.pdf"),
        ("main", "cong-van.pdf"),
    ]
    page = client.get(response["Location"])
    assert page.status_code == 200 and "cong-van.pdf" in page.content.decode()


def test_the_register_form_shows_the_actions_errors_on_their_fields(client, clerk, office):
    client.force_login(clerk)

    response = client.post(REGISTER, register_data(office, number_symbol="công văn số mười"))

    assert response.status_code == 200
    assert Document.objects.count() == 0
    errors = response.context["form"].errors
    assert "number_symbol" in errors and "83/2008/QĐ-TTg" in errors["number_symbol"][0]
    response = client.post(REGISTER, register_data(office, document_date="31/02/2026"))
    assert "document_date" in response.context["form"].errors
    response = client.post(REGISTER, register_data(office, issuer_name=""))
    assert "issuer_name" in response.context["form"].errors


def test_a_duplicate_is_shown_and_registered_only_when_the_clerk_says_so(client, clerk, office):
    first = incoming(clerk, number_symbol="2050/BNV-TCBC", issuer_name="Bộ Nội vụ")
    client.force_login(clerk)

    warned = client.post(REGISTER, register_data(office))

    assert warned.status_code == 200
    assert Document.objects.count() == 1
    html = warned.content.decode()
    assert page_url(first) in html  # a link to the document already registered
    assert 'name="allow_duplicate"' in html

    registered = client.post(REGISTER, register_data(office, allow_duplicate="on"))

    assert registered.status_code == 302
    assert Document.objects.count() == 2


def test_only_a_clerk_opens_the_register_form(client, handler, office):
    client.force_login(handler)
    response = client.get(REGISTER)
    assert response.status_code == 403
    assert "clerk" in response.content.decode()
    assert client.post(REGISTER, register_data(office)).status_code == 403
    assert Document.objects.count() == 0


# --- Drafting an outgoing document ----------------------------------------------------------


def test_a_handler_drafts_a_reply_from_the_incoming_document(
    client, clerk, leader, general, legal_unit, unit_head, handler, home_ministry
):
    received = in_progress(clerk, leader, general, legal_unit, unit_head, handler)
    client.force_login(handler)
    page = client.get(page_url(received))
    reply_link = f"{DRAFT}?reply_to={received.pk}"
    assert reply_link in page.content.decode()

    form = client.get(reply_link)
    assert form.status_code == 200
    assert form.context["form"].initial["in_reply_to"] == received.pk

    response = client.post(
        DRAFT,
        {
            "agency": handler.agency_id,
            "document_type": doc_type("CV").pk,
            "summary": "V/v góp ý dự thảo Nghị định",
            "content": "Văn phòng Chính phủ thống nhất với dự thảo.",
            "recipients": [home_ministry.pk, legal_unit.pk],
            "external_recipients": "Sở Nội vụ Hà Nội\n\n",
            "urgency": Urgency.NORMAL,
            "secrecy": Secrecy.NONE,
            "signer": leader.pk,
            "signing_prefix": "KT.",
            "in_reply_to": received.pk,
            "secret_roles": [Role.LEADER],
        },
    )

    reply = Document.objects.get(direction="out")
    assert response.status_code == 302 and response["Location"] == page_url(reply)
    assert reply.in_reply_to == received and reply.signer == leader
    assert reply.signing_prefix == "KT." and reply.drafted_by == handler
    assert sorted(reply.deliveries.values_list("recipient_name", flat=True)) == [
        "Bộ Nội vụ",
        "Sở Nội vụ Hà Nội",
        "Vụ Pháp luật",
    ]
    assert reply.versions.count() == 1
    assert f"{page_url(reply)}" in client.get(page_url(received)).content.decode()


def test_the_draft_form_needs_content_or_a_file(client, handler):
    client.force_login(handler)
    response = client.post(
        DRAFT,
        {
            "agency": handler.agency_id,
            "document_type": doc_type("CV").pk,
            "summary": "V/v góp ý",
            "content": "",
            "urgency": 0,
            "secrecy": 0,
        },
    )
    assert response.status_code == 200
    assert "content" in response.context["form"].errors
    assert Document.objects.count() == 0


def test_only_a_handler_drafts(client, clerk):
    client.force_login(clerk)
    assert client.get(DRAFT).status_code == 403


# --- The document page and the incoming steps -----------------------------------------------


def test_the_document_page_shows_where_it_is_the_slip_and_the_timeline(
    client, clerk, leader, general, legal_unit, unit_head, handler
):
    document = in_progress(clerk, leader, general, legal_unit, unit_head, handler)
    actions.add_note(handler, document, text="Đã xin ý kiến Vụ Pháp luật <b>ngay</b>.")
    client.force_login(handler)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(page_url(document))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Where is it now" in html and "Phạm Văn Nam" in html
    assert "Vụ Tổng hợp chủ trì, Vụ Pháp luật phối hợp." in html  # the instructions
    assert "Handling slip of" in html and "Vụ Pháp luật" in html
    assert "&lt;b&gt;ngay&lt;/b&gt;" in html  # escaped
    kinds = [entry.event.kind for entry in response.context["timeline"]]
    assert kinds == [
        EventKind.REGISTERED,
        EventKind.PRESENTED,
        EventKind.DIRECTED,
        EventKind.ASSIGNED,
        EventKind.NOTE,
    ]
    assert f"subtask-{lead(document).pk}" in steps_shown(response)
    assert "report" in steps_shown(response)
    assert len(queries.captured_queries) < 60


def test_each_official_is_offered_only_the_steps_they_may_take_now(
    client, clerk, leader, general, legal_unit, unit_head, handler, legal_head, legal_handler
):
    document = directed(clerk, leader, general, legal_unit)
    lead_task, support_task = lead(document), support(document)

    def shown(user) -> list[str]:
        client.force_login(user)
        return steps_shown(client.get(page_url(document)))

    assert shown(clerk) == ["note"]
    assert shown(leader) == [
        "direct",
        f"assign-{lead_task.pk}",
        f"assign-{support_task.pk}",
        "close",
        "note",
    ]
    assert set(shown(unit_head)) >= {f"subtask-{lead_task.pk}", f"return_task-{lead_task.pk}"}
    assert f"assign-{lead_task.pk}" in shown(unit_head)
    assert f"assign-{support_task.pk}" not in shown(unit_head)
    assert f"assign-{support_task.pk}" in shown(legal_head)
    assert shown(handler) == ["note"]  # not assigned yet
    assert shown(legal_handler) == ["note"]


def test_the_clerk_presents_and_a_handler_may_not(client, clerk, leader, handler, general):
    document = incoming(clerk)
    actions.direct(leader, document, lead_unit=general)  # the handler's unit takes part
    client.force_login(handler)
    refused = client.post(step_url(fresh(document), "present"), {"present-leader": leader.pk})
    assert refused.status_code == 403
    assert "permission" in refused.content.decode()

    second = incoming(clerk, number_symbol="99/BNV-VP")
    client.force_login(clerk)
    response = client.post(
        step_url(second, "present"), {"present-leader": leader.pk, "present-note": "Khẩn"}
    )
    assert response.status_code == 302 and response["Location"] == page_url(second)
    second = fresh(second)
    assert (second.status, second.holder) == (Status.PRESENTED, leader)
    assert "Nguyễn Văn Hùng" in flashed(response)[0]


def test_the_leader_directs_and_a_wrong_state_is_shown_on_the_form(
    client, clerk, leader, general, legal_unit
):
    document = incoming(clerk)
    actions.present(clerk, document, leader=leader)
    client.force_login(leader)

    response = client.post(
        step_url(document, "direct"),
        {
            "direct-lead_unit": general.pk,
            "direct-supporting_units": [legal_unit.pk],
            "direct-due_on": in_days(10).strftime("%d/%m/%Y"),
            "direct-instructions": "Giao Vụ Tổng hợp.",
        },
    )

    assert response.status_code == 302
    document = fresh(document)
    assert document.status == Status.DIRECTED and document.holder_unit == general
    assert document.due_on == in_days(10)
    assert sorted(document.tasks.values_list("role", "unit_id")) == [
        ("lead", general.pk),
        ("support", legal_unit.pk),
    ]

    actions.close(leader, document, note="Không cần xử lý thêm.")
    late = client.post(step_url(document, "direct"), {"direct-lead_unit": general.pk})
    assert late.status_code == 200
    errors = bound_form(late).non_field_errors()
    assert "not possible" in errors[0]
    assert fresh(document).status == Status.CLOSED

    past = incoming(clerk, number_symbol="98/BNV-VP")
    bad = client.post(
        step_url(past, "direct"),
        {"direct-lead_unit": general.pk, "direct-due_on": in_days(-3).strftime("%d/%m/%Y")},
    )
    assert "due_on" in bound_form(bad).errors


def test_the_unit_head_assigns_a_handler_and_a_handler_may_not(
    client, clerk, leader, general, legal_unit, unit_head, handler
):
    document = directed(clerk, leader, general, legal_unit)
    task = lead(document)
    client.force_login(handler)
    assert (
        client.post(
            step_url(document, "assign", task), {f"assign-{task.pk}-handler": handler.pk}
        ).status_code
        == 403
    )

    client.force_login(unit_head)
    response = client.post(
        step_url(document, "assign", task), {f"assign-{task.pk}-handler": handler.pk}
    )
    assert response.status_code == 302
    assert fresh(document).holder == handler and fresh(document).status == Status.IN_PROGRESS


def test_the_handler_splits_the_task_and_reports_it_done(
    client, clerk, leader, general, legal_unit, unit_head, handler, office
):
    colleague = official("binh", office, Role.HANDLER, unit=general, name="Đỗ Văn Bình")
    document = in_progress(clerk, leader, general, legal_unit, unit_head, handler)
    task = lead(document)
    client.force_login(handler)

    response = client.post(
        step_url(document, "subtask", task),
        {
            f"subtask-{task.pk}-handler": colleague.pk,
            f"subtask-{task.pk}-title": "Tổng hợp ý kiến các vụ",
            f"subtask-{task.pk}-due_on": in_days(5).strftime("%d/%m/%Y"),
        },
    )
    assert response.status_code == 302
    sub = document.tasks.get(role=TaskRole.SUBTASK)
    assert (sub.handler, sub.parent) == (colleague, task)

    client.force_login(colleague)
    assert (
        client.post(
            step_url(document, "complete", sub), {f"complete-{sub.pk}-result": "Đã tổng hợp."}
        ).status_code
        == 302
    )
    assert Task.objects.get(pk=sub.pk).status == TaskStatus.DONE

    client.force_login(handler)
    empty = client.post(step_url(document, "report"), {"report-result": ""})
    assert "result" in bound_form(empty).errors
    response = client.post(
        step_url(document, "report"), {"report-result": "Đã có văn bản trả lời."}
    )
    assert response.status_code == 302
    assert fresh(document).status == Status.REPORTED and fresh(document).holder == leader


def test_a_supporting_unit_completes_its_task(
    client, clerk, leader, general, legal_unit, legal_head, legal_handler
):
    document = directed(clerk, leader, general, legal_unit)
    task = support(document)
    actions.assign_handler(legal_head, task, legal_handler)
    client.force_login(legal_handler)
    response = client.post(
        step_url(document, "complete", task), {f"complete-{task.pk}-result": "Nhất trí."}
    )
    assert response.status_code == 302
    assert Task.objects.get(pk=task.pk).status == TaskStatus.DONE


def test_an_extension_is_asked_and_granted(
    client, clerk, leader, general, legal_unit, unit_head, handler
):
    document = in_progress(clerk, leader, general, legal_unit, unit_head, handler)
    task = lead(document)
    until = in_days(30).strftime("%d/%m/%Y")
    client.force_login(handler)
    response = client.post(
        step_url(document, "extension", task),
        {f"extension-{task.pk}-until": until, f"extension-{task.pk}-reason": "Chờ ý kiến bộ."},
    )
    assert response.status_code == 302
    refused = client.post(
        step_url(document, "decide_extension", task),
        {f"decide_extension-{task.pk}-decision": "grant"},
    )
    assert refused.status_code == 403  # a handler does not decide

    client.force_login(leader)
    page = client.get(page_url(document))
    assert f"decide_extension-{task.pk}" in steps_shown(page)
    assert "Chờ ý kiến bộ." in page.content.decode()
    response = client.post(
        step_url(document, "decide_extension", task),
        {f"decide_extension-{task.pk}-decision": "grant"},
    )
    assert response.status_code == 302
    assert Task.objects.get(pk=task.pk).due_on == in_days(30)
    assert fresh(document).due_on == in_days(30)


def test_the_unit_returns_its_lead_task_to_the_leader(
    client, clerk, leader, general, legal_unit, unit_head
):
    document = directed(clerk, leader, general, legal_unit)
    task = lead(document)
    client.force_login(unit_head)
    empty = client.post(step_url(document, "return_task", task), {})
    assert "reason" in bound_form(empty).errors
    response = client.post(
        step_url(document, "return_task", task),
        {f"return_task-{task.pk}-reason": "Không thuộc chức năng của Vụ."},
    )
    assert response.status_code == 302
    document = fresh(document)
    assert document.status == Status.PRESENTED and document.holder == leader


def test_the_leader_closes_with_a_reason_before_the_report(
    client, clerk, leader, general, legal_unit
):
    document = directed(clerk, leader, general, legal_unit)
    client.force_login(leader)
    without = client.post(step_url(document, "close"), {"close-note": ""})
    assert "note" in bound_form(without).errors
    response = client.post(step_url(document, "close"), {"close-note": "Đã trao đổi trực tiếp."})
    assert response.status_code == 302
    assert fresh(document).status == Status.CLOSED


def test_the_clerk_returns_a_document_to_its_sender(client, clerk):
    document = incoming(clerk)
    client.force_login(clerk)
    response = client.post(
        step_url(document, "return_to_sender"), {"return_to_sender-reason": "Thiếu chữ ký."}
    )
    assert response.status_code == 302
    assert fresh(document).status == Status.RETURNED_TO_SENDER
    assert "return_to_sender" not in steps_shown(client.get(page_url(document)))


def test_anyone_who_sees_the_document_adds_a_note(client, clerk, leader):
    document = incoming(clerk)
    client.force_login(leader)
    response = client.post(step_url(document, "note"), {"note-text": "Chuyển Vụ Tổng hợp."})
    assert response.status_code == 302
    assert document.events.filter(kind=EventKind.NOTE).get().message == "Chuyển Vụ Tổng hợp."


def test_the_leader_names_one_more_reader_of_a_classified_document(client, clerk, leader, handler):
    document = incoming(clerk, secrecy=Secrecy.SECRET, secret_roles=[Role.LEADER])
    client.force_login(handler)
    assert client.get(page_url(document)).status_code == 404

    client.force_login(leader)
    assert "grant_reader" in steps_shown(client.get(page_url(document)))
    response = client.post(step_url(document, "grant_reader"), {"grant_reader-reader": handler.pk})
    assert response.status_code == 302

    client.force_login(handler)
    assert client.get(page_url(document)).status_code == 200


# --- The outgoing steps ---------------------------------------------------------------------


def signed_draft(handler, leader, **overrides) -> Document:
    return draft(handler, signer=leader, **overrides)


def test_a_draft_gets_a_new_version_and_two_versions_are_compared(client, handler, leader):
    document = signed_draft(handler, leader, content="Dòng một.\nDòng hai <script>.\nDòng ba.")
    client.force_login(handler)
    response = client.post(
        step_url(document, "save_version"),
        {
            "save_version-summary": document.summary,
            "save_version-content": "Dòng một.\nDòng hai đã sửa <script>.\nDòng ba.\nDòng bốn.",
            "save_version-note": "Sửa dòng hai",
        },
    )
    assert response.status_code == 302
    assert document.versions.count() == 2

    compare = client.get(reverse("documents:compare", args=[document.pk]), {"a": 1, "b": 2})

    assert compare.status_code == 200
    html = compare.content.decode()
    assert "Dòng hai <script>" not in html
    assert "&lt;script&gt;" in html
    kinds = [row.kind for row in compare.context["rows"]]
    assert kinds == ["same", "removed", "added", "same", "added"]
    assert "<ins>đã sửa </ins>" in html
    assert "Sửa dòng hai" in html
    assert '<th scope="col">' in html


def test_the_review_chain_approves_and_the_clerk_issues_and_dispatches(
    client, clerk, handler, unit_head, leader, legal_unit, legal_clerk, home_ministry
):
    document = signed_draft(
        handler, leader, recipients=[legal_unit, home_ministry], external_recipients=["Sở Nội vụ"]
    )
    client.force_login(handler)
    assert client.post(step_url(document, "submit"), {}).status_code == 302
    document = fresh(document)
    assert document.status == Status.IN_REVIEW

    # Each reviewer in turn: the unit head, the office leader, the signer.
    for reviewer in (unit_head, leader, leader):
        client.force_login(reviewer)
        page = client.get(page_url(document))
        step = next(e for e in page.context["steps"] if e.step.name == "review")
        response = client.post(
            step_url(document, "review", step.target),
            {
                f"review-{step.target.pk}-decision": "approve",
                f"review-{step.target.pk}-comment": "",
            },
        )
        assert response.status_code == 302
    assert fresh(document).status == Status.APPROVED

    client.force_login(handler)
    assert client.post(step_url(document, "issue"), {}).status_code == 403

    client.force_login(clerk)
    response = client.post(step_url(document, "issue"), {})
    assert response.status_code == 302
    document = fresh(document)
    assert document.status == Status.ISSUED and document.number_symbol.endswith("/VPCP-TH")

    paper = document.deliveries.get(recipient__isnull=True)
    exchange = document.deliveries.get(recipient=home_ministry)
    response = client.post(step_url(document, "dispatch"), {"dispatch-on_paper": [paper.pk]})
    assert response.status_code == 302
    document = fresh(document)
    assert document.status == Status.DISPATCHED
    statuses = dict(document.deliveries.values_list("recipient_name", "status"))
    assert statuses == {
        "Vụ Pháp luật": DeliveryStatus.DELIVERED,
        "Bộ Nội vụ": DeliveryStatus.QUEUED,
        "Sở Nội vụ": DeliveryStatus.SENT,
    }

    # The exchange is not there yet: the clerk posts the paper copy to the ministry.
    page = client.get(page_url(document))
    assert f"sent_on_paper-{exchange.pk}" in steps_shown(page)
    assert client.post(step_url(document, "sent_on_paper", exchange), {}).status_code == 302
    assert Delivery.objects.get(pk=exchange.pk).status == DeliveryStatus.SENT

    # The Legal Affairs Department's clerk opens the copy (read), then registers it.
    copy = Document.objects.get(source_delivery__document=document)
    client.force_login(legal_clerk)
    page = client.get(page_url(copy))
    assert page.status_code == 200
    assert Delivery.objects.get(recipient=legal_unit).status == DeliveryStatus.READ
    assert "register" in steps_shown(page)
    response = client.post(step_url(copy, "register"), {"register-due_on": ""})
    assert response.status_code == 302
    assert fresh(copy).status == Status.REGISTERED
    assert Delivery.objects.get(recipient=legal_unit).status == DeliveryStatus.REGISTERED
    client.force_login(clerk)
    sender_page = client.get(page_url(document)).content.decode()
    assert "Registered by the recipient" in sender_page


def test_a_reviewer_returns_the_draft_with_a_comment(client, handler, unit_head, leader):
    document = signed_draft(handler, leader)
    actions.submit_for_review(handler, document)
    client.force_login(unit_head)
    step = next(
        e for e in client.get(page_url(document)).context["steps"] if e.step.name == "review"
    ).target
    no_comment = client.post(
        step_url(document, "review", step), {f"review-{step.pk}-decision": "return"}
    )
    assert "comment" in bound_form(no_comment).errors
    comment = client.post(
        step_url(document, "review", step),
        {f"review-{step.pk}-decision": "comment", f"review-{step.pk}-comment": "Xem lại đoạn 2."},
    )
    assert comment.status_code == 302
    response = client.post(
        step_url(document, "review", step),
        {f"review-{step.pk}-decision": "return", f"review-{step.pk}-comment": "Sửa trích yếu."},
    )
    assert response.status_code == 302
    document = fresh(document)
    assert document.status == Status.DRAFT and document.holder == handler
    page = client.get(page_url(document)).content.decode()
    assert "Sửa trích yếu." in page and "Round 1" in page

    client.force_login(handler)  # the step was decided: the form says so
    again = client.post(
        step_url(document, "review", step), {f"review-{step.pk}-decision": "approve"}
    )
    assert again.status_code == 200
    assert "not possible" in str(bound_form(again).non_field_errors())
    assert type(step).objects.get(pk=step.pk).status == ReviewStatus.RETURNED


def approved(handler, unit_head, leader, **overrides) -> Document:
    document = signed_draft(handler, leader, **overrides)
    actions.submit_for_review(handler, document)
    for reviewer in (unit_head, leader, leader):
        step = actions.pending_steps(reviewer, fresh(document))[0]
        actions.review(reviewer, step, decision="approve")
    return fresh(document)


def test_a_classified_document_is_never_dispatched_outside_electronically(
    client, clerk, handler, unit_head, leader, home_ministry
):
    document = approved(
        handler,
        unit_head,
        leader,
        secrecy=Secrecy.CONFIDENTIAL,
        recipients=[home_ministry],
        readers=[unit_head, clerk],
    )
    actions.issue(clerk, document)
    client.force_login(clerk)
    page = client.get(page_url(document))
    assert "never leaves the agency electronically" in page.content.decode()

    response = client.post(step_url(document, "dispatch"), {})

    assert response.status_code == 403
    assert "Bộ Nội vụ" in response.content.decode()
    assert fresh(document).status == Status.ISSUED
    assert AuditRecord.objects.filter(action="documents.dispatch_refused").count() == 1
    delivery = document.deliveries.get()
    ok = client.post(step_url(document, "dispatch"), {"dispatch-on_paper": [delivery.pk]})
    assert ok.status_code == 302 and fresh(document).status == Status.DISPATCHED


def test_the_issuer_recalls_and_a_replacement_is_drafted(
    client, clerk, handler, unit_head, leader, legal_unit
):
    document = approved(handler, unit_head, leader, recipients=[legal_unit])
    actions.issue(clerk, document)
    actions.dispatch(clerk, fresh(document))
    client.force_login(leader)
    empty = client.post(step_url(document, "recall"), {"recall-reason": ""})
    assert "reason" in bound_form(empty).errors
    response = client.post(step_url(document, "recall"), {"recall-reason": "Sai số liệu."})
    assert response.status_code == 302
    assert fresh(document).status == Status.RECALLED
    copy = Document.objects.get(source_delivery__document=document)
    assert copy.status == Status.RECALLED

    client.force_login(handler)
    page = client.get(page_url(document))
    link = f"{DRAFT}?replaces={document.pk}"
    assert link in page.content.decode()
    form = client.get(link)
    assert form.context["form"].initial["replaces"] == document.pk
    assert form.context["form"].initial["summary"] == document.summary


# --- Files ----------------------------------------------------------------------------------


def test_a_file_is_downloaded_only_by_whoever_sees_the_document(client, clerk, outsider, handler):
    document = incoming(
        clerk,
        files_=[("main", SimpleUploadedFile("cv.pdf", PDF, content_type="application/pdf"))],
    )
    attachment = Attachment.objects.get(document=document)
    url = reverse("documents:file", args=[document.pk, attachment.pk])

    client.force_login(clerk)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]

    for user in (outsider, handler):
        client.force_login(user)
        assert client.get(url).status_code == 404
    other = incoming(clerk, number_symbol="01/BNV-VP")
    client.force_login(clerk)
    assert client.get(reverse("documents:file", args=[other.pk, attachment.pk])).status_code == 404


# --- My work, tracking, the dashboard --------------------------------------------------------


def test_my_work_lists_what_waits_for_each_official(
    client, clerk, leader, general, legal_unit, unit_head, handler
):
    with time_machine.travel(dt.datetime(2026, 11, 2, 9, 0, tzinfo=VN_TZ), tick=False):
        late = incoming(clerk, number_symbol="11/BNV-VP", summary="Văn bản quá hạn")
        actions.present(clerk, late, leader=leader)
        actions.direct(leader, late, lead_unit=general, due_on=dt.date(2026, 11, 10))
        actions.assign_handler(unit_head, lead(fresh(late)), handler)
    soon = in_progress(clerk, leader, general, legal_unit, unit_head, handler)
    Task.objects.filter(pk=lead(soon).pk).update(due_on=add_working_days(timezone.localdate(), 1))
    reviewing = signed_draft(handler, leader)
    actions.submit_for_review(handler, reviewing)

    client.force_login(handler)
    response = client.get(MY_WORK)
    assert response.status_code == 200
    assert [row.document.pk for row in response.context["overdue"]] == [late.pk]
    assert [row.document.pk for row in response.context["soon"]] == [soon.pk]
    assert {row.document.pk for row in response.context["tasks"]} == {late.pk, soon.pk}
    assert "overdue by" in response.content.decode()

    client.force_login(unit_head)
    response = client.get(MY_WORK)
    assert [row.document.pk for row in response.context["reviews"]] == [reviewing.pk]

    client.force_login(clerk)
    fresh_one = incoming(clerk, number_symbol="12/BNV-VP")
    response = client.get(MY_WORK)
    assert fresh_one.pk in [row.document.pk for row in response.context["held"]]


def test_tracking_counts_deadlines_per_unit_and_per_person(
    client, clerk, leader, general, legal_unit, unit_head, handler, legal_head
):
    with time_machine.travel(dt.datetime(2026, 11, 2, 9, 0, tzinfo=VN_TZ), tick=False):
        late = directed(clerk, leader, general, legal_unit)
        Task.objects.filter(document=late).update(due_on=dt.date(2026, 11, 10))
        actions.assign_handler(unit_head, lead(late), handler)

    client.force_login(leader)
    response = client.get(TRACKING)
    assert response.status_code == 200
    units = {row.label: row.load for row in response.context["unit_rows"]}
    assert units["Vụ Tổng hợp (TH)"].overdue == 1
    assert units["Vụ Pháp luật (PL)"].overdue == 1
    people = {row.label: row.load for row in response.context["person_rows"]}
    assert people["Phạm Văn Nam"].overdue == 1
    assert [row.document.pk for row in response.context["rows"]] == [late.pk, late.pk]
    only_general = client.get(TRACKING, {"unit": general.pk, "state": "overdue"})
    assert len(only_general.context["rows"]) == 1
    assert "overdue by" in only_general.content.decode()

    client.force_login(legal_head)  # only their unit
    units = {row.label for row in client.get(TRACKING).context["unit_rows"]}
    assert units == {"Vụ Pháp luật (PL)"}


def test_the_dashboard_shows_the_documents_waiting(client, clerk, handler, it_admin):
    incoming(clerk, urgency=Urgency.FLASH, summary="Công điện về phòng chống lụt bão")
    client.force_login(clerk)
    home = client.get("/quan-tri/").content.decode()
    assert "Official documents waiting for you" in home
    assert "Công điện về phòng chống lụt bão" in home

    client.force_login(it_admin)
    assert "Official documents waiting for you" not in client.get("/quan-tri/").content.decode()


# --- Settings -------------------------------------------------------------------------------


def test_an_it_administrator_writes_a_review_chain_line_by_line(client, it_admin, office):
    client.force_login(it_admin)
    add = reverse("documents_review_rules:add")
    assert client.get(add).status_code == 200

    bad = client.post(
        add, {"agency": office.pk, "document_type": "", "steps_text": "unit_head\nboss, leader"}
    )
    assert bad.status_code == 200
    assert "Line 2" in str(bad.context["form"].errors["steps_text"])

    good = client.post(
        add,
        {
            "agency": office.pk,
            "document_type": "",
            "steps_text": "unit_head\nopinion, leader\nsigner",
        },
    )
    assert good.status_code == 302
    assert ReviewRule.objects.get().steps == [["unit_head"], ["opinion", "leader"], ["signer"]]
    assert client.get(reverse("documents_review_rules:index")).status_code == 200
    assert client.get(reverse("documents_types:index")).status_code == 200


def test_document_pages_escape_what_officials_typed(client, clerk):
    document = incoming(clerk, summary='Về việc <img src=x onerror="alert(1)">')
    client.force_login(clerk)
    for url in (page_url(document), INCOMING, MY_WORK):
        html = client.get(url).content.decode()
        assert '<img src=x onerror="alert(1)">' not in html
        assert re.search(r"&lt;img src=x onerror=(&quot;|&#x27;|\")alert\(1\)", html)


def test_a_copy_already_registered_by_hand_is_registered_again_only_when_confirmed(
    client, clerk, handler, unit_head, leader, legal_unit, legal_clerk
):
    document = approved(handler, unit_head, leader, recipients=[legal_unit])
    actions.issue(clerk, document)
    document = fresh(document)
    # The paper copy arrived first: chị Hoa registered it by hand with its identifier.
    by_hand = incoming(
        legal_clerk,
        agency=legal_unit,
        number_symbol=document.number_symbol,
        issuer_name="Văn phòng Chính phủ",
        identifier=document.identifier,
    )
    actions.dispatch(clerk, document)
    copy = Document.objects.get(source_delivery__document=document)
    client.force_login(legal_clerk)

    warned = client.post(step_url(copy, "register"), {"register-due_on": ""})

    assert warned.status_code == 200
    form = bound_form(warned)
    assert form.duplicate and form.non_field_errors()
    assert 'name="register-allow_duplicate"' in warned.content.decode()
    assert fresh(copy).status == Status.RECEIVED
    confirmed = client.post(
        step_url(copy, "register"), {"register-due_on": "", "register-allow_duplicate": "on"}
    )
    assert confirmed.status_code == 302
    assert fresh(copy).status == Status.REGISTERED
    assert fresh(copy).arrival_number == by_hand.arrival_number + 1


def test_the_search_box_uses_the_full_text_index_when_there(client, clerk, monkeypatch):
    from vgp.documents import search_index

    first = incoming(clerk, number_symbol="01/BNV-VP", summary="Về việc thứ nhất")
    second = incoming(clerk, number_symbol="02/BNV-VP", summary="Về việc thứ hai")
    other = incoming(clerk, number_symbol="03/BNV-VP", summary="Về việc thứ ba")
    asked = []

    def search_ids(text, **kwargs):
        asked.append((text, kwargs.get("direction")))
        return [second.pk, 999_999, first.pk]  # best first; an id the user may not see

    monkeypatch.setattr(search_index, "search_ids", search_ids)
    client.force_login(clerk)
    assert listed(client.get(INCOMING, {"q": "chữ trong tệp đính kèm"})) == [second.pk, first.pk]
    assert asked == [("chữ trong tệp đính kèm", "in")]
    # The user's own ordering wins over the rank.
    ordered = listed(client.get(INCOMING, {"q": "tệp", "ordering": "created"}))
    assert ordered == [first.pk, second.pk]

    def broken(text, **kwargs):
        raise OSError("index missing")

    monkeypatch.setattr(search_index, "search_ids", broken)
    assert listed(client.get(INCOMING, {"q": "thứ ba"})) == [other.pk]  # the summaries


def test_search_results_put_the_open_urgent_first_then_follow_the_rank(
    client, clerk, leader, monkeypatch
):
    from vgp.documents import search_index

    plain = incoming(clerk, number_symbol="11/BNV-VP")
    urgent = incoming(clerk, number_symbol="12/BNV-VP", urgency=Urgency.URGENT)
    flash = incoming(clerk, number_symbol="13/BNV-VP", urgency=Urgency.FLASH)
    closed_urgent = incoming(clerk, number_symbol="14/BNV-VP", urgency=Urgency.FLASH)
    actions.close(leader, closed_urgent, note="Để biết.")
    ranked = [closed_urgent.pk, plain.pk, urgent.pk, flash.pk]
    monkeypatch.setattr(search_index, "search_ids", lambda text, **kwargs: ranked)
    client.force_login(clerk)

    # the open urgent ones first (flash before urgent), then the rest in the index's order
    assert listed(client.get(INCOMING, {"q": "việc"})) == [
        flash.pk,
        urgent.pk,
        closed_urgent.pk,
        plain.pk,
    ]
