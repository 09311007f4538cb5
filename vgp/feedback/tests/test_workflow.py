"""The lifecycle of a submission through the actions: every step, who may take it, when.

Personas (conftest.py): chị Hạnh at reception (``receptionist``); at the Ministry of Finance the
clerk anh Tùng, the unit head chị Thảo, the handler anh Minh and the leader ông Quang; a clerk
and leader of the Ministry of Health (``other_clerk``) who must never touch the Ministry of
Finance's items.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from vgp.audit.models import AuditRecord
from vgp.feedback import actions
from vgp.feedback.models import Event, EventKind, FeedbackItem, Kind, Sector, Status
from vgp.feedback.testing import submission, submit
from vgp.workdays.deadlines import VN_TZ, add_working_days

from .desk import REPLY, Desk, desk_fixture  # noqa: F401

pytestmark = pytest.mark.django_db

# Monday 2 March 2026, 9:00 in Hà Nội: no holiday for weeks either side.
MONDAY = dt.datetime(2026, 3, 2, 9, 0, tzinfo=VN_TZ)

STAFF = ["receptionist", "mof_clerk", "mof_unit_head", "mof_handler", "mof_leader", "other_clerk"]

Step = Callable[[Any, FeedbackItem, Desk], Any]


def _duplicate(actor: Any, item: FeedbackItem, desk: Desk) -> Any:
    original = submit(title="Đơn trước")
    return actions.mark_duplicate(actor, item, original)


# name: (stage the item is in, the step, the personas allowed to take it)
TRANSITIONS: dict[str, tuple[str, Step, set[str]]] = {
    "classify": (
        "received",
        lambda a, i, d: actions.classify(a, i, kind=Kind.PETITION, sector=None),
        {"receptionist"},
    ),
    "route": ("received", lambda a, i, d: actions.route(a, i, d.agency), {"receptionist"}),
    "reject": (
        "received",
        lambda a, i, d: actions.reject(a, i, reason="Không thuộc thẩm quyền giải quyết."),
        {"receptionist"},
    ),
    "mark_duplicate": ("received", _duplicate, {"receptionist"}),
    "request_information at reception": (
        "received",
        lambda a, i, d: actions.request_information(a, i, question="Xin bản sao hồ sơ."),
        {"receptionist"},
    ),
    "accept": ("routed", lambda a, i, d: actions.accept(a, i), {"mof_clerk"}),
    "return_to_reception": (
        "routed",
        lambda a, i, d: actions.return_to_reception(
            a, i, competent_agency=d.reception.agency, reason="Thuộc thẩm quyền của VPCP."
        ),
        {"mof_clerk"},
    ),
    "assign": (
        "accepted",
        lambda a, i, d: actions.assign(a, i, d.handler),
        {"mof_unit_head", "mof_leader"},
    ),
    "request_information by the agency": (
        "assigned",
        lambda a, i, d: actions.request_information(a, i, question="Xin bản sao hồ sơ."),
        {"mof_handler", "mof_unit_head"},
    ),
    "draft_reply": (
        "assigned",
        lambda a, i, d: actions.draft_reply(a, i, text=REPLY),
        {"mof_handler"},
    ),
    "send_back": (
        "in_approval",
        lambda a, i, d: actions.send_back(a, i, reason="Trích dẫn căn cứ pháp lý."),
        {"mof_leader"},
    ),
    "approve_reply": ("in_approval", lambda a, i, d: actions.approve_reply(a, i), {"mof_leader"}),
    "extend_deadline": (
        "accepted",
        lambda a, i, d: actions.extend_deadline(a, i, reason="Vụ việc phức tạp."),
        {"mof_leader"},
    ),
    "add_note to an agency's item": (
        "routed",
        lambda a, i, d: actions.add_note(a, i, text="Đã gọi điện cho công dân."),
        {"mof_clerk", "mof_unit_head", "mof_handler", "mof_leader"},
    ),
    "add_note at reception": (
        "received",
        lambda a, i, d: actions.add_note(a, i, text="Đơn viết tay, đã nhập lại."),
        {"receptionist"},
    ),
}

CASES = [
    pytest.param(name, persona, persona in allowed, id=f"{name}-{persona}")
    for name, (_stage, _step, allowed) in TRANSITIONS.items()
    for persona in STAFF
]


@pytest.mark.parametrize(("transition", "persona", "allowed"), CASES)
def test_each_step_is_taken_by_its_role_and_refused_to_others(
    request, desk, transition, persona, allowed
):
    stage, step, _allowed = TRANSITIONS[transition]
    item = desk.at(stage)
    actor = request.getfixturevalue(persona)
    events_before = Event.objects.filter(item=item).count()

    if allowed:
        step(actor, item, desk)
        assert Event.objects.filter(item=item).count() > events_before
    else:
        with pytest.raises(PermissionDenied):
            step(actor, item, desk)
        assert Event.objects.filter(item=item).count() == events_before
        assert FeedbackItem.objects.get(pk=item.pk).status == item.status


WRONG_STAGE = [
    pytest.param("accept", "accepted", id="accept-twice"),
    pytest.param("route", "routed", id="route-twice"),
    pytest.param("reject", "accepted", id="reject-once-accepted"),
    pytest.param("classify", "routed", id="classify-after-routing"),
    pytest.param("assign", "routed", id="assign-before-acceptance"),
    pytest.param("draft_reply", "in_approval", id="draft-while-in-approval"),
    pytest.param("send_back", "assigned", id="send-back-without-draft"),
    pytest.param("approve_reply", "assigned", id="approve-without-draft"),
    pytest.param("approve_reply", "answered", id="approve-twice"),
    pytest.param("extend_deadline", "routed", id="extend-before-acceptance"),
    pytest.param("return_to_reception", "accepted", id="return-once-accepted"),
]


@pytest.mark.parametrize(("transition", "stage"), WRONG_STAGE)
def test_a_step_at_the_wrong_stage_is_refused(request, desk, transition, stage):
    item = desk.at(stage)
    _stage, step, allowed = TRANSITIONS[transition]
    actor = request.getfixturevalue(sorted(allowed)[0])

    with pytest.raises(ValidationError):
        step(actor, item, desk)
    assert FeedbackItem.objects.get(pk=item.pk).status == item.status


def test_the_whole_way_from_submission_to_a_published_answer(desk):
    item = desk.received()
    assert item.status == Status.RECEIVED and item.code

    item = actions.route(desk.reception, item, desk.agency)
    assert (item.status, item.agency) == (Status.ROUTED, desk.agency)
    item = actions.accept(desk.clerk, item)
    assert item.status == Status.ACCEPTED and item.answer_due
    item = actions.assign(desk.unit_head, item, desk.handler)
    assert (item.status, item.handler) == (Status.ASSIGNED, desk.handler)
    item = actions.draft_reply(desk.handler, item, text=REPLY)
    item = actions.send_back(desk.leader, item, reason="Nêu rõ căn cứ.")
    assert item.status == Status.ASSIGNED
    item = actions.draft_reply(desk.handler, item, text=REPLY + " Căn cứ Luật Đất đai 2024.")
    item = actions.approve_reply(desk.leader, item)

    assert item.status == Status.ANSWERED and item.published_at is not None
    kinds = list(Event.objects.filter(item=item).values_list("kind", flat=True))
    assert kinds == [
        EventKind.SUBMITTED,
        EventKind.ROUTED,
        EventKind.ACCEPTED,
        EventKind.ASSIGNED,
        EventKind.REPLY_DRAFTED,
        EventKind.REPLY_SENT_BACK,
        EventKind.REPLY_DRAFTED,
        EventKind.ANSWERED,
        EventKind.PUBLISHED,
    ]
    audited = set(
        AuditRecord.objects.filter(object_id=str(item.pk)).values_list("action", flat=True)
    )
    assert {"feedback.route", "feedback.accept", "feedback.assign", "feedback.approve_reply"} <= (
        audited
    )


def test_a_returned_item_goes_back_to_reception_naming_the_competent_agency(
    desk, government_office
):
    item = desk.routed()

    item = actions.return_to_reception(
        desk.clerk, item, competent_agency=government_office, reason="Thuộc thẩm quyền VPCP."
    )

    assert (item.status, item.agency, item.suggested_agency) == (
        Status.RECEIVED,
        None,
        government_office,
    )
    with pytest.raises(ValidationError) as refused:
        actions.return_to_reception(desk.clerk, desk.routed(), competent_agency=None, reason="")
    assert set(refused.value.message_dict) == {"competent_agency", "reason"}


# --- Deadlines, in working days -----------------------------------------------------------


def test_deadlines_are_counted_in_working_days_from_each_step(desk):
    with time_machine.travel(MONDAY, tick=False):
        item = desk.received()
    assert item.routing_due == add_working_days(MONDAY, 5)

    routed_at = MONDAY + dt.timedelta(days=1)
    with time_machine.travel(routed_at, tick=False):
        item = actions.route(desk.reception, item, desk.agency)
    assert item.acceptance_due == add_working_days(routed_at, 10)  # complaint: 10 days

    accepted_at = MONDAY + dt.timedelta(days=4)  # Friday
    with time_machine.travel(accepted_at, tick=False):
        item = actions.accept(desk.clerk, item)
    assert item.answer_due == add_working_days(accepted_at, 30)
    assert item.answer_due == dt.date(2026, 4, 17)  # 30 working days from Friday 6 March


def test_a_remote_area_adds_its_time_to_the_answer_deadline(desk):
    with time_machine.travel(MONDAY, tick=False):
        item = actions.classify(
            desk.reception,
            desk.received(),
            kind=Kind.COMPLAINT,
            sector=Sector.objects.get(slug="dat-dai"),
            remote_area=True,
        )
        item = actions.accept(desk.clerk, actions.route(desk.reception, item, desk.agency))

    assert item.answer_due == add_working_days(MONDAY, 30 + 15)


def test_waiting_for_the_citizen_moves_the_deadline_by_the_working_days_paused(desk):
    with time_machine.travel(MONDAY, tick=False):
        item = desk.assigned()
        before = item.answer_due
        actions.request_information(desk.handler, item, question="Xin bản sao giấy biên nhận.")
    item.refresh_from_db()
    assert item.status == Status.AWAITING_CITIZEN and item.current_due is None

    three_working_days_later = dt.datetime.combine(
        add_working_days(MONDAY, 3), dt.time(15, 0), tzinfo=VN_TZ
    )
    with time_machine.travel(three_working_days_later, tick=False):
        actions.provide_information(item, answer="Tôi gửi kèm giấy biên nhận.")

    item.refresh_from_db()
    assert item.status == Status.ASSIGNED
    assert item.paused_working_days == 3
    assert item.answer_due == add_working_days(before, 3)


def test_a_complaint_is_extended_once_then_refused(desk):
    with time_machine.travel(MONDAY, tick=False):
        item = desk.accepted()
        before = item.answer_due

        item = actions.extend_deadline(desk.leader, item, reason="Vụ việc phức tạp.")
        assert item.answer_due == add_working_days(before, 15)
        assert item.extensions == 1

        with pytest.raises(ValidationError):
            actions.extend_deadline(desk.leader, item, reason="Còn phức tạp hơn.")
        # The remote-area time is another matter, allowed once.
        item = actions.extend_deadline(
            desk.leader, item, reason="Công dân ở xã đặc biệt khó khăn.", remote_area=True
        )
        assert item.answer_due == add_working_days(before, 30)
        with pytest.raises(ValidationError):
            actions.extend_deadline(desk.leader, item, reason="Lần nữa.", remote_area=True)


def test_a_petition_has_no_extension(desk):
    item = desk.accepted(kind=Kind.PETITION)

    with pytest.raises(ValidationError):
        actions.extend_deadline(desk.leader, item, reason="Phức tạp.")


# --- A denouncer's identity ---------------------------------------------------------------

# (stage, persona, may see the identity)
IDENTITY = [
    ("received", "receptionist", True),
    ("received", "mof_clerk", False),
    ("received", "mof_leader", False),
    ("received", "other_clerk", False),
    ("routed", "receptionist", False),
    ("routed", "mof_clerk", False),
    ("routed", "mof_unit_head", True),
    ("routed", "mof_leader", True),
    ("routed", "mof_handler", False),
    ("routed", "other_clerk", False),
    ("assigned", "mof_handler", True),
    ("assigned", "mof_unit_head", True),
    ("assigned", "mof_leader", True),
    ("assigned", "mof_clerk", False),
    ("assigned", "receptionist", False),
    ("assigned", "other_clerk", False),
]


@pytest.mark.parametrize(("stage", "persona", "sees"), IDENTITY, ids=lambda v: str(v))
def test_a_denouncers_identity_is_seen_only_by_those_handling_it(
    request, desk, stage, persona, sees
):
    item = desk.at(stage, kind=Kind.DENUNCIATION)
    user = request.getfixturevalue(persona)

    assert actions.may_see_identity(user, item) is sees
    if not sees:
        with pytest.raises(PermissionDenied):
            actions.reveal_identity(user, item)


def test_other_helpers_see_identities_of_other_kinds_they_can_view(desk, mof_clerk, other_clerk):
    item = desk.routed()

    assert actions.may_see_identity(mof_clerk, item) is True
    assert actions.may_see_identity(other_clerk, item) is False


def test_reading_a_denouncers_identity_is_audited_without_the_name(desk):
    item = desk.assigned(kind=Kind.DENUNCIATION)

    identity = actions.reveal_identity(desk.handler, item)

    assert identity["name"] == "Trần Văn Dũng"
    audit = AuditRecord.objects.get(action="feedback.identity_viewed")
    assert audit.actor_id == desk.handler.pk and audit.object_id == str(item.pk)
    assert "Dũng" not in audit.summary and "Dũng" not in str(audit.changes)


# --- Publishing the answer ----------------------------------------------------------------


def test_an_answer_is_published_with_consent_and_without_personal_data(desk):
    item = desk.in_approval(
        content="Tôi là Trần Văn Dũng, số điện thoại 0912 345 678, hỏi về thủ tục cấp sổ đỏ.",
    )

    item = actions.approve_reply(desk.leader, item)

    assert item.published_at is not None
    public = " ".join([item.public_title, item.public_content, item.public_reply])
    for personal in ("Trần Văn Dũng", "0912 345 678", "dung.tran@example.vn"):
        assert personal not in public
    assert "sổ đỏ" in item.public_content
    assert FeedbackItem.objects.published().filter(pk=item.pk).exists()


def test_an_answer_without_consent_is_sent_but_not_published(desk):
    item = actions.approve_reply(desk.leader, desk.in_approval(consent_to_publish=False))

    assert item.status == Status.ANSWERED and item.published_at is None


def test_the_leader_may_decide_not_to_publish(desk):
    item = actions.approve_reply(desk.leader, desk.in_approval(), publish=False)

    assert item.published_at is None


def test_a_denunciation_is_never_published_even_with_consent(desk):
    item = desk.in_approval(kind=Kind.DENUNCIATION, consent_to_publish=True)

    item = actions.approve_reply(desk.leader, item, publish=True)

    assert item.status == Status.ANSWERED
    assert item.published_at is None and item.public_reply == ""
    assert not FeedbackItem.objects.published().filter(pk=item.pk).exists()


# --- Submission -----------------------------------------------------------------------------


def test_a_retried_submission_with_the_same_idempotency_key_gives_the_same_item(db):
    first, created = actions.submit(submission(), idempotency_key="retry-1")
    again, created_again = actions.submit(submission(), idempotency_key="retry-1")

    assert created and not created_again
    assert again.pk == first.pk
    assert FeedbackItem.objects.count() == 1
    with pytest.raises(actions.IdempotencyConflict):
        actions.submit(submission(title="Một việc khác hẳn"), idempotency_key="retry-1")
