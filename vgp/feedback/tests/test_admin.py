"""Citizen feedback in the back office: the inbox, the item page and its steps, the files,
a denouncer's identity, the settings and the dashboard panels.

Personas: see conftest.py (chị Hạnh at reception; the Ministry of Finance's clerk, unit head,
handler and leader; ``other_clerk`` of the Ministry of Health).
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from vgp.audit.models import AuditRecord
from vgp.feedback import actions
from vgp.feedback.models import Event, EventKind, FeedbackItem, Kind, RoutingRule, Status
from vgp.feedback.testing import submit
from vgp.workdays.deadlines import VN_TZ, add_working_days

from .desk import REPLY, Desk, desk_fixture  # noqa: F401

pytestmark = pytest.mark.django_db

INBOX = reverse("feedback_inbox:index")
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


@pytest.fixture(autouse=True)
def _password_only(settings):
    # The second factor has its own tests; here the officials sign in with a password.
    settings.VGP_REQUIRE_2FA = False


def item_url(item: FeedbackItem) -> str:
    return reverse("feedback_inbox:item", args=[item.pk])


def step_url(item: FeedbackItem, step: str) -> str:
    return reverse("feedback_inbox:step", args=[item.pk, step])


def listed(response) -> list[str]:
    return [item.code for item in response.context["object_list"]]


def fresh(item: FeedbackItem) -> FeedbackItem:
    return FeedbackItem.objects.get(pk=item.pk)


# --- The inbox ------------------------------------------------------------------------------


def test_each_official_sees_only_the_items_of_their_agency(client, desk, other_clerk):
    at_reception = desk.received(title="Đơn còn ở bộ phận tiếp nhận")
    routed = desk.routed()

    client.force_login(desk.reception)
    assert set(listed(client.get(INBOX))) == {at_reception.code, routed.code}

    client.force_login(desk.clerk)
    response = client.get(INBOX)
    assert response.status_code == 200
    assert listed(response) == [routed.code]
    assert client.get(item_url(at_reception)).status_code == 404

    client.force_login(other_clerk)
    assert listed(client.get(INBOX)) == []
    assert client.get(item_url(routed)).status_code == 404
    assert client.post(step_url(routed, "accept")).status_code == 404
    assert fresh(routed).status == Status.ROUTED


def test_the_menu_leads_feedback_staff_to_the_inbox(client, desk, it_admin):
    menu_link = f'"{INBOX}"'
    client.force_login(desk.clerk)
    assert menu_link in client.get("/quan-tri/").content.decode()

    client.force_login(it_admin)  # no feedback role: no menu item, no inbox
    assert menu_link not in client.get("/quan-tri/").content.decode()
    assert client.get(INBOX).status_code in (302, 403)


def test_the_inbox_filters_and_searches(client, desk):
    with time_machine.travel(dt.datetime(2026, 1, 5, 9, 0, tzinfo=VN_TZ), tick=False):
        late = desk.accepted(title="Khiếu nại quá hạn")
    petition = desk.routed(kind=Kind.PETITION, title="Kiến nghị sửa quy định thuế")
    answered = desk.answered(title="Đơn đã trả lời")
    client.force_login(desk.leader)

    def codes(**params) -> set[str]:
        return set(listed(client.get(INBOX, params)))

    assert codes(due="overdue") == {late.code}
    assert codes(kind=Kind.PETITION) == {petition.code}
    assert codes(status="open") == {late.code, petition.code}
    assert codes(status="closed") == {answered.code}
    assert codes(status=Status.ROUTED) == {petition.code}
    assert codes(q=petition.code.replace("-", "").lower()) == {petition.code}
    assert codes(q="sửa quy định") == {petition.code}
    assert codes(queue="mine") == {late.code}  # a leader assigns what is accepted
    # Most urgent first; answered items (no deadline) last.
    assert listed(client.get(INBOX))[0] == late.code
    assert listed(client.get(INBOX))[-1] == answered.code
    assert listed(client.get(INBOX, {"ordering": "-received_at"}))[0] == answered.code
    # The search box and the filters refresh the results only.
    results = client.get(reverse("feedback_inbox:index_results"), {"q": petition.code})
    assert results.status_code == 200 and listed(results) == [petition.code]


def test_overdue_items_are_marked_in_words(client, desk):
    with time_machine.travel(dt.datetime(2026, 1, 5, 9, 0, tzinfo=VN_TZ), tick=False):
        late = desk.accepted()
    client.force_login(desk.clerk)

    html = client.get(INBOX).content.decode()

    assert "feedback-row--overdue" in html
    assert late.answer_due.strftime("%d/%m/%Y") in html


def test_the_inbox_costs_the_same_queries_for_few_or_many_items(client, desk):
    client.force_login(desk.leader)
    for _ in range(3):
        desk.assigned()
    with CaptureQueriesContext(connection) as few:
        client.get(INBOX)
    for _ in range(12):
        desk.assigned()
    with CaptureQueriesContext(connection) as many:
        response = client.get(INBOX)

    assert len(listed(response)) == 15
    assert len(many.captured_queries) == len(few.captured_queries)


# --- The item page --------------------------------------------------------------------------


def test_the_item_page_shows_content_deadlines_timeline_and_internal_notes(client, desk):
    item = desk.routed()
    actions.add_note(desk.clerk, item, text="Đã gọi điện xác minh với công dân.")
    client.force_login(desk.clerk)

    response = client.get(item_url(item))

    html = response.content.decode()
    assert response.status_code == 200
    assert item.title in html and "quyền sử dụng đất" in html
    assert "Đã gọi điện xác minh với công dân." in html
    assert item.acceptance_due.strftime("%d/%m/%Y") in html
    assert "Trần Văn Dũng" in html  # not a denunciation: the clerk sees who wrote
    shown = [step.name for step, _form in response.context["steps"]]
    assert shown == ["accept", "return", "note"]


def test_each_official_is_offered_only_the_steps_they_may_take_now(client, desk):
    item = desk.assigned()

    def steps_for(user) -> list[str]:
        client.force_login(user)
        return [step.name for step, _form in client.get(item_url(item)).context["steps"]]

    assert steps_for(desk.handler) == ["draft", "request_information", "note"]
    assert steps_for(desk.unit_head) == ["assign", "request_information", "note"]
    assert steps_for(desk.leader) == ["assign", "extend", "note"]
    assert steps_for(desk.clerk) == ["note"]
    assert steps_for(desk.reception) == []


# --- Reception's steps ----------------------------------------------------------------------


def test_reception_routes_to_the_suggested_agency(client, desk, ministry_of_finance):
    RoutingRule.objects.create(kind=Kind.COMPLAINT, agency=ministry_of_finance, note="Thuế")
    item = desk.received()
    client.force_login(desk.reception)

    page = client.get(item_url(item))
    form = dict(page.context["steps"])[
        next(s for s, _ in page.context["steps"] if s.name == "route")
    ]
    assert form["agency"].value() == ministry_of_finance.pk
    assert "Thuế" in page.content.decode()  # the rule that suggested it

    response = client.post(
        step_url(item, "route"), {"route-agency": ministry_of_finance.pk, "route-note": ""}
    )

    assert response.status_code == 302 and response["Location"] == item_url(item)
    item = fresh(item)
    assert (item.status, item.agency) == (Status.ROUTED, ministry_of_finance)
    followed = client.get(response["Location"])
    assert [m.level_tag for m in followed.context["messages"]] == ["success"]


def test_a_step_refused_by_the_action_shows_its_errors_on_the_form(client, desk):
    item = desk.received()
    client.force_login(desk.reception)

    no_agency = client.post(step_url(item, "route"), {"route-agency": ""})
    no_reason = client.post(step_url(item, "reject"), {"reject-reason": "  "})

    assert no_agency.status_code == 200
    assert no_agency.context["bound"].errors["agency"]
    assert no_reason.status_code == 200 and no_reason.context["bound"].errors["reason"]
    assert fresh(item).status == Status.RECEIVED


def test_reception_classifies_rejects_and_asks_the_citizen(client, desk):
    client.force_login(desk.reception)
    item = desk.received()

    client.post(
        step_url(item, "classify"),
        {"classify-kind": Kind.PETITION, "classify-sector": "", "classify-remote_area": "on"},
    )
    item = fresh(item)
    assert (item.kind, item.remote_area) == (Kind.PETITION, True)

    client.post(step_url(item, "request_information"), {"request_information-question": "Địa chỉ?"})
    assert fresh(item).status == Status.AWAITING_CITIZEN

    other = desk.received()
    client.post(step_url(other, "reject"), {"reject-reason": "Đơn nặc danh, không có nội dung."})
    assert fresh(other).status == Status.REJECTED


def test_reception_merges_a_duplicate_chosen_among_similar_submissions(client, desk):
    original = desk.received()
    again = desk.received()
    client.force_login(desk.reception)

    page = client.get(item_url(again))
    form = next(f for s, f in page.context["steps"] if s.name == "duplicate")
    assert [choice for choice, _label in form.fields["original"].choices] == [str(original.pk)]
    response = client.post(step_url(again, "duplicate"), {"duplicate-original": str(original.pk)})

    assert response.status_code == 302
    assert (fresh(again).status, fresh(again).duplicate_of) == (Status.DUPLICATE, original)


def test_a_duplicate_can_be_named_by_its_tracking_code(client, desk):
    original = desk.received(title="Một việc khác", content="Nội dung hoàn toàn khác hẳn đơn kia.")
    item = desk.received()
    client.force_login(desk.reception)

    wrong = client.post(step_url(item, "duplicate"), {"duplicate-code": "AAAA-BBBB-CCCC"})
    client.post(step_url(item, "duplicate"), {"duplicate-code": original.code.lower()})

    assert wrong.status_code == 200 and wrong.context["bound"].errors["code"]
    assert fresh(item).duplicate_of == original


# --- The agency's steps ---------------------------------------------------------------------


def test_the_clerk_accepts_or_returns_naming_the_competent_agency(client, desk, government_office):
    client.force_login(desk.clerk)
    item = desk.routed()
    client.post(step_url(item, "accept"))
    assert fresh(item).status == Status.ACCEPTED

    other = desk.routed()
    refused = client.post(step_url(other, "return"), {"return-competent_agency": ""})
    assert refused.status_code == 200
    assert set(refused.context["bound"].errors) == {"competent_agency", "reason"}
    client.post(
        step_url(other, "return"),
        {"return-competent_agency": government_office.pk, "return-reason": "Thuộc VPCP."},
    )
    other = fresh(other)
    assert (other.status, other.suggested_agency) == (Status.RECEIVED, government_office)

    # Back at reception, the suggestion says who returned it and why.
    client.force_login(desk.reception)
    html = client.get(item_url(other)).content.decode()
    assert "Thuộc VPCP." in html
    suggestion = client.get(item_url(other)).context["suggestion"]
    assert suggestion.returned_by == desk.agency and suggestion.agency == government_office


def test_the_unit_head_assigns_a_handler_of_the_agency(client, desk, other_clerk):
    item = desk.accepted()
    client.force_login(desk.unit_head)

    page = client.get(item_url(item))
    form = next(f for s, f in page.context["steps"] if s.name == "assign")
    assert list(form.fields["handler"].queryset) == [desk.handler]
    outsider = client.post(step_url(item, "assign"), {"assign-handler": other_clerk.pk})
    client.post(step_url(item, "assign"), {"assign-handler": desk.handler.pk})

    assert outsider.status_code == 200 and outsider.context["bound"].errors["handler"]
    assert fresh(item).handler == desk.handler


def test_the_handler_drafts_and_the_leader_sends_back(client, desk):
    item = desk.assigned()
    client.force_login(desk.handler)

    short = client.post(step_url(item, "draft"), {"draft-reply": "Ngắn quá."})
    client.post(step_url(item, "draft"), {"draft-reply": REPLY})
    assert short.status_code == 200 and short.context["bound"].errors["reply"]
    assert fresh(item).status == Status.IN_APPROVAL

    client.force_login(desk.leader)
    client.post(step_url(item, "send_back"), {"send_back-reason": "Bổ sung căn cứ pháp lý."})
    assert fresh(item).status == Status.ASSIGNED

    client.force_login(desk.handler)
    page = client.get(item_url(item))
    assert page.context["sent_back"].message == "Bổ sung căn cứ pháp lý."
    assert "Bổ sung căn cứ pháp lý." in page.content.decode()


def test_the_leader_approves_with_an_edited_public_version(client, desk):
    item = desk.in_approval()
    client.force_login(desk.leader)

    page = client.get(item_url(item))
    form = next(f for s, f in page.context["steps"] if s.name == "approve")
    assert "Trần Văn Dũng" not in page.context["public_preview"]["reply"]
    assert form["public_title"].value() == item.title
    response = client.post(
        step_url(item, "approve"),
        {
            "approve-reply": REPLY,
            "approve-publish": "on",
            "approve-public_title": "Chậm cấp giấy chứng nhận (đã trả lời)",
            "approve-public_content": "Công dân hỏi về việc chậm cấp giấy chứng nhận.",
        },
    )

    assert response.status_code == 302
    item = fresh(item)
    assert item.status == Status.ANSWERED and item.published_at
    assert item.public_title == "Chậm cấp giấy chứng nhận (đã trả lời)"
    assert "0912 345 678" not in item.public_reply
    answered = client.get(response["Location"])
    assert answered.status_code == 200
    assert reverse("feedback:answered_detail", args=[item.pk]) in answered.content.decode()


def test_a_denunciation_offers_no_publication(client, desk):
    item = desk.in_approval(kind=Kind.DENUNCIATION)
    client.force_login(desk.leader)

    form = next(f for s, f in client.get(item_url(item)).context["steps"] if s.name == "approve")
    client.post(step_url(item, "approve"), {"approve-reply": REPLY, "approve-publish": "on"})

    assert "publish" not in form.fields
    assert fresh(item).status == Status.ANSWERED and fresh(item).published_at is None


def test_the_leader_extends_the_deadline_once(client, desk):
    item = desk.accepted()
    before = item.answer_due
    client.force_login(desk.leader)

    client.post(step_url(item, "extend"), {"extend-reason": "Vụ việc phức tạp."})
    second = client.post(step_url(item, "extend"), {"extend-reason": "Lần nữa."})

    assert fresh(item).answer_due == add_working_days(before, 15)
    assert second.status_code == 200 and second.context["bound"].non_field_errors()


def test_an_internal_note_is_added_and_stays_internal(client, desk):
    item = desk.assigned()
    client.force_login(desk.handler)

    client.post(step_url(item, "note"), {"note-text": "Đã liên hệ UBND phường."})

    note = Event.objects.get(item=item, kind=EventKind.NOTE)
    assert note.message == "Đã liên hệ UBND phường." and not note.public
    assert "Đã liên hệ UBND phường." in client.get(item_url(item)).content.decode()


@pytest.mark.parametrize(
    ("stage", "persona", "step", "data"),
    [
        ("in_approval", "mof_handler", "approve", {}),
        ("assigned", "mof_unit_head", "draft", {"draft-reply": REPLY}),
        ("routed", "mof_handler", "accept", {}),
        ("received", "mof_clerk", "route", {}),
    ],
)
def test_a_step_the_user_may_not_take_is_forbidden(
    request, client, desk, stage, persona, step, data
):
    item = desk.at(stage)
    user = request.getfixturevalue(persona)
    client.force_login(user)
    if stage == "received":  # reception's items are not even visible to an agency's clerk
        assert client.post(step_url(item, step), data).status_code == 404
        return

    assert client.post(step_url(item, step), data).status_code == 403
    assert fresh(item).status == item.status


# --- Files and identity ---------------------------------------------------------------------


def test_attachments_are_downloaded_through_a_permission_checked_view(client, desk, other_clerk):
    item = actions.route(
        desk.reception,
        submit(files=[SimpleUploadedFile("Đơn khiếu nại.pdf", PDF, "application/pdf")]),
        desk.agency,
    )
    attachment = item.attachments.get()
    url = reverse("feedback_inbox:attachment", args=[item.pk, attachment.pk])
    client.force_login(desk.clerk)

    response = client.get(url)

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert (
        "filename*=utf-8''%C4%90%C6%A1n%20khi%E1%BA%BFu%20n%E1%BA%A1i.pdf"
        in (response["Content-Disposition"])
    )
    assert url in client.get(item_url(item)).content.decode()
    assert attachment.stored_name not in client.get(item_url(item)).content.decode()

    client.force_login(other_clerk)
    assert client.get(url).status_code == 404


def test_a_denunciations_files_follow_the_identity_protection(client, desk):
    item = actions.route(
        desk.reception,
        submit(
            kind=Kind.DENUNCIATION,
            files=[SimpleUploadedFile("cccd.pdf", PDF, "application/pdf")],
        ),
        desk.agency,
    )
    url = reverse("feedback_inbox:attachment", args=[item.pk, item.attachments.get().pk])

    client.force_login(desk.clerk)
    assert client.get(url).status_code == 403
    client.force_login(desk.leader)
    assert client.get(url).status_code == 200


def test_a_denouncers_identity_is_shown_on_request_and_audited(client, desk):
    item = desk.assigned(kind=Kind.DENUNCIATION)
    reveal = reverse("feedback_inbox:identity", args=[item.pk])

    client.force_login(desk.clerk)
    page = client.get(item_url(item))
    assert page.context["identity_protected"] and "Trần Văn Dũng" not in page.content.decode()
    assert client.post(reveal).status_code == 403

    client.force_login(desk.handler)
    page = client.get(item_url(item))
    assert page.context["may_reveal"] and "Trần Văn Dũng" not in page.content.decode()
    assert reveal in page.content.decode()
    assert not AuditRecord.objects.filter(action="feedback.identity_viewed").exists()

    shown = client.post(reveal)

    assert shown.status_code == 200 and "no-store" in shown["Cache-Control"]
    assert "Trần Văn Dũng" in shown.content.decode()
    assert "001080012345" in shown.content.decode()
    audit = AuditRecord.objects.get(action="feedback.identity_viewed")
    assert audit.actor_id == desk.handler.pk


# --- Settings -------------------------------------------------------------------------------


def test_it_administrators_keep_the_routing_and_deadline_rules(
    client, it_admin, ministry_of_finance, desk
):
    client.force_login(it_admin)
    for name in ("feedback_routing_rules", "feedback_deadline_rules", "feedback_sectors"):
        assert client.get(reverse(f"{name}:index")).status_code == 200

    response = client.post(
        reverse("feedback_routing_rules:add"),
        {"kind": Kind.COMPLAINT, "agency": ministry_of_finance.pk, "priority": 10, "note": "Thuế"},
    )

    assert response.status_code == 302
    assert RoutingRule.objects.filter(agency=ministry_of_finance, priority=10).exists()

    client.force_login(desk.reception)  # reads the rules, changes none
    assert client.get(reverse("feedback_routing_rules:index")).status_code == 200
    assert client.get(reverse("feedback_routing_rules:add")).status_code in (302, 403)
    client.force_login(desk.clerk)
    assert client.get(reverse("feedback_routing_rules:index")).status_code in (302, 403)


# --- The dashboard --------------------------------------------------------------------------


def _items(desk: Desk, times: int) -> None:
    """11 items per ``times``: one of each open stage overdue since January, and one in each
    stage (answered included) still in time."""
    with time_machine.travel(dt.datetime(2026, 1, 5, 9, 0, tzinfo=VN_TZ), tick=False):
        for stage in ("received", "routed", "accepted", "assigned", "in_approval") * times:
            desk.at(stage)
    for stage in ("received", "routed", "accepted", "assigned", "in_approval", "answered") * times:
        desk.at(stage)


def test_the_dashboard_panels_link_to_the_filtered_inbox(client, desk):
    _items(desk, 1)
    client.force_login(desk.leader)

    html = client.get("/quan-tri/").content.decode()

    for panel in ("feedback-my-queue", "feedback-overdue", "feedback-by-handler"):
        assert f'id="{panel}' in html
    assert f"{INBOX}?queue=mine" in html
    assert f"{INBOX}?due=overdue" in html
    assert f"{INBOX}?handler={desk.handler.pk}&amp;status=open" in html


def test_the_handler_panel_counts_open_and_overdue_items(rf, desk):
    from vgp.feedback import dashboard

    _items(desk, 2)
    request = rf.get("/quan-tri/")
    request.user = desk.unit_head

    panel = next(p for p in dashboard.panels_for(request) if p.name == "feedback_by_handler")

    (row,) = panel.rows
    # Per batch: assigned and in approval, overdue and in time.
    assert (row.handler, row.open, row.overdue) == (desk.handler, 8, 4)


@pytest.mark.parametrize("persona", ["mof_leader", "mof_handler", "receptionist", "mof_clerk"])
def test_the_dashboard_costs_the_same_queries_for_few_or_many_items(
    request, client, desk, persona, django_assert_max_num_queries
):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    _items(desk, 1)
    with CaptureQueriesContext(connection) as few:
        client.get("/quan-tri/")
    _items(desk, 2)  # 33 items in all

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/quan-tri/")

    assert response.status_code == 200
    assert 'id="feedback-my-queue' in response.content.decode()
