"""A citizen downloads the sealed reply letter on his phone, in a real browser (issue 7, point 5).

Ông Trần Văn Dũng (``vgp.feedback.testing``) complained to the portal that his land-use
certificate is late; the Government Office's reception desk sent it to the Ministry of Finance,
whose desk (chị Thảo, anh Minh) drafted the reply and ông Quang sent it, with its letter sealed
by the Ministry: chị Hà, IT administrator of the Government Office, runs the certification
authority and issued the Ministry's seal, and the portal's setting seals reply letters. The
staff's steps are the actions themselves (test_feedback_citizen.py's people and agencies).

On his 390 x 844 phone ông Dũng follows his complaint with its tracking code and his telephone
number, reads the reply, sees that the letter is signed electronically by the Ministry and
downloads it: a PDF whose one signature, the Ministry's, is valid. The page passes axe-core
(WCAG 2.1 AA) and is photographed to /tmp/feedback-reply-letter.png; the letter's first page
is rendered to /tmp/feedback-reply-letter-pdf-p1.png.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from vgp.accounts.roles import Role
from vgp.feedback import actions, reply_letter
from vgp.feedback.models import FeedbackItem, Status
from vgp.feedback.testing import submit
from vgp.signatures import actions as signature_actions
from vgp.signatures import signing
from vgp.signatures.models import CertificateKind, PublicationSigningSettings, SignatureLevel
from vgp.signatures.verification import Verdict
from vgp.testing.factories import UserFactory

from . import test_feedback_citizen
from .test_document_signing import off_the_loop, render, said, verified
from .test_feedback_citizen import SHOTS, Office, check, phone, settle

pytestmark = pytest.mark.browser

office = test_feedback_citizen.office  # the fixture: the people and agencies of the story

TRACK = "/phan-anh-kien-nghi/tra-cuu/"
CONTACT = "0912 345 678"  # the telephone number ông Dũng gave with his complaint
REPLY = (
    "Bộ Tài chính đã kiểm tra hồ sơ của ông. Văn phòng đăng ký đất đai đã cấp giấy chứng nhận "
    "quyền sử dụng đất ngày 12/3; ông liên hệ bộ phận một cửa để nhận kết quả."
)


@pytest.fixture
def ministry_seal(office: Office) -> Iterator[Any]:
    """Chị Hà's certification authority and the Ministry of Finance's seal; the portal seals
    reply letters (at B-T, the level the setting has by default)."""
    signing.forget_cached()
    government_office = office.receptionist.agency
    ha = UserFactory(
        username="ha",
        agency=government_office,
        position="Quản trị hệ thống",
        roles=[Role.IT_ADMIN],
    )
    signature_actions.create_authority(
        ha, agency=government_office, root_name="VPCP Root CA", issuing_name="VPCP CA"
    )
    seal = signature_actions.issue_certificate(
        ha, kind=CertificateKind.SEAL, agency=office.ministry
    )
    setting = PublicationSigningSettings.load()
    setting.feedback_reply_sign = True
    setting.feedback_reply_level = SignatureLevel.B_T
    setting.save()
    yield seal
    signing.forget_cached()


def answered(office: Office) -> FeedbackItem:
    """Ông Dũng's complaint, taken through the Ministry's desk; ông Quang sends the reply."""
    item = actions.route(office.receptionist, submit(), office.ministry)
    item = actions.accept(office.clerk, item)
    item = actions.assign(office.unit_head, item, office.handler)
    item = actions.draft_reply(office.handler, item, text=REPLY)
    return actions.approve_reply(office.leader, item)


def stored_letter(item: FeedbackItem) -> bytes:
    with reply_letter.open_stored(item.reply_letter) as handle:
        return handle.read()


def test_the_citizen_downloads_the_reply_letter_sealed_by_the_ministry(
    office: Office, ministry_seal: Any, open_page: Any
) -> None:
    # Given the Ministry's reply, sent with its letter (sealed off the browser's event loop)
    item = off_the_loop(answered, office)
    assert item.status == Status.ANSWERED and item.reply_letter and item.reply_letter_signed
    page = phone(open_page)

    # When ông Dũng follows his complaint with its code and his telephone number
    page.goto(f"{office.base_url}{TRACK}?code={item.code}")
    settle(page)
    assert page.input_value("#id_code") == item.code
    page.fill("#id_contact", CONTACT)
    page.locator("form.feedback-form button[type=submit]").click()
    settle(page)
    assert item.code in page.locator(".listing__kicker").inner_text()

    # Then he reads the reply, and the letter is offered, signed by the Ministry
    reply = page.locator("section.feedback-panel--reply")
    assert "Văn phòng đăng ký đất đai đã cấp giấy chứng nhận" in reply.inner_text()
    link = reply.get_by_role("link", name=said(page, "Download the reply letter (PDF)"), exact=True)
    assert link.count() == 1
    assert link.get_attribute("href") == f"{TRACK}{item.code}/thu-tra-loi.pdf"
    with translation.override(page.locator("html").get_attribute("lang") or "vi"):
        signed = gettext("Signed electronically by %(agency)s") % {
            "agency": str(office.ministry.name)
        }
    statement = reply.locator("p", has_text=signed)
    assert statement.count() == 1, reply.inner_text()
    check_link = statement.get_by_role("link", name=said(page, "check the signature"))
    assert check_link.get_attribute("href") == reverse("signatures:verify")
    check(page, "reply-letter")

    # When he taps it, the letter comes down as a PDF, the very one the Ministry sealed
    with page.expect_download() as event:
        link.click()
    download = event.value
    assert download.failure() is None
    assert re.fullmatch(rf"tra-loi-{item.code.lower()}\.pdf", download.suggested_filename)
    letter = Path(download.path()).read_bytes()
    assert letter.startswith(b"%PDF-")
    assert letter == stored_letter(item)

    # And its one signature, the Ministry's seal, is valid
    report = verified(letter)
    assert report.verdict == Verdict.VALID, report
    (signature,) = report.signatures
    assert signature.verdict == Verdict.VALID
    assert signature.signer_organization == office.ministry.name_vi
    assert signature.timestamp is not None  # B-T: a trusted time
    render(letter, str(SHOTS / "feedback-reply-letter-pdf"))  # for the developer's eyes
