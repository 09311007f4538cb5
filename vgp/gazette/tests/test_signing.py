"""The Government Office's seal on the gazette issues it publishes (issue 7, point 5).

Personas: chị Thu submits an issue and anh Bảo publishes it (conftest); chị Hà, IT
administrator of the Government Office, runs the certification authority and issued the
Office's seal; chị Lan, a citizen, downloads the issue and checks its signature.
"""

from __future__ import annotations

import hashlib
import io
import logging

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from pyhanko.pdf_utils.reader import PdfFileReader

from vgp.audit.models import AuditRecord
from vgp.gazette.models import GazetteIssue
from vgp.gazette.testing import publish
from vgp.signatures import actions as signature_actions
from vgp.signatures import signing
from vgp.signatures.models import (
    CertificateKind,
    PublicationSignature,
    PublicationSigningSettings,
    SealOutcome,
)
from vgp.signatures.verification import Verdict, verify_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _password_only(settings):
    # The second factor has its own tests; here the officials sign in with a password.
    settings.VGP_REQUIRE_2FA = False


@pytest.fixture
def authority(it_admin, government_office):
    """The installation's CA (root, issuing CA, time-stamp authority), made by chị Hà."""
    signing.forget_cached()
    return signature_actions.create_authority(
        it_admin,
        agency=government_office,
        root_name="VPCP Root CA",
        issuing_name="VPCP Issuing CA",
    )


@pytest.fixture
def office_seal(authority, it_admin, government_office):
    """The Government Office's seal: the publisher of the gazette signs with it."""
    return signature_actions.issue_certificate(
        it_admin, kind=CertificateKind.SEAL, agency=government_office
    )


def _stored(issue: GazetteIssue) -> bytes:
    with issue.pdf.open("rb") as handle:
        return handle.read()


def _signature_count(data: bytes) -> int:
    return len(PdfFileReader(io.BytesIO(data)).embedded_signatures)


def _published_audit(issue: GazetteIssue) -> AuditRecord:
    return AuditRecord.objects.get(action="gazette.issue_published", object_id=str(issue.pk))


def test_with_a_seal_the_issue_is_published_signed_by_the_government_office(
    client, draft_issue, gazette_editor, second_editor, office_seal, government_office
):
    issue = publish(draft_issue, gazette_editor, second_editor)

    stored = _stored(issue)
    assert issue.pdf_size == len(stored)
    assert issue.pdf_sha256 == hashlib.sha256(stored).hexdigest()
    report = verify_pdf(stored)
    assert report.verdict == Verdict.VALID, report
    (signature,) = report.signatures
    assert signature.signer_organization == government_office.name_vi
    assert signature.signer_name == government_office.name_vi
    # B-LT by default: time-stamped, with the revocation data in the file.
    assert signature.timestamp is not None
    assert signature.revocation == "good"
    audit = _published_audit(issue)
    assert audit.changes["signed"] is True
    assert audit.changes["signed_by"] == government_office.code
    assert audit.changes["pdf_sha256"] == issue.pdf_sha256
    used = AuditRecord.objects.filter(action="signatures.sign").latest("id")
    assert used.changes["sha256"] == issue.pdf_sha256
    assert used.changes["certificate"] == office_seal.fingerprint

    # Chị Lan downloads exactly the signed file, and the page tells her it is signed.
    download = client.get(issue.get_pdf_url(), {"tai-ve": "1"})
    assert b"".join(download.streaming_content) == stored
    page = client.get(issue.get_absolute_url()).content.decode()
    assert "Đã được Văn phòng Chính phủ ký điện tử" in page
    assert f'href="{reverse("signatures:verify")}"' in page


def test_the_seal_is_drawn_top_right_of_the_cover(
    draft_issue, gazette_editor, second_editor, office_seal
):
    issue = publish(draft_issue, gazette_editor, second_editor)
    reader = PdfFileReader(io.BytesIO(_stored(issue)))
    (signature,) = reader.embedded_signatures
    widget = signature.sig_field["/Kids"][0] if "/Kids" in signature.sig_field else None
    annotation = (widget or signature.sig_field).get_object()
    x1, y1, x2, y2 = (float(value) for value in annotation["/Rect"])
    page = reader.root["/Pages"]["/Kids"][0].get_object()
    assert annotation["/P"].get_object() == page
    box = page["/MediaBox"]
    width, height = float(box[2]), float(box[3])
    assert x1 > width / 2 and y2 > height * 0.85 and x2 <= width and y1 < y2


def test_with_signing_off_the_issue_is_published_unsigned(
    client, draft_issue, gazette_editor, second_editor, office_seal
):
    setting = PublicationSigningSettings.load()
    setting.gazette_issue_sign = False
    setting.save()

    issue = publish(draft_issue, gazette_editor, second_editor)

    assert issue.is_published
    assert _signature_count(_stored(issue)) == 0
    assert _published_audit(issue).changes["signed"] is False
    assert not AuditRecord.objects.filter(action="signatures.sign").exists()
    record = PublicationSignature.objects.get(sha256=issue.pdf_sha256)
    assert record.outcome == SealOutcome.OFF
    assert "ký điện tử —" not in client.get(issue.get_absolute_url()).content.decode()


def test_without_a_seal_the_issue_is_still_published_unsigned(
    draft_issue, gazette_editor, second_editor, authority, caplog
):
    with caplog.at_level(logging.INFO, logger="vgp.signatures.publishing"):
        issue = publish(draft_issue, gazette_editor, second_editor)

    assert issue.is_published
    assert _signature_count(_stored(issue)) == 0
    assert PublicationSignature.objects.get(sha256=issue.pdf_sha256).outcome == (
        SealOutcome.NO_SEAL
    )
    (message,) = [r for r in caplog.records if r.name == "vgp.signatures.publishing"]
    assert message.levelno == logging.INFO
    assert "no usable seal" in message.getMessage()


def test_a_failing_signature_does_not_stop_the_publication(
    draft_issue, gazette_editor, second_editor, office_seal, monkeypatch, caplog
):
    def broken(*args, **kwargs):
        raise RuntimeError("the hardware token was unplugged")

    monkeypatch.setattr(signing, "sign_pdf", broken)
    with caplog.at_level(logging.INFO, logger="vgp.signatures.publishing"):
        issue = publish(draft_issue, gazette_editor, second_editor)

    assert issue.is_published
    stored = _stored(issue)
    assert _signature_count(stored) == 0
    assert issue.pdf_sha256 == hashlib.sha256(stored).hexdigest()
    assert _published_audit(issue).changes["signed"] is False
    record = PublicationSignature.objects.get(sha256=issue.pdf_sha256)
    assert record.outcome == SealOutcome.FAILED
    assert "unplugged" in record.detail
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert errors and "published unsigned" in errors[0].getMessage()


def test_the_publisher_can_be_another_agency(
    settings,
    draft_issue,
    gazette_editor,
    second_editor,
    authority,
    it_admin,
    ministry_of_finance,
    office_seal,
):
    """An installation whose gazette another agency publishes names it by its code."""
    signature_actions.issue_certificate(
        it_admin, kind=CertificateKind.SEAL, agency=ministry_of_finance
    )
    settings.GAZETTE_PUBLISHER_CODE = ministry_of_finance.code

    issue = publish(draft_issue, gazette_editor, second_editor)

    (signature,) = verify_pdf(_stored(issue)).signatures
    assert signature.signer_organization == ministry_of_finance.name_vi


def test_the_inspect_view_says_whether_the_issue_is_signed(
    client, draft_issue, gazette_editor, second_editor, authority
):
    issue = publish(draft_issue, gazette_editor, second_editor)
    client.force_login(second_editor)
    page = client.get(reverse("gazette_issues:inspect", args=[issue.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Chữ ký điện tử" in text
    assert "cơ quan không có chứng thư số của cơ quan, tổ chức còn sử dụng được" in text


# --- The setting -------------------------------------------------------------------------------


def test_defaults_sign_issues_at_b_lt_and_replies_at_b_t():
    setting = PublicationSigningSettings.load()
    assert setting.rule_for("gazette_issue") == (True, "B-LT")
    assert setting.rule_for("feedback_reply") == (True, "B-T")


def test_only_who_holds_the_settings_permission_edits_it(client, it_admin, gazette_editor):
    setting = PublicationSigningSettings.load()
    url = reverse(
        "wagtailsettings:edit",
        args=["signatures", "publicationsigningsettings", setting.pk],
    )
    client.force_login(gazette_editor)
    assert client.get(url).status_code in (302, 403)

    it_admin.user_permissions.add(
        Permission.objects.get(
            content_type__app_label="signatures", codename="change_publicationsigningsettings"
        )
    )
    client.force_login(it_admin)
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "gazette_issue_sign": "on",
            "gazette_issue_level": "B-T",
            "feedback_reply_level": "B-B",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    setting.refresh_from_db()
    assert setting.rule_for("gazette_issue") == (True, "B-T")
    assert setting.rule_for("feedback_reply") == (False, "B-B")
    # Wagtail's log of the edit is copied into the audit chain.
    assert AuditRecord.objects.filter(action="wagtail.edit", actor_id=it_admin.pk).exists()
