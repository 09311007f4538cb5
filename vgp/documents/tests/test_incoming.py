"""The incoming flow: register → present → direct → assign → handle → report → close.

Personas are in conftest.py: chị Lan (clerk), ông Hùng (leader), chị Mai (unit head of the
General Affairs Department) and anh Nam (its handler), anh Phúc and chị Thu of the Legal
Affairs Department, and a clerk of the Ministry of Home Affairs (``outsider``).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from vgp.audit.models import AuditRecord
from vgp.documents import actions, queries
from vgp.documents.models import (
    Document,
    EventKind,
    Secrecy,
    Status,
    TaskRole,
    TaskStatus,
    Urgency,
)
from vgp.documents.testing import doc_type, incoming

pytestmark = pytest.mark.django_db


def in_days(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


def kinds(document: Document) -> list[str]:
    return list(document.events.order_by("at", "id").values_list("kind", flat=True))


def test_a_clerk_registers_an_incoming_document_with_the_next_number(clerk, office):
    # given chị Lan's register, empty this year
    # when she registers two documents
    first = incoming(clerk)
    second = incoming(clerk, number_symbol="15/QĐ-BNV", document_type=doc_type("QĐ"))

    # then they get incoming numbers 1 and 2 of this year, in the Office's register
    year = timezone.localdate().year
    assert (first.arrival_number, first.arrival_year) == (1, year)
    assert (second.arrival_number, second.arrival_year) == (2, year)
    assert first.reference == f"01/{year}"
    assert first.agency == office and first.status == Status.REGISTERED
    assert first.number_symbol == "1925/BNV-TCBC" and first.number == "1925"
    assert first.holder == clerk and first.holder_unit == office
    assert kinds(first) == [EventKind.REGISTERED]
    assert AuditRecord.objects.filter(action="documents.register_incoming").count() == 2


def test_the_number_and_symbol_is_validated_and_written_canonically(clerk):
    document = incoming(clerk, number_symbol="số 5 / qd - ttg", document_type=doc_type("QĐ"))
    assert document.number_symbol == "05/QĐ-TTg"

    with pytest.raises(ValidationError) as error:
        incoming(clerk, number_symbol="abc")
    assert "number_symbol" in error.value.message_dict
    assert Document.objects.count() == 1


def test_required_fields_and_lengths_follow_decree_30(clerk):
    with pytest.raises(ValidationError) as error:
        incoming(clerk, summary="   ")
    assert "summary" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        incoming(clerk, summary="x" * 501)
    assert "summary" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        incoming(clerk, document_date=in_days(3))
    assert "document_date" in error.value.message_dict
    assert not Document.objects.exists()


def test_a_duplicate_is_refused_unless_the_clerk_confirms(clerk):
    # given the Ministry's letter 1925/BNV-TCBC already registered
    original = incoming(clerk)

    # when the same letter comes again (same number, symbol and issuer)
    with pytest.raises(ValidationError) as error:
        incoming(clerk)

    # then the clerk is warned, with the earlier registration named
    assert error.value.code == "duplicate"
    assert error.value.params == {"ids": [original.pk]}
    # and may register it anyway
    again = incoming(clerk, allow_duplicate=True)
    assert again.arrival_number == 2


def test_the_same_identifier_is_a_duplicate_too(clerk):
    incoming(clerk, identifier="000.00.00.G09.2026.77")
    with pytest.raises(ValidationError) as error:
        incoming(clerk, number_symbol="77/BNV-VP", identifier="000.00.00.G09.2026.77")
    assert error.value.code == "duplicate"


def test_only_a_clerk_registers_and_only_in_their_own_organisation(handler, outsider, office):
    with pytest.raises(PermissionDenied):
        incoming(handler)
    with pytest.raises(PermissionDenied):
        incoming(outsider, agency=office)
    assert not Document.objects.exists()


def test_the_whole_handling_flow(
    clerk, leader, unit_head, handler, general, legal_unit, legal_head
):
    # given a registered letter
    document = incoming(clerk, urgency=Urgency.URGENT)

    # when chị Lan presents it to ông Hùng
    document = actions.present(clerk, document, leader=leader)
    assert document.status == Status.PRESENTED and document.holder == leader

    # and he directs: General Affairs leads, Legal Affairs supports, within ten days
    slip = actions.direct(
        leader,
        document,
        lead_unit=general,
        supporting_units=[legal_unit],
        due_on=in_days(10),
        instructions="Vụ TH chủ trì, phối hợp Vụ PL, báo cáo trước hạn.",
    )
    document.refresh_from_db()
    assert document.status == Status.DIRECTED
    assert document.holder_unit == general and document.due_on == in_days(10)
    lead, support = slip.tasks.order_by("role")
    assert (lead.role, lead.unit, support.role, support.unit) == (
        TaskRole.LEAD,
        general,
        TaskRole.SUPPORT,
        legal_unit,
    )

    # and chị Mai assigns anh Nam; anh Phúc completes the support task himself
    actions.assign_handler(unit_head, lead, handler)
    document.refresh_from_db()
    assert document.status == Status.IN_PROGRESS and document.holder == handler
    actions.complete_task(legal_head, support, result="Vụ PL thống nhất với dự thảo.")

    # and anh Nam notes, reports it done, and ông Hùng closes it
    actions.add_note(handler, document, text="Đã trao đổi với Bộ Nội vụ qua điện thoại.")
    actions.report_done(handler, document, result="Đã có văn bản trả lời.")
    document.refresh_from_db()
    assert document.status == Status.REPORTED and document.holder == leader
    actions.close(leader, document)

    # then the document is closed, every task done, and the timeline tells the story
    document.refresh_from_db()
    assert document.status == Status.CLOSED and document.closed_at is not None
    assert set(document.tasks.values_list("status", flat=True)) == {TaskStatus.DONE}
    assert kinds(document) == [
        EventKind.REGISTERED,
        EventKind.PRESENTED,
        EventKind.DIRECTED,
        EventKind.ASSIGNED,
        EventKind.TASK_DONE,
        EventKind.NOTE,
        EventKind.REPORTED,
        EventKind.CLOSED,
    ]
    holders = list(document.events.order_by("at", "id").values_list("holder_id", flat=True))
    assert holders[1] == leader.pk and holders[3] == handler.pk


def test_each_step_refuses_the_wrong_role(clerk, leader, unit_head, handler, general):
    document = incoming(clerk)
    with pytest.raises(PermissionDenied):
        actions.present(handler, document, leader=leader)
    with pytest.raises(PermissionDenied):
        actions.direct(clerk, document, lead_unit=general)
    slip = actions.direct(leader, document, lead_unit=general)
    lead = slip.tasks.get()
    with pytest.raises(PermissionDenied):
        actions.assign_handler(handler, lead, handler)
    with pytest.raises(PermissionDenied):
        actions.close(handler, document, note="Xong")


def test_each_step_refuses_the_wrong_state(clerk, leader, unit_head, handler, general):
    document = incoming(clerk)
    with pytest.raises(ValidationError):
        actions.register_received(clerk, document)
    slip = actions.direct(leader, document, lead_unit=general)
    actions.assign_handler(unit_head, slip.tasks.get(), handler)
    document.refresh_from_db()
    actions.report_done(handler, document, result="Xong")
    actions.close(leader, document)
    with pytest.raises(ValidationError):
        actions.present(clerk, document, leader=leader)
    with pytest.raises(ValidationError):
        actions.direct(leader, document, lead_unit=general)


def test_a_unit_head_assigns_only_within_the_unit(
    clerk, leader, unit_head, general, legal_unit, legal_handler, legal_head
):
    document = incoming(clerk)
    lead = actions.direct(leader, document, lead_unit=general).tasks.get()
    # a handler of another unit cannot be given General Affairs' task
    with pytest.raises(ValidationError) as error:
        actions.assign_handler(unit_head, lead, legal_handler)
    assert "handler" in error.value.message_dict
    # and the head of another unit cannot assign it
    with pytest.raises(PermissionDenied):
        actions.assign_handler(legal_head, lead, legal_handler)


def test_a_handler_splits_the_task_and_asks_for_more_time(
    clerk, leader, unit_head, handler, general, office
):
    from vgp.accounts.roles import Role
    from vgp.documents.testing import official

    colleague = official("binh", office, Role.HANDLER, unit=general, name="Ngô Văn Bình")
    document = incoming(clerk)
    lead = actions.direct(leader, document, lead_unit=general, due_on=in_days(5)).tasks.get()
    actions.assign_handler(unit_head, lead, handler)

    # anh Nam gives anh Bình a sub-task, which cannot outlast the task
    with pytest.raises(ValidationError):
        actions.add_subtask(handler, lead, handler=colleague, title="Tổng hợp", due_on=in_days(9))
    sub = actions.add_subtask(handler, lead, handler=colleague, title="Tổng hợp ý kiến")
    assert sub.due_on == in_days(5) and queries.can_view(colleague, document)
    actions.complete_task(colleague, sub, result="Đã tổng hợp.")

    # he asks for five more days; ông Hùng grants them
    actions.request_extension(handler, lead, until=in_days(10), reason="Chờ ý kiến các bộ.")
    actions.decide_extension(leader, lead, grant=True)
    lead.refresh_from_db()
    document.refresh_from_db()
    assert lead.due_on == in_days(10) and document.due_on == in_days(10)
    assert lead.extension_requested_to is None
    assert EventKind.EXTENDED in kinds(document)


def test_a_refused_extension_keeps_the_deadline(clerk, leader, unit_head, handler, general):
    document = incoming(clerk)
    lead = actions.direct(leader, document, lead_unit=general, due_on=in_days(5)).tasks.get()
    actions.assign_handler(unit_head, lead, handler)
    with pytest.raises(ValidationError):
        actions.request_extension(handler, lead, until=in_days(3), reason="Không kịp")
    actions.request_extension(handler, lead, until=in_days(8), reason="Không kịp")
    actions.decide_extension(leader, lead, grant=False, reason="Cần xong đúng hạn.")
    lead.refresh_from_db()
    assert lead.due_on == in_days(5)
    assert EventKind.EXTENSION_REFUSED in kinds(document)


def test_a_returned_lead_task_goes_back_to_the_leader(
    clerk, leader, unit_head, handler, general, legal_unit
):
    document = incoming(clerk)
    actions.present(clerk, document, leader=leader)
    lead = actions.direct(leader, document, lead_unit=general).tasks.get()
    actions.assign_handler(unit_head, lead, handler)

    # anh Nam returns it: not his department's remit
    with pytest.raises(ValidationError):
        actions.return_task(handler, lead, reason=" ")
    actions.return_task(handler, lead, reason="Thuộc chức năng của Vụ Pháp luật.")

    # then ông Hùng holds it again and directs it to Legal Affairs
    document.refresh_from_db()
    assert document.status == Status.PRESENTED and document.holder == leader
    actions.direct(leader, document, lead_unit=legal_unit)
    document.refresh_from_db()
    assert document.holder_unit == legal_unit


def test_a_new_direction_cancels_the_open_tasks(clerk, leader, general, legal_unit):
    document = incoming(clerk)
    actions.direct(leader, document, lead_unit=general)
    actions.direct(leader, document, lead_unit=legal_unit)
    statuses = dict(document.tasks.values_list("unit_id", "status"))
    assert statuses == {general.pk: TaskStatus.CANCELLED, legal_unit.pk: TaskStatus.OPEN}


def test_a_leader_closes_early_only_with_a_reason(clerk, leader):
    document = incoming(clerk)
    with pytest.raises(ValidationError):
        actions.close(leader, document)
    actions.close(leader, document, note="Văn bản để biết, không phải xử lý.")
    document.refresh_from_db()
    assert document.status == Status.CLOSED


def test_the_clerk_returns_a_misdirected_document(clerk):
    document = incoming(clerk)
    actions.return_to_sender(clerk, document, reason="Gửi nhầm cơ quan.")
    document.refresh_from_db()
    assert document.status == Status.RETURNED_TO_SENDER


def test_who_sees_an_incoming_document(
    clerk, leader, unit_head, handler, general, legal_handler, legal_head, outsider, legal_unit
):
    document = incoming(clerk)
    # the register's clerk and leader see it; the units see it once they take part
    assert queries.can_view(clerk, document) and queries.can_view(leader, document)
    assert not queries.can_view(handler, document)
    assert not queries.can_view(outsider, document)
    actions.direct(leader, document, lead_unit=general)
    assert queries.can_view(handler, document) and queries.can_view(unit_head, document)
    assert not queries.can_view(legal_handler, document)
    assert not queries.can_view(outsider, document)


def test_a_classified_document_is_seen_only_by_named_readers_and_roles(
    clerk, leader, unit_head, handler, general, office
):
    from vgp.accounts.roles import Role
    from vgp.documents.testing import official

    auditor = official("kiemtra", office, Role.AUDITOR)
    # given a secret document registered by chị Lan, readable by the leaders
    document = incoming(clerk, secrecy=Secrecy.SECRET, number_symbol="12/BNV-M")
    assert document.arrival_number == 1  # the classified series is separate
    assert incoming(clerk).arrival_number == 1

    # then the leader and chị Lan (named) see it; nobody else does, not even an auditor
    assert queries.can_view(leader, document) and queries.can_view(clerk, document)
    assert not queries.can_view(auditor, document)
    # not even the lead unit as a whole: only its named handler
    actions.direct(leader, document, lead_unit=general)
    assert not queries.can_view(handler, document)
    with pytest.raises(PermissionDenied):
        actions.assign_handler(unit_head, document.tasks.get(), handler)
    actions.grant_reader(leader, document, unit_head)
    actions.assign_handler(unit_head, document.tasks.get(), handler)
    assert queries.can_view(handler, document)
    assert AuditRecord.objects.filter(action="documents.grant_reader").exists()


def test_the_trail_is_written_in_the_installations_language_whoever_acts(
    clerk, leader, unit_head, handler, general
):
    from django.conf import settings
    from django.utils import translation

    # given the installation in Vietnamese and officials whose screens are in English
    assert settings.LANGUAGE_CODE == "vi"
    with translation.override("en"):
        document = incoming(clerk)
        actions.direct(leader, document, lead_unit=general)
        task = document.tasks.get(role=TaskRole.LEAD)
        actions.assign_handler(unit_head, task, handler)
    # then the audit trail reads in Vietnamese, choice labels included
    summaries = dict(AuditRecord.objects.values_list("action", "summary"))
    assert summaries["documents.register_incoming"].startswith(
        f"Đã vào sổ văn bản đến số {document.reference}:"
    )
    assert summaries["documents.assign_handler"] == (
        f"{document.reference}: nam xử lý nhiệm vụ (Chủ trì)."
    )
