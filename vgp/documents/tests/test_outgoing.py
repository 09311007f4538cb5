"""The outgoing flow: draft → versions → review chain → issue → dispatch → received → recall.

Personas are in conftest.py. The Office issues; its Legal Affairs Department keeps a register of
its own (chị Hoa, ``legal_clerk``) and receives inside the system; the Ministry of Home Affairs
is outside the Office.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from vgp.audit.models import AuditRecord
from vgp.documents import actions, queries
from vgp.documents.models import (
    Channel,
    DeliveryStatus,
    Document,
    EventKind,
    ReviewRule,
    ReviewStatus,
    Secrecy,
    Status,
    TaskStatus,
)
from vgp.documents.testing import doc_type, draft, incoming

pytestmark = pytest.mark.django_db


def approve_all(document, *reviewers):
    """Each reviewer approves the steps pending for them, in order."""
    for reviewer in reviewers:
        document.refresh_from_db()
        steps = actions.pending_steps(reviewer, document)
        assert steps, f"nothing pending for {reviewer}"
        for step in steps:
            actions.review(reviewer, step, decision="approve")
    document.refresh_from_db()
    return document


@pytest.fixture
def approved(handler, unit_head, leader, legal_unit, home_ministry):
    """Anh Nam's letter to Legal Affairs and the Ministry, approved by chị Mai and ông Hùng."""
    document = draft(handler, signer=leader, recipients=[legal_unit, home_ministry])
    actions.submit_for_review(handler, document)
    return approve_all(document, unit_head, leader, leader)


def test_a_handler_drafts_and_keeps_versions(handler, leader):
    document = draft(handler, signer=leader)
    assert document.status == Status.DRAFT and document.direction == "out"
    assert document.number_symbol == "" and document.holder == handler
    actions.save_version(
        handler,
        document,
        summary="Về việc tham gia ý kiến dự thảo Nghị định (sửa)",
        content="Văn phòng Chính phủ thống nhất, đề nghị bổ sung Điều 3.",
        note="Bổ sung Điều 3",
    )
    versions = list(document.versions.values_list("number", "content"))
    assert versions[0][0] == 1 and versions[1][0] == 2
    assert "Điều 3" in versions[1][1] and "Điều 3" not in versions[0][1]
    document.refresh_from_db()
    assert document.summary.endswith("(sửa)")


def test_drafting_needs_content_or_a_file_and_a_signer_who_signs(handler, unit_head):
    with pytest.raises(ValidationError) as error:
        draft(handler, content="  ")
    assert "content" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        draft(handler, signer=unit_head)
    assert "signer" in error.value.message_dict
    assert not Document.objects.exists()


def test_the_default_chain_is_unit_head_leader_signer(handler, unit_head, leader):
    document = draft(handler, signer=leader)
    steps = actions.submit_for_review(handler, document)
    assert [(s.order, s.kind, s.status) for s in steps] == [
        (1, "unit_head", ReviewStatus.PENDING),
        (2, "leader", ReviewStatus.WAITING),
        (3, "signer", ReviewStatus.WAITING),
    ]
    document.refresh_from_db()
    assert document.status == Status.IN_REVIEW
    # anh Nam cannot approve his own draft; the leader must wait for the unit head
    assert actions.pending_steps(handler, document) == []
    assert actions.pending_steps(leader, document) == []
    assert len(actions.pending_steps(unit_head, document)) == 1


def test_a_returned_draft_goes_back_and_a_new_round_starts(handler, unit_head, leader):
    document = draft(handler, signer=leader)
    actions.submit_for_review(handler, document)
    step = actions.pending_steps(unit_head, document)[0]
    with pytest.raises(ValidationError):
        actions.review(unit_head, step, decision="return")
    actions.review(unit_head, step, decision="comment", comment="Xem lại căn cứ.")
    actions.review(unit_head, step, decision="return", comment="Bổ sung căn cứ pháp lý.")
    document.refresh_from_db()
    assert document.status == Status.DRAFT and document.holder == handler
    assert set(document.review_steps.values_list("status", flat=True)) == {
        ReviewStatus.RETURNED,
        ReviewStatus.SUPERSEDED,
    }
    actions.save_version(handler, document, summary=document.summary, content="Căn cứ ...")
    actions.submit_for_review(handler, document)
    document.refresh_from_db()
    assert document.review_round == 2
    approve_all(document, unit_head, leader, leader)
    assert document.status == Status.APPROVED
    # the comments of both rounds are kept
    assert document.review_steps.count() == 6
    assert document.events.filter(kind=EventKind.REVIEW_COMMENT).exists()


def test_a_configured_chain_asks_opinions_in_parallel(
    handler, unit_head, leader, legal_head, office, legal_unit
):
    ReviewRule.objects.create(
        agency=office,
        document_type=doc_type("CV"),
        steps=[["unit_head"], ["opinion", "leader"], ["signer"]],
    )
    document = draft(handler, signer=leader)
    # the chain asks for opinions: the drafter must name whose
    with pytest.raises(ValidationError) as error:
        actions.submit_for_review(handler, document)
    assert "opinion_units" in error.value.message_dict
    actions.submit_for_review(handler, document, opinion_units=[legal_unit])
    approve_all(document, unit_head)
    # Legal Affairs' opinion and the leader's review are both pending now
    assert len(actions.pending_steps(legal_head, document)) == 1
    assert len(actions.pending_steps(leader, document)) == 1
    approve_all(document, legal_head)
    document.refresh_from_db()
    assert document.status == Status.IN_REVIEW
    approve_all(document, leader, leader)
    assert document.status == Status.APPROVED


def test_issuing_numbers_per_type_and_year(clerk, approved, handler, unit_head, leader):
    year = timezone.localdate().year
    document = actions.issue(clerk, approved)
    assert document.status == Status.ISSUED
    # a Công văn: number / organisation - drafting unit
    assert document.number_symbol == "01/VPCP-TH"
    assert document.document_date == timezone.localdate()
    assert document.identifier == f"000.00.00.G22.{year}.{document.pk}"
    # the second Công văn of the year takes 02; a Quyết định has its own series
    second = draft(handler, signer=leader)
    actions.submit_for_review(handler, second)
    actions.issue(clerk, approve_all(second, unit_head, leader, leader))
    decision = draft(handler, signer=leader, document_type=doc_type("QĐ"))
    actions.submit_for_review(handler, decision)
    actions.issue(clerk, approve_all(decision, unit_head, leader, leader))
    second.refresh_from_db()
    decision.refresh_from_db()
    assert second.number_symbol == "02/VPCP-TH"
    assert decision.number_symbol == "01/QĐ-VPCP"


def test_legal_normative_and_classified_documents_have_their_own_series(
    clerk, handler, unit_head, leader
):
    year = timezone.localdate().year

    def issued(**fields):
        document = draft(handler, signer=leader, **fields)
        actions.submit_for_review(handler, document)
        return actions.issue(clerk, approve_all(document, unit_head, leader, leader))

    admin_decision = issued(document_type=doc_type("QĐ"))
    legal_decision = issued(document_type=doc_type("QĐ"), legal_normative=True)
    secret = issued(document_type=doc_type("QĐ"), secrecy=Secrecy.CONFIDENTIAL)
    assert admin_decision.number_symbol == "01/QĐ-VPCP"
    assert legal_decision.number_symbol == f"01/{year}/QĐ-VPCP"
    assert secret.number_symbol == "01/QĐ-VPCP" and secret.series_key == "secret"
    with pytest.raises(ValidationError):
        draft(handler, document_type=doc_type("TB"), legal_normative=True)


def test_only_the_clerk_issues_and_only_an_approved_document(approved, handler, clerk, leader):
    with pytest.raises(PermissionDenied):
        actions.issue(handler, approved)
    document = draft(handler, signer=leader)
    with pytest.raises(ValidationError):
        actions.issue(clerk, document)


def test_the_internal_loop(clerk, approved, legal_clerk, legal_unit, legal_head, legal_handler):
    # given the issued letter
    document = actions.issue(clerk, approved)

    # when chị Lan dispatches it: Legal Affairs inside the system, the Ministry on paper
    external = document.deliveries.get(recipient__code="000.00.00.G09")
    actions.dispatch(clerk, document, on_paper=[external.pk])

    # then Legal Affairs finds it in its register's arrivals, not yet numbered
    internal = document.deliveries.get(recipient=legal_unit)
    assert internal.channel == Channel.INTERNAL and internal.status == DeliveryStatus.DELIVERED
    copy = internal.incoming_copy
    assert copy.agency == legal_unit and copy.status == Status.RECEIVED
    assert copy.number_symbol == document.number_symbol and copy.arrival_number is None
    assert queries.can_view(legal_clerk, copy)
    external.refresh_from_db()
    assert external.channel == Channel.PAPER and external.status == DeliveryStatus.SENT

    # when chị Hoa opens and registers it
    actions.mark_read(legal_clerk, copy)
    actions.register_received(legal_clerk, copy)
    copy.refresh_from_db()
    internal.refresh_from_db()

    # then it has the department's incoming number, and the Office sees it read and registered
    assert copy.arrival_number == 1 and copy.status == Status.REGISTERED
    assert internal.status == DeliveryStatus.REGISTERED
    assert internal.read_at is not None and internal.registered_at is not None
    sender_events = set(document.events.values_list("kind", flat=True))
    assert {EventKind.DELIVERED, EventKind.READ, EventKind.RECEIPT} <= sender_events


def test_an_external_delivery_waits_for_the_exchange(clerk, approved, home_ministry):
    document = actions.issue(clerk, approved)
    actions.dispatch(clerk, document)
    external = document.deliveries.get(recipient=home_ministry)
    assert external.channel == Channel.EXCHANGE and external.status == DeliveryStatus.QUEUED
    actions.mark_sent_on_paper(clerk, external)
    external.refresh_from_db()
    assert external.status == DeliveryStatus.SENT


def test_a_classified_document_never_leaves_electronically(
    clerk, handler, unit_head, leader, legal_unit, home_ministry
):
    document = draft(
        handler, signer=leader, secrecy=Secrecy.SECRET, recipients=[legal_unit, home_ministry]
    )
    actions.submit_for_review(handler, document)
    document = actions.issue(clerk, approve_all(document, unit_head, leader, leader))

    # when chị Lan tries to send it electronically to the Ministry
    with pytest.raises(PermissionDenied):
        actions.dispatch(clerk, document)

    # then nothing was sent, and the attempt is on the timeline and in the audit trail
    document.refresh_from_db()
    assert document.status == Status.ISSUED
    assert document.events.filter(kind=EventKind.DISPATCH_REFUSED).exists()
    assert AuditRecord.objects.filter(action="documents.dispatch_refused").exists()
    assert not Document.objects.incoming().exists()

    # on paper to the Ministry, and inside the system to Legal Affairs, it goes
    external = document.deliveries.get(recipient=home_ministry)
    actions.dispatch(clerk, document, on_paper=[external.pk])
    copy = document.deliveries.get(recipient=legal_unit).incoming_copy
    assert copy.secrecy == Secrecy.SECRET


def test_recall_freezes_every_copy_and_a_replacement_links_to_it(
    clerk, approved, leader, legal_clerk, legal_unit, legal_head, handler, unit_head
):
    document = actions.issue(clerk, approved)
    actions.dispatch(
        clerk,
        document,
        on_paper=list(
            document.deliveries.exclude(recipient=legal_unit).values_list("pk", flat=True)
        ),
    )
    copy = document.deliveries.get(recipient=legal_unit).incoming_copy
    actions.register_received(legal_clerk, copy)
    actions.direct(leader, copy, lead_unit=legal_unit)

    # when ông Hùng recalls it
    with pytest.raises(PermissionDenied):
        actions.recall(handler, document, reason="Sai sót")
    actions.recall(leader, document, reason="Sai sót về căn cứ pháp lý.")

    # then the copy is frozen and its tasks cancelled; nothing more can be done with it
    copy.refresh_from_db()
    assert copy.status == Status.RECALLED and copy.recall_reason.startswith("Sai sót")
    assert set(copy.tasks.values_list("status", flat=True)) == {TaskStatus.CANCELLED}
    with pytest.raises(ValidationError):
        actions.direct(leader, copy, lead_unit=legal_unit)
    assert set(document.deliveries.values_list("status", flat=True)) == {DeliveryStatus.RECALLED}

    # and a replacement is drafted, linked to the recalled document
    replacement = draft(handler, signer=leader, replaces=document, recipients=[legal_unit])
    actions.submit_for_review(handler, replacement)
    actions.issue(clerk, approve_all(replacement, unit_head, leader, leader))
    assert document.replacements.get() == replacement
    assert document.events.filter(kind=EventKind.REPLACED).exists()


def test_a_reply_links_to_the_incoming_document(clerk, leader, unit_head, handler, general):
    letter = incoming(clerk)
    actions.direct(leader, letter, lead_unit=general)
    reply = draft(handler, signer=leader, in_reply_to=letter)
    assert list(letter.replies.all()) == [reply]
    assert letter.events.filter(kind=EventKind.REPLY_LINKED).exists()


def test_a_handler_of_another_unit_cannot_change_the_draft(handler, leader, legal_handler):
    document = draft(handler, signer=leader)
    with pytest.raises(PermissionDenied):
        actions.save_version(legal_handler, document, summary="x", content="y")


def test_the_outsider_sees_none_of_it(approved, outsider):
    assert not queries.can_view(outsider, approved)
