"""The reply letter (PDF) sent with each reply, sealed by the handling agency (issue 7, point 5).

Personas: ông Trần Văn Dũng (``testing.submission``) follows his complaint on the tracking page
and through a citizens' app (the API); the Ministry of Finance's desk (conftest) answers it and
ông Quang (``mof_leader``) sends the reply; chị Hà (``it_admin``) runs the certification
authority and issued the Ministry's seal; chị Mai, another citizen, tracks her own submission
and must not reach ông Dũng's letter.
"""

from __future__ import annotations

import hashlib
import io
import logging
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.storage import storages
from django.test import Client
from pyhanko.pdf_utils.reader import PdfFileReader
from pypdf import PdfReader

from vgp.audit.models import AuditRecord
from vgp.feedback import actions, reply_letter
from vgp.feedback.models import EventKind, FeedbackItem, Kind, Status
from vgp.feedback.testing import submit
from vgp.portal.demo import ensure_home_pages
from vgp.signatures import actions as signature_actions
from vgp.signatures import signing
from vgp.signatures.models import CertificateKind, PublicationSigningSettings
from vgp.signatures.verification import Verdict, verify_pdf

pytestmark = pytest.mark.django_db

TRACK_URL = "/phan-anh-kien-nghi/tra-cuu/"
API_URL = "/api/v1/feedback"
REPLY = (
    "Bộ Tài chính đã kiểm tra hồ sơ của ông. Văn phòng đăng ký đất đai đã cấp giấy chứng nhận "
    "quyền sử dụng đất ngày 12/3; ông liên hệ bộ phận một cửa để nhận kết quả."
)


@pytest.fixture(autouse=True)
def home_pages(db):
    return ensure_home_pages()


@pytest.fixture
def authority(it_admin, government_office):
    signing.forget_cached()
    return signature_actions.create_authority(
        it_admin, agency=government_office, root_name="VPCP Root CA", issuing_name="VPCP CA"
    )


@pytest.fixture
def ministry_seal(authority, it_admin, ministry_of_finance):
    """The Ministry of Finance's seal: its reply letters are sealed with it."""
    return signature_actions.issue_certificate(
        it_admin, kind=CertificateKind.SEAL, agency=ministry_of_finance
    )


@pytest.fixture
def answer(
    receptionist, mof_clerk, mof_unit_head, mof_handler, mof_leader, ministry_of_finance
) -> Callable[..., FeedbackItem]:
    """Walk an item through the Ministry of Finance's desk; ông Quang sends the reply."""

    def walk(item: FeedbackItem, **approve: Any) -> FeedbackItem:
        item = actions.route(receptionist, item, ministry_of_finance)
        item = actions.accept(mof_clerk, item)
        item = actions.assign(mof_unit_head, item, mof_handler)
        item = actions.draft_reply(mof_handler, item, text=REPLY)
        return actions.approve_reply(mof_leader, item, **approve)

    return walk


def stored_letter(item: FeedbackItem) -> bytes:
    with reply_letter.open_stored(item.reply_letter) as handle:
        return handle.read()


def text_of(pdf: bytes) -> str:
    """The letter's words, whatever the lines they were wrapped into."""
    return " ".join(
        " ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages
    )


def signatures_in(pdf: bytes) -> int:
    return len(PdfFileReader(io.BytesIO(pdf)).embedded_signatures)


def look_up(client: Client, item: FeedbackItem, contact: str = "dung.tran@example.vn") -> None:
    response = client.post(TRACK_URL, {"action": "lookup", "code": item.code, "contact": contact})
    assert response.status_code == 303


def letter_url(item: FeedbackItem) -> str:
    return f"{TRACK_URL}{item.code}/thu-tra-loi.pdf"


# --- Making the letter ------------------------------------------------------------------------


def test_the_reply_sent_comes_with_a_letter_sealed_by_the_ministry(
    answer, ministry_seal, ministry_of_finance
):
    # when ông Quang sends the reply to ông Dũng's complaint
    item = answer(submit())

    # then the letter is stored, sealed by the Ministry at B-T, and says what was answered
    assert item.reply_letter and item.reply_letter_signed
    pdf = stored_letter(item)
    assert item.reply_letter_sha256 == hashlib.sha256(pdf).hexdigest()
    report = verify_pdf(pdf)
    assert report.verdict == Verdict.VALID, report
    (signature,) = report.signatures
    assert signature.signer_organization == ministry_of_finance.name_vi
    assert signature.timestamp is not None  # B-T by default
    text = text_of(pdf)
    assert item.code in text
    assert "BỘ TÀI CHÍNH" in text
    assert "Chậm cấp giấy chứng nhận quyền sử dụng đất" in text
    assert "Văn phòng đăng ký đất đai đã cấp giấy chứng nhận" in text
    # the signature, the answer and its audit say so
    sign = AuditRecord.objects.filter(action="signatures.sign").latest("id")
    assert sign.changes["sha256"] == item.reply_letter_sha256
    assert sign.changes["level"] == "B-T"
    approved = AuditRecord.objects.filter(action="feedback.approve_reply").latest("id")
    assert approved.changes["reply_letter_signed"] == [None, True]
    assert item.events.get(kind=EventKind.ANSWERED).data == {"letter": True, "signed": True}


def test_the_letter_quotes_the_question_as_published(answer, ministry_seal):
    # given a submission whose text names its author, published with his consent
    item = submit(content="Tôi là Trần Văn Dũng, số điện thoại 0912 345 678, đề nghị trả lời.")

    item = answer(item)

    # the letter quotes the published summary, with the telephone number blanked
    text = text_of(stored_letter(item))
    assert item.published_at is not None
    assert "số điện thoại […], đề nghị trả lời" in text
    assert "0912 345 678" not in text


def test_with_signing_off_the_letter_is_sent_unsigned(answer, ministry_seal):
    setting = PublicationSigningSettings.load()
    setting.feedback_reply_sign = False
    setting.save()

    item = answer(submit())

    assert item.reply_letter and not item.reply_letter_signed
    assert signatures_in(stored_letter(item)) == 0
    assert not AuditRecord.objects.filter(action="signatures.sign").exists()


def test_an_agency_without_a_seal_still_sends_its_letter(answer, authority):
    item = answer(submit())

    assert item.status == Status.ANSWERED
    assert item.reply_letter and not item.reply_letter_signed
    assert signatures_in(stored_letter(item)) == 0


def test_a_letter_that_cannot_be_made_does_not_hold_the_reply(answer, settings, tmp_path, caplog):
    # given a server without the letter's fonts
    settings.FEEDBACK_FONT_DIR = str(tmp_path / "no-fonts")

    with caplog.at_level(logging.ERROR, logger="vgp.feedback.actions"):
        item = answer(submit())

    # the reply is sent all the same, without a letter, and the failure is logged
    assert item.status == Status.ANSWERED
    assert item.reply_letter == ""
    assert any("No reply letter" in record.getMessage() for record in caplog.records)


def test_a_rolled_back_reply_leaves_no_letter_behind(
    receptionist,
    mof_clerk,
    mof_unit_head,
    mof_handler,
    mof_leader,
    ministry_of_finance,
    ministry_seal,
    monkeypatch,
):
    # given a reply awaiting approval
    item = actions.route(receptionist, submit(), ministry_of_finance)
    item = actions.accept(mof_clerk, item)
    item = actions.assign(mof_unit_head, item, mof_handler)
    item = actions.draft_reply(mof_handler, item, text=REPLY)
    # and a failure after its letter is stored (the audit trail is unavailable)
    names: list[str] = []
    store = reply_letter.store

    def spy(data: bytes, when: Any) -> str:
        names.append(store(data, when))
        return names[-1]

    def audit_down(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("audit trail unavailable")

    monkeypatch.setattr(reply_letter, "store", spy)
    monkeypatch.setattr(actions, "_audit", audit_down)

    with pytest.raises(RuntimeError):
        actions.approve_reply(mof_leader, item)

    # then nothing is sent and the stored letter is gone
    item.refresh_from_db()
    assert item.status == Status.IN_APPROVAL and item.reply_letter == ""
    assert names and not storages["private"].exists(names[0])


# --- The citizen downloads it ------------------------------------------------------------------


def test_the_citizen_downloads_the_letter_from_the_tracking_page(client, answer, ministry_seal):
    item = answer(submit())
    look_up(client, item)

    page = client.get(TRACK_URL, {"code": item.code}).content.decode()
    assert f'href="{letter_url(item)}"' in page
    assert "ký điện tử — " in page
    response = client.get(letter_url(item))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == stored_letter(item)


def test_nobody_else_gets_the_letter(client, answer, ministry_seal):
    item = answer(submit())

    # a visitor who has not looked the item up
    assert Client().get(letter_url(item)).status_code == 404
    # chị Mai, who looked up her own submission, and tries ông Dũng's code
    other = submit(name="Lê Thị Mai", email="mai.le@example.vn", phone="0987 654 321")
    mai = Client()
    look_up(mai, other, contact="mai.le@example.vn")
    assert mai.get(letter_url(item)).status_code == 404
    # a wrong contact does not open the session
    stranger = Client()
    stranger.post(TRACK_URL, {"action": "lookup", "code": item.code, "contact": "x@example.vn"})
    assert stranger.get(letter_url(item)).status_code == 404


def test_no_letter_before_the_reply(client):
    item = submit()
    look_up(client, item)

    assert "thu-tra-loi.pdf" not in client.get(TRACK_URL, {"code": item.code}).content.decode()
    assert client.get(letter_url(item)).status_code == 404


def test_a_denouncer_gets_the_letter_too(client, answer, ministry_seal):
    item = answer(submit(kind=Kind.DENUNCIATION, consent_to_publish=False))
    look_up(client, item)

    assert client.get(letter_url(item)).status_code == 200


# --- Through the API --------------------------------------------------------------------------


def test_the_api_links_the_letter_for_the_same_code_and_contact(client, answer, ministry_seal):
    item = answer(submit())

    tracked = client.get(f"{API_URL}/{item.code}", {"contact": "0912345678"}).json()

    assert tracked["reply_letter_signed"] is True
    url = tracked["reply_letter_url"]
    assert url.startswith("http://testserver/api/v1/feedback/") and "contact=0912345678" in url
    response = Client().get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == stored_letter(item)
    wrong = client.get(f"{API_URL}/{item.code}/reply-letter", {"contact": "x@example.vn"})
    assert wrong.status_code == 404


def test_the_api_has_no_letter_link_before_the_reply(client):
    item = submit()

    tracked = client.get(f"{API_URL}/{item.code}", {"contact": "dung.tran@example.vn"}).json()

    assert tracked["reply_letter_url"] is None and tracked["reply_letter_signed"] is False
    response = client.get(
        f"{API_URL}/{item.code}/reply-letter", {"contact": "dung.tran@example.vn"}
    )
    assert response.status_code == 404
