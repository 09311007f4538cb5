"""Signing in the outgoing flow (Decree 30; ADR 0016): the signer signs the approved PDF, the
clerk's issue adds the seal, then the number and date with the organisation's signature, and
the organisation's signature on each annex. Every signature stays valid after the next.

Personas in conftest.py: anh Nam drafts, chị Mai and ông Hùng review, ông Hùng signs, chị Lan
issues. Anh Tuấn (IT) runs the certification authority.
"""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.utils import translation
from pypdf import PdfReader

from vgp.accounts.roles import Role
from vgp.audit.models import AuditRecord
from vgp.documents import actions, digital_signatures, files, testing
from vgp.documents.models import AttachmentKind, EventKind, Status
from vgp.documents.testing import draft
from vgp.signatures import actions as signature_actions
from vgp.signatures import signing
from vgp.signatures.models import CertificateKind, RevocationReason
from vgp.signatures.tests.documents import blank_pdf
from vgp.signatures.verification import Verdict, verify_pdf

from .test_outgoing import approve_all

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    # The refusals are matched by their English text (their Vietnamese is the catalogue's).
    with translation.override("en"):
        yield


@pytest.fixture
def tuan(office):
    return testing.official("tuan", office, Role.IT_ADMIN, name="Đỗ Minh Tuấn")


@pytest.fixture
def authority(tuan, office, leader):
    signing.forget_cached()
    signature_actions.create_authority(
        tuan, agency=office, root_name="VPCP Root CA", issuing_name="VPCP Issuing CA"
    )
    signature_actions.issue_certificate(tuan, kind=CertificateKind.SEAL, agency=office)
    return signature_actions.issue_certificate(tuan, kind=CertificateKind.PERSONAL, holder=leader)


def pdf_upload(name="cong-van.pdf", text="Công văn số ... về việc tham gia ý kiến"):
    return ContentFile(blank_pdf(text), name=name)


@pytest.fixture
def approved_pdf(handler, unit_head, leader, legal_unit, authority):
    document = draft(handler, signer=leader, recipients=[legal_unit], file=pdf_upload())
    actions.add_annex(handler, document, file=pdf_upload("phu-luc.pdf", "Phụ lục I"))
    actions.submit_for_review(handler, document)
    return approve_all(document, unit_head, leader, leader)


def _main(document):
    return document.attachments.get(kind=AttachmentKind.MAIN)


def test_the_whole_flow_leaves_four_valid_signatures(approved_pdf, leader, clerk):
    assert approved_pdf.status == Status.APPROVED and approved_pdf.approved_sha256
    with pytest.raises(ValidationError, match="not signed"):
        actions.issue(clerk, approved_pdf)

    actions.sign(leader, approved_pdf)
    approved_pdf.refresh_from_db()
    assert approved_pdf.signed_by == leader and approved_pdf.status == Status.APPROVED
    signed = digital_signatures.read(_main(approved_pdf))
    (first,) = verify_pdf(signed).signatures
    assert first.verdict == Verdict.VALID and first.timestamp is not None

    document = actions.issue(clerk, approved_pdf)
    final = digital_signatures.read(_main(document))
    report = verify_pdf(final)
    assert report.verdict == Verdict.VALID
    assert [s.verdict for s in report.signatures] == [Verdict.VALID] * 3
    assert report.signatures[-1].revocation == "good"  # B-LT: validation data embedded
    assert _main(document).sha256 == files.uploads.sha256(io.BytesIO(final))
    assert document.page_count == _main(document).page_count == 1  # the register's "pages"
    annex = document.attachments.get(kind=AttachmentKind.ANNEX)
    annex_report = verify_pdf(digital_signatures.read(annex))
    assert annex_report.verdict == Verdict.VALID
    assert PdfReader(io.BytesIO(digital_signatures.read(annex))).trailer["/Root"]["/AcroForm"]
    assert document.events.filter(kind=EventKind.SIGNED).exists()
    assert AuditRecord.objects.filter(action="signatures.sign").count() == 4


def test_only_the_named_signer_signs(approved_pdf, leader, office):
    other = testing.official("binh", office, Role.LEADER, name="Vũ Thanh Bình")
    with pytest.raises(PermissionDenied):
        actions.sign(other, approved_pdf)
    approved_pdf.refresh_from_db()
    assert approved_pdf.signed_at is None
    assert not approved_pdf.attachments.filter(kind=AttachmentKind.MAIN).exists()


def test_signing_is_refused_when_the_pdf_changed_since_approval(approved_pdf, leader):
    final = digital_signatures.final_file(approved_pdf)
    # Someone replaces the stored file behind the system's back.
    files._FILES.delete(final.stored_name)
    files._FILES.save(final.stored_name, ContentFile(blank_pdf("Nội dung khác")))
    with pytest.raises(ValidationError, match="changed since it was approved"):
        actions.sign(leader, approved_pdf)
    assert not approved_pdf.attachments.filter(kind=AttachmentKind.MAIN).exists()


def test_a_revoked_signer_certificate_cannot_sign(approved_pdf, leader, tuan, authority):
    signature_actions.revoke(tuan, authority, reason=RevocationReason.KEY_COMPROMISE)
    with pytest.raises(ValidationError, match="no valid signing certificate"):
        actions.sign(leader, approved_pdf)


def test_a_word_draft_is_issued_without_digital_signatures(
    handler, unit_head, leader, clerk, authority
):
    document = draft(handler, signer=leader)  # content only, signed on paper
    actions.submit_for_review(handler, document)
    document = approve_all(document, unit_head, leader, leader)
    with pytest.raises(ValidationError, match="no PDF"):
        actions.sign(leader, document)
    issued = actions.issue(clerk, document)
    assert issued.status == Status.ISSUED and issued.signed_at is None


def test_a_failed_seal_leaves_the_document_unnumbered(approved_pdf, leader, clerk, tuan, office):
    actions.sign(leader, approved_pdf)
    seal = signature_actions.current_seal(office)
    signature_actions.suspend(tuan, seal)
    with pytest.raises(ValidationError, match="seal"):
        actions.issue(clerk, approved_pdf)
    approved_pdf.refresh_from_db()
    assert approved_pdf.status == Status.APPROVED and approved_pdf.number == ""


def test_a_non_pdf_annex_blocks_the_issue(handler, unit_head, leader, clerk, authority):
    document = draft(handler, signer=leader, file=pdf_upload())
    docx = _docx_file()
    actions.add_annex(handler, document, file=docx)
    actions.submit_for_review(handler, document)
    document = approve_all(document, unit_head, leader, leader)
    actions.sign(leader, document)
    with pytest.raises(ValidationError, match="not a PDF"):
        actions.issue(clerk, document)


def _docx_file():
    from vgp.documents.tests.test_files import make_docx  # the files tests' DOCX maker

    return ContentFile(make_docx("Phụ lục"), name="phu-luc.docx")


def test_annexes_are_added_and_removed_only_while_drafting(handler, leader, approved_pdf):
    annex = approved_pdf.attachments.get(kind=AttachmentKind.ANNEX)
    with pytest.raises(ValidationError):
        actions.remove_annex(handler, annex)
    document = draft(handler, signer=leader)
    added = actions.add_annex(handler, document, file=pdf_upload("phu-luc-2.pdf"))
    actions.remove_annex(handler, added)
    assert not document.attachments.filter(kind=AttachmentKind.ANNEX).exists()


# --- Through the back office ---------------------------------------------------------------


@pytest.fixture
def admin_client(settings):
    from .test_admin import EnglishClient

    settings.VGP_REQUIRE_2FA = False
    return EnglishClient()


def test_the_signer_signs_and_the_clerk_issues_from_the_document_page(
    admin_client, approved_pdf, leader, clerk, handler
):
    from .test_admin import flashed, page_url, step_url, steps_shown

    admin_client.force_login(handler)
    assert "sign" not in steps_shown(admin_client.get(page_url(approved_pdf)))
    admin_client.force_login(leader)
    page = admin_client.get(page_url(approved_pdf))
    assert "sign" in steps_shown(page)
    assert "Not signed yet" in page.content.decode()
    assert "has no valid signing certificate" not in page.content.decode()
    response = admin_client.post(step_url(approved_pdf, "sign"), {})
    assert response.status_code == 302
    assert "Signed. The clerk can now issue it." in flashed(response)
    admin_client.force_login(clerk)
    response = admin_client.post(step_url(approved_pdf, "issue"), {})
    assert response.status_code == 302
    page = admin_client.get(page_url(approved_pdf))
    html = page.content.decode()
    assert "Signed by Nguyễn Văn Hùng on" in html
    assert "seal and signature" in html


def test_a_refused_signature_is_shown_not_raised(
    admin_client, approved_pdf, leader, tuan, authority
):
    from .test_admin import bound_form, page_url, step_url

    signature_actions.suspend(tuan, authority)
    admin_client.force_login(leader)
    # The page says so before the leader presses "Sign".
    page = admin_client.get(page_url(approved_pdf)).content.decode()
    assert "the signer has no valid signing certificate yet" in page
    response = admin_client.post(step_url(approved_pdf, "sign"), {})
    assert response.status_code == 200
    assert "no valid signing certificate" in str(bound_form(response).non_field_errors())


def test_the_drafter_adds_an_annex_from_the_page(admin_client, handler, leader):
    from .test_admin import step_url

    document = draft(handler, signer=leader)
    admin_client.force_login(handler)
    response = admin_client.post(
        step_url(document, "add_annex"),
        {"add_annex-file": pdf_upload("phu-luc.pdf")},
    )
    assert response.status_code == 302
    assert document.attachments.filter(kind=AttachmentKind.ANNEX).count() == 1
