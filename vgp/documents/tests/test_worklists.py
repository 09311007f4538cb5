"""What waits for whom and what is late (``worklists``): due states in working days, "my
work", the review steps waiting for each official, who follows which units, and the counts per
unit and per person. Personas are in conftest.py."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone, translation

from vgp.documents import actions, queries, worklists
from vgp.documents.models import Document, Status, Task, TaskRole, TaskStatus
from vgp.documents.testing import draft, incoming
from vgp.workdays.deadlines import VN_TZ

pytestmark = pytest.mark.django_db

FRIDAY = dt.date(2026, 11, 6)


def in_days(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


def fresh(document: Document) -> Document:
    return Document.objects.get(pk=document.pk)


def lead(document: Document) -> Task:
    return document.tasks.get(role=TaskRole.LEAD, status=TaskStatus.OPEN)


def directed(clerk, leader, general, legal_unit, **overrides) -> Document:
    document = incoming(clerk, **overrides)
    actions.present(clerk, document, leader=leader)
    actions.direct(
        leader, document, lead_unit=general, supporting_units=[legal_unit], due_on=in_days(20)
    )
    return fresh(document)


# --- Due states -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("due", "state", "words"),
    [
        (dt.date(2026, 11, 5), worklists.OVERDUE, "overdue by 1 working day"),
        (dt.date(2026, 11, 2), worklists.OVERDUE, "overdue by 4 working days"),
        (FRIDAY, worklists.DUE_SOON, "due today"),
        # The weekend does not count: Monday is one working day after Friday.
        (dt.date(2026, 11, 9), worklists.DUE_SOON, "1 working day left"),
        (dt.date(2026, 11, 11), worklists.DUE_SOON, "3 working days left"),
        (dt.date(2026, 11, 12), worklists.LATER, "4 working days left"),
    ],
)
def test_due_states_count_working_days(due, state, words):
    with translation.override("en"):
        assert worklists.due_state(due, FRIDAY) == (state, words)


def test_due_soon_ends_three_working_days_ahead():
    assert worklists.due_soon_until(FRIDAY) == dt.date(2026, 11, 11)
    # National Day (2 September 2026, a Wednesday) and the day after it are holidays.
    assert worklists.due_soon_until(dt.date(2026, 9, 1)) == dt.date(2026, 9, 7)


def test_today_is_the_date_in_hanoi():
    with time_machine.travel(dt.datetime(2026, 11, 5, 18, 30, tzinfo=dt.UTC), tick=False):
        assert worklists.today() == FRIDAY


# --- My work --------------------------------------------------------------------------------


def test_my_work_is_what_each_official_holds_handles_reviews_or_registers(
    clerk, leader, general, legal_unit, unit_head, handler, legal_head, legal_handler, legal_clerk
):
    registered = incoming(clerk)  # held by the clerk
    presented = incoming(clerk, number_symbol="02/BNV-VP")
    actions.present(clerk, presented, leader=leader)  # held by the leader
    handled = directed(clerk, leader, general, legal_unit, number_symbol="03/BNV-VP")
    actions.assign_handler(unit_head, lead(handled), handler)
    support = handled.tasks.get(role=TaskRole.SUPPORT)
    actions.assign_handler(legal_head, support, legal_handler)
    reviewed = draft(handler, signer=leader, recipients=[legal_unit])
    actions.submit_for_review(handler, reviewed)  # waits for chị Mai's review

    def work(user) -> set[int]:
        return set(
            worklists.my_work(user, queries.visible_documents(user)).values_list("pk", flat=True)
        )

    assert work(clerk) == {registered.pk}
    assert work(leader) == {presented.pk}
    assert work(handler) == {handled.pk}
    assert work(legal_handler) == {handled.pk}  # the supporting task
    assert work(unit_head) == {reviewed.pk}
    assert work(legal_head) == set()

    # An outgoing document dispatched to the Legal Affairs Department arrives in its register.
    for reviewer in (unit_head, leader, leader):
        actions.review(
            reviewer, actions.pending_steps(reviewer, fresh(reviewed))[0], decision="approve"
        )
    actions.issue(clerk, fresh(reviewed))
    actions.dispatch(clerk, fresh(reviewed))
    copy = Document.objects.get(source_delivery__document=reviewed)
    assert copy.status == Status.RECEIVED
    assert copy.pk in work(legal_clerk)
    assert copy.pk in work(clerk)  # the Office's clerk keeps every register of the Office
    assert worklists.registers_of_clerk(legal_clerk) == queries.unit_ids_of(legal_clerk)


def test_pending_reviews_are_the_steps_the_action_lets_each_reviewer_decide(
    handler, unit_head, leader, legal_head, legal_unit, clerk
):
    document = draft(handler, signer=leader)
    actions.submit_for_review(handler, document)
    for user in (handler, unit_head, leader, legal_head, clerk):
        expected = {step.pk for step in actions.pending_steps(user, fresh(document))}
        assert set(worklists.pending_reviews(user).values_list("pk", flat=True)) == expected
    actions.review(
        unit_head, actions.pending_steps(unit_head, fresh(document))[0], decision="approve"
    )
    assert not worklists.pending_reviews(unit_head).exists()
    assert worklists.pending_reviews(leader).count() == 1


def test_urgent_documents_come_first(clerk):
    normal = incoming(clerk, number_symbol="01/BNV-VP")
    flash = incoming(clerk, number_symbol="02/BNV-VP", urgency=3)
    urgent = incoming(clerk, number_symbol="03/BNV-VP", urgency=1, due_on=in_days(3))
    ordered = list(worklists.urgent_first(Document.objects.all()).values_list("pk", flat=True))
    assert ordered == [flash.pk, urgent.pk, normal.pk]


# --- Tracking -------------------------------------------------------------------------------


def test_who_follows_which_units(clerk, leader, unit_head, handler, general, auditor, office):
    assert worklists.tracked_units(leader) == {office.pk, general.pk}
    assert worklists.tracked_units(clerk) == {office.pk, general.pk}
    assert worklists.tracked_units(unit_head) == {general.pk}
    assert worklists.tracked_units(handler) == set()
    assert worklists.tracked_units(auditor) is None


def test_deadlines_are_counted_per_unit_and_per_person(
    clerk, leader, general, legal_unit, unit_head, handler
):
    with time_machine.travel(dt.datetime(2026, 11, 2, 9, 0, tzinfo=VN_TZ), tick=False):
        late = directed(clerk, leader, general, legal_unit)
        Task.objects.filter(document=late).update(due_on=dt.date(2026, 11, 10))
        actions.assign_handler(unit_head, lead(late), handler)
    soon = directed(clerk, leader, general, legal_unit, number_symbol="02/BNV-VP")
    Task.objects.filter(document=soon).update(due_on=timezone.localdate())
    waiting = incoming(clerk, number_symbol="03/BNV-VP", due_on=timezone.localdate())
    day = worklists.today()

    tasks = worklists.tasks_of_units({general.pk, legal_unit.pk})
    by_unit = {load.key: load for load in worklists.load_by(tasks, "unit_id", day)}
    assert by_unit[general.pk] == worklists.Load(general.pk, open=2, due_soon=1, overdue=1)
    assert by_unit[legal_unit.pk] == worklists.Load(legal_unit.pk, open=2, due_soon=1, overdue=1)
    by_person = worklists.load_by(tasks.filter(handler__isnull=False), "handler_id", day)
    assert by_person == [worklists.Load(handler.pk, open=1, due_soon=0, overdue=1)]

    # The registered document waits for a direction: its own deadline, held by the clerk.
    held = worklists.held_by_units(None)
    documents = worklists.document_load_by(held, "holder_id", day)
    assert documents == [worklists.Load(clerk.pk, open=1, due_soon=1, overdue=0)]
    assert list(worklists.followed_on_document(held).values_list("pk", flat=True)) == [waiting.pk]

    merged = worklists.merge_loads(
        [worklists.Load(1, 2, 1, 0)], [worklists.Load(1, 1, 0, 1), worklists.Load(2, 1, 1, 0)]
    )
    assert merged == [worklists.Load(1, 3, 1, 1), worklists.Load(2, 1, 1, 0)]

    assert set(worklists.overdue_tasks(tasks, day).values_list("document_id", flat=True)) == {
        late.pk
    }
    assert set(worklists.due_soon_tasks(tasks, day).values_list("document_id", flat=True)) == {
        soon.pk
    }
    assert list(worklists.tasks_of_person(handler).values_list("document_id", flat=True)) == [
        late.pk
    ]
