"""The citizen's pages: the form, the page after it, tracking, and the published answers.

Personas: ông Trần Văn Dũng (the citizen of ``testing.submission``) writes from his phone;
chị Hạnh (``receptionist``) routes, and at the Ministry of Finance anh Tùng (``mof_clerk``)
accepts, chị Thảo (``mof_unit_head``) assigns, anh Minh (``mof_handler``) handles and ông Quang
(``mof_leader``) approves the reply.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import re
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone, translation

from vgp.feedback import actions, forms, proof_of_work, rate_limits
from vgp.feedback.models import Event, FeedbackItem, Kind, Sector, Status
from vgp.feedback.testing import province, submission, submit
from vgp.portal.demo import ensure_home_pages

pytestmark = pytest.mark.django_db

SUBMIT_URL = "/phan-anh-kien-nghi/gui/"
TRACK_URL = "/phan-anh-kien-nghi/tra-cuu/"
ANSWERED_URL = "/phan-anh-kien-nghi/da-tra-loi/"

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
# The first bytes of a Windows program.
EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64


@pytest.fixture(autouse=True)
def home_pages(db):
    return ensure_home_pages()


@pytest.fixture
def land():
    return Sector.objects.get(slug="dat-dai")


@pytest.fixture
def hanoi():
    return province()


def form_data(**overrides: Any) -> dict[str, Any]:
    """What ông Dũng types into the form for his petition (every field he needs)."""
    data: dict[str, Any] = {
        "kind": Kind.PETITION,
        "name": "Trần Văn Dũng",
        "email": "dung.tran@example.vn",
        "phone": "0912 345 678",
        "address": "Số 12 phố Hàng Bông, quận Hoàn Kiếm",
        "province": province().pk,
        "id_number": "",
        "title": "Đề nghị rút ngắn thời gian cấp giấy chứng nhận",
        "content": "Đề nghị rút ngắn thời gian cấp giấy chứng nhận quyền sử dụng đất xuống 10 ngày.",
        "sector": Sector.objects.get(slug="dat-dai").pk,
        "concerned_agency": "",
        "consent_to_publish": "on",
        "website": "",
        "form_token": str(uuid.uuid4()),
    }
    data.update(overrides)
    return data


def in_vietnamese(message: Any) -> str:
    """``message`` (an English source string or a lazy one) as the Vietnamese page says it."""
    with translation.override("vi"):
        return translation.gettext(message) if isinstance(message, str) else str(message)


def solved_payload() -> str:
    """What the ALTCHA widget posts once it has found the secret number."""
    challenge = proof_of_work.create_challenge(max_number=200)
    number = next(
        n
        for n in range(201)
        if hashlib.sha256(f"{challenge['salt']}{n}".encode()).hexdigest() == challenge["challenge"]
    )
    payload = {key: challenge[key] for key in ("algorithm", "challenge", "salt", "signature")}
    payload["number"] = number
    return base64.b64encode(json.dumps(payload).encode()).decode()


@pytest.fixture
def answer_walk(
    receptionist, mof_clerk, mof_unit_head, mof_handler, mof_leader, ministry_of_finance
) -> Callable[..., FeedbackItem]:
    """Walk an item through the Ministry of Finance to a reply (published if consented)."""

    def walk(item: FeedbackItem, reply: str = "", **approve: Any) -> FeedbackItem:
        item = actions.route(receptionist, item, ministry_of_finance)
        item = actions.accept(mof_clerk, item)
        item = actions.assign(mof_unit_head, item, mof_handler)
        item = actions.draft_reply(
            mof_handler,
            item,
            text=reply
            or (
                "Bộ Tài chính trả lời ông Trần Văn Dũng (0912 345 678, dung.tran@example.vn): "
                "hồ sơ cấp giấy chứng nhận quyền sử dụng đất đã được giải quyết."
            ),
        )
        return actions.approve_reply(mof_leader, item, **approve)

    return walk


def look_up(client: Client, code: str, contact: str) -> Any:
    return client.post(TRACK_URL, {"action": "lookup", "code": code, "contact": contact})


# --- home ---------------------------------------------------------------------------------------


def test_home_explains_the_four_kinds_and_links_every_door(client):
    # when a citizen opens the section
    response = client.get("/phan-anh-kien-nghi/")

    # then each kind is explained, the denouncer's protection is said, and every page is linked
    assert response.status_code == 200
    html = response.content.decode()
    for hint in forms.KIND_HINTS.values():
        assert in_vietnamese(hint) in html
    assert f'href="{SUBMIT_URL}?loai=denunciation"' in html
    for name in ("feedback:submit", "feedback:track", "feedback:answered", "feedback:statistics"):
        assert f'href="{reverse(name)}"' in html
    # and the portal's menu leads here
    assert 'href="/phan-anh-kien-nghi/" aria-current="page"' in html


# --- the form -----------------------------------------------------------------------------------


def test_the_form_shows_every_field_with_labels_and_the_limits(client):
    # when ông Dũng opens the form
    response = client.get(SUBMIT_URL, {"loai": "complaint"})

    # then every field of a submission is there, labelled, with the file limits and a token
    html = response.content.decode()
    assert response.status_code == 200
    for name in (
        "name",
        "email",
        "phone",
        "address",
        "province",
        "id_number",
        "title",
        "content",
        "sector",
        "concerned_agency",
        "attachments",
        "consent_to_publish",
        "website",
    ):
        assert f'for="id_{name}"' in html, name
    assert 'enctype="multipart/form-data"' in html
    assert re.search(r'<input type="file" name="attachments"[^>]*multiple', html)
    assert "PDF, JPG, PNG" in html and "10 MB" in html
    assert re.search(r'name="form_token" value="[0-9a-f-]{36}"', html)
    # the kind chosen on the home page is ticked, and each kind is described to screen readers
    assert re.search(
        r'value="complaint" id="id_kind_2" aria-describedby="id_kind_2_hint" checked', html
    )
    # the honeypot is out of the tab order, not autofilled, and its label says to leave it empty
    assert re.search(r'name="website"[^>]*tabindex="-1"', html)
    assert re.search(r'name="website"[^>]*autocomplete="off"', html)
    assert "<altcha-widget" in html


def test_a_complete_submission_creates_one_item_and_shows_its_code(client, land, hanoi):
    # given a complete form with a PDF
    data = form_data(attachments=SimpleUploadedFile("don.pdf", PDF, "application/pdf"))

    # when ông Dũng sends it
    response = client.post(SUBMIT_URL, data)

    # then one item exists, and he is sent (303) to the page with its code
    item = FeedbackItem.objects.get()
    assert response.status_code == 303
    assert response["Location"] == reverse("feedback:submitted", args=[item.code])
    assert item.kind == Kind.PETITION and item.province == hanoi and item.sector == land
    assert item.consent_to_publish and item.channel == "web"
    assert [a.original_name for a in item.attachments.all()] == ["don.pdf"]

    page = client.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    assert item.code in html
    assert item.routing_due.strftime("%d/%m/%Y") in html
    assert "dung.tran@example.vn" in html  # "an email is on its way to …"
    from vgp.feedback import notifications

    assert notifications.sms_text(item) in html


def test_errors_are_shown_per_field_in_vietnamese_and_nothing_typed_is_lost(client):
    # given a form with no name, a short content and a malformed identity number
    data = form_data(name="", content="Quá ngắn", id_number="12345", title="Tiêu đề giữ nguyên")

    # when it is sent to the Vietnamese site
    response = client.post(SUBMIT_URL, data, HTTP_ACCEPT_LANGUAGE="vi")

    # then nothing is created; each error is by its field, in Vietnamese, in the summary too
    assert not FeedbackItem.objects.exists()
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="vi">' in html
    for field, message in (
        ("name", forms.NAME_REQUIRED),
        ("content", forms.CONTENT_TOO_SHORT),
        ("id_number", forms.ID_NUMBER_INVALID),
    ):
        assert re.search(
            rf'id="id_{field}_error"><p><span class="visually-hidden">[^<]+</span> '
            + re.escape(in_vietnamese(message)),
            html,
        ), field
        assert f'<a href="#id_{field}">{in_vietnamese(message)}</a>' in html
        assert re.search(rf'aria-describedby="[^"]*id_{field}_error"', html)
    # and what he typed is still there
    assert 'value="Tiêu đề giữ nguyên"' in html
    assert 'value="dung.tran@example.vn"' in html
    assert "Quá ngắn</textarea>" in html
    assert re.search(r'value="petition" id="id_kind_1" [^>]*checked', html)
    assert f'value="{data["form_token"]}"' in html


def test_the_english_site_shows_errors_in_english(client):
    response = client.post("/en" + SUBMIT_URL, form_data(name=""))

    assert response.status_code == 200
    assert "Enter your full name." in response.content.decode()


def test_an_email_or_a_telephone_is_needed(client):
    # when neither is given
    response = client.post(SUBMIT_URL, form_data(email="", phone=""))

    # then the form says so on the email field, and nothing is created
    assert response.status_code == 200
    assert not FeedbackItem.objects.exists()
    assert f'<a href="#id_email">{in_vietnamese(forms.CONTACT_REQUIRED)}</a>' in (
        response.content.decode()
    )


def test_a_telephone_alone_is_enough(client):
    response = client.post(SUBMIT_URL, form_data(email="", phone="+84 912 345 678"))

    assert response.status_code == 303
    assert FeedbackItem.objects.get().contact_phone == "0912345678"


def test_a_filled_honeypot_creates_nothing_and_says_only_that_the_form_failed(client):
    # when a robot fills every box, the hidden one too
    response = client.post(SUBMIT_URL, form_data(website="http://spam.example"))

    # then nothing is created; the form comes back, its values kept, the hidden box emptied
    assert not FeedbackItem.objects.exists()
    assert response.status_code == 400
    html = response.content.decode()
    assert "http://spam.example" not in html
    assert 'value="Trần Văn Dũng"' in html
    assert "error-summary" in html


def test_the_same_form_sent_twice_creates_one_item(client):
    # given one form (one token), sent twice: a double click
    data = form_data()
    first = client.post(SUBMIT_URL, data)
    second = client.post(SUBMIT_URL, data)

    # then one item, and both answers lead to its page
    item = FeedbackItem.objects.get()
    assert first.status_code == second.status_code == 303
    assert (
        first["Location"] == second["Location"] == reverse("feedback:submitted", args=[item.code])
    )


def test_a_double_click_from_another_session_gets_the_same_item_too(client):
    # given the same form posted from a browser that lost its session cookie in between
    data = form_data()
    client.post(SUBMIT_URL, data)
    again = Client().post(SUBMIT_URL, data)

    assert again.status_code == 303
    assert FeedbackItem.objects.count() == 1


def test_the_same_form_changed_and_sent_again_is_not_merged_into_the_first(client):
    # given a form sent, then (back button) changed and sent again with the same token
    data = form_data()
    client.post(SUBMIT_URL, data)
    code = FeedbackItem.objects.get().code
    response = client.post(SUBMIT_URL, {**data, "title": "Một đề nghị khác hẳn"})

    # then the second is not lost silently: the form comes back with a new token and the code
    assert response.status_code == 200
    html = response.content.decode()
    assert code in html
    assert 'value="Một đề nghị khác hẳn"' in html
    assert f'value="{data["form_token"]}"' not in html
    assert FeedbackItem.objects.count() == 1


def test_an_executable_renamed_pdf_is_refused_on_the_file_field(client):
    # given a program named like a PDF
    virus = SimpleUploadedFile("don-khieu-nai.pdf", EXECUTABLE, "application/pdf")

    # when it is attached
    response = client.post(SUBMIT_URL, form_data(attachments=virus))

    # then it is refused by its content, on the file field, and the citizen is told to choose
    # the files again
    assert response.status_code == 200
    assert not FeedbackItem.objects.exists()
    html = response.content.decode()
    assert 'id="id_attachments_error"' in html
    assert "don-khieu-nai.pdf" in html
    assert 'href="#id_attachments"' in html
    assert re.search(
        r'name="attachments"[^>]*aria-describedby="id_attachments_helptext id_attachments_error"',
        html,
    )


def test_an_action_refusal_lands_on_its_field(client, monkeypatch):
    # given the action refuses something the form let through
    def refuse(*args, **kwargs):
        raise actions.ValidationError({"phone": "Số điện thoại không dùng được."})

    monkeypatch.setattr(actions, "submit", refuse)

    response = client.post(SUBMIT_URL, form_data())

    assert response.status_code == 200
    assert '<a href="#id_phone">Số điện thoại không dùng được.</a>' in response.content.decode()


@override_settings(FEEDBACK_RATE_LIMITS={"ip_no_script": (1, 3600)})
def test_past_the_rate_limit_the_form_answers_429_and_says_when_to_retry(client):
    # given one submission without JavaScript already sent from this address this hour
    assert client.post(SUBMIT_URL, form_data()).status_code == 303

    # when another comes (other contacts, another form)
    response = client.post(
        SUBMIT_URL, form_data(email="lan.tran@example.vn", phone="0987 654 321", title="Khác")
    )

    # then 429, nothing more created, the form kept, and when to try again
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert FeedbackItem.objects.count() == 1
    html = response.content.decode()
    assert 'value="lan.tran@example.vn"' in html
    retry_at = timezone.localtime(
        timezone.now() + dt.timedelta(seconds=int(response["Retry-After"]))
    )
    assert retry_at.strftime("%d/%m/%Y") in html


@override_settings(FEEDBACK_MAX_IN_FLIGHT=1)
def test_when_the_server_is_busy_the_form_answers_429_and_keeps_the_values(client):
    # given another submission being handled in this process (the only slot)
    with rate_limits.admission("feedback-submit"):
        # when ông Dũng sends his form
        response = client.post(SUBMIT_URL, form_data())

    # then nothing is created, he is asked to send it again in a moment, his values kept
    assert response.status_code == 429
    assert response["Retry-After"] == "1"
    assert not FeedbackItem.objects.exists()
    assert 'value="Trần Văn Dũng"' in response.content.decode()


@override_settings(FEEDBACK_RATE_LIMITS={"contact": (1, 86400)})
def test_the_same_contact_is_limited_whatever_the_address(client):
    assert client.post(SUBMIT_URL, form_data()).status_code == 303
    again = Client(REMOTE_ADDR="203.0.113.9").post(SUBMIT_URL, form_data(phone=""))

    assert again.status_code == 429


@override_settings(FEEDBACK_POW_REQUIRED=True)
def test_when_the_proof_of_work_is_required_a_form_without_it_is_refused(client):
    # when the form comes without a solution (no JavaScript, or a robot)
    response = client.post(SUBMIT_URL, form_data())

    # then nothing is created and the check says what to do, linked from the summary
    assert response.status_code == 200
    assert not FeedbackItem.objects.exists()
    html = response.content.decode()
    assert 'href="#feedback-proof"' in html
    assert 'id="feedback-proof-error"' in html

    # and a forged solution does no better
    forged = client.post(SUBMIT_URL, form_data(altcha="eyJmb28iOiAxfQ=="))
    assert forged.status_code == 200 and not FeedbackItem.objects.exists()


@override_settings(FEEDBACK_POW_REQUIRED=True)
def test_with_a_solved_challenge_the_form_is_accepted_and_a_double_click_too(client):
    # given a solved challenge, the form posted twice (the second carries the spent solution)
    data = form_data(altcha=solved_payload())
    first = client.post(SUBMIT_URL, data)
    second = Client().post(SUBMIT_URL, data)

    assert first.status_code == 303 and second.status_code == 303
    assert FeedbackItem.objects.count() == 1


# --- the page after sending ---------------------------------------------------------------------


def test_the_page_after_sending_is_only_for_the_session_that_sent(client):
    # given ông Dũng's submission
    client.post(SUBMIT_URL, form_data())
    item = FeedbackItem.objects.get()
    url = reverse("feedback:submitted", args=[item.code])

    # when someone else opens its address
    stranger = Client().get(url)

    # then they are sent to the tracking page, and see nothing of it
    assert stranger.status_code == 303
    assert stranger["Location"].startswith(TRACK_URL)
    assert client.get(url).status_code == 200


def test_an_item_submitted_elsewhere_has_no_page_after_sending(client):
    # given an item sent by another agency's system, with its own idempotency key
    item, _created = actions.submit(submission(), channel="api", idempotency_key="k-1")

    response = client.get(reverse("feedback:submitted", args=[item.code]))

    assert response.status_code == 303


# --- tracking -----------------------------------------------------------------------------------


def test_a_wrong_contact_and_an_unknown_code_get_the_same_404(client):
    item = submit()

    wrong_contact = look_up(client, item.code, "someone.else@example.vn")
    unknown_code = look_up(client, "ZZZZ-ZZZZ-ZZZZ", "dung.tran@example.vn")

    assert wrong_contact.status_code == unknown_code.status_code == 404
    message = in_vietnamese(
        "No submission matches this tracking code with this email address or telephone "
        "number. Check both and try again."
    )
    for response in (wrong_contact, unknown_code):
        html = response.content.decode()
        assert message in html
        assert item.title not in html
    # the form is shown again, with what was typed
    assert 'value="someone.else@example.vn"' in wrong_contact.content.decode()


def test_the_code_in_small_letters_without_dashes_and_the_phone_in_84_form_work(client):
    # given ông Dũng's complaint (phone 0912 345 678)
    item = submit()

    # when he types the code his own way and his phone with the country code
    response = look_up(client, item.code.replace("-", "").lower(), "+84 912 345 678")

    # then he sees his item
    assert response.status_code == 303
    page = client.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    assert item.title in html
    assert in_vietnamese(Status.RECEIVED.label) in html
    assert item.routing_due.strftime("%d/%m/%Y") in html
    # a link sent by email (?code=) now opens it directly in this session, nowhere else
    assert Client().get(TRACK_URL, {"code": item.code}).content.decode().count(item.title) == 0


def test_the_tracking_page_shows_the_steps_but_never_internal_notes_nor_handlers(
    client, receptionist, mof_clerk, mof_unit_head, mof_handler, ministry_of_finance
):
    # given an item routed, accepted and assigned, with internal notes along the way
    item = submit(files=[SimpleUploadedFile("ban-sao.pdf", PDF, "application/pdf")])
    actions.add_note(receptionist, item, text="Ghi chú nội bộ: người này đã gửi nhiều lần")
    item = actions.route(receptionist, item, ministry_of_finance, note="Chuyển theo quy tắc")
    item = actions.accept(mof_clerk, item)
    item = actions.assign(mof_unit_head, item, mof_handler)
    actions.add_note(mof_handler, item, text="Cần hỏi ý kiến Vụ Pháp chế")

    # when ông Dũng looks it up
    look_up(client, item.code, "dung.tran@example.vn")
    html = client.get(TRACK_URL, {"code": item.code}).content.decode()

    # then he sees the agency handling it, its deadline and his file, never notes or names
    assert "Bộ Tài chính" in html
    assert item.answer_due.strftime("%d/%m/%Y") in html
    assert "ban-sao.pdf" in html
    assert "Ghi chú nội bộ" not in html and "Vụ Pháp chế" not in html
    assert "Chuyển theo quy tắc" not in html
    for official in (receptionist, mof_clerk, mof_unit_head, mof_handler):
        assert official.get_full_name() not in html
        assert official.username not in html


def test_a_return_names_the_competent_agency(
    client, receptionist, mof_clerk, ministry_of_finance, other_ministry
):
    item = submit()
    item = actions.route(receptionist, item, ministry_of_finance)
    actions.return_to_reception(
        mof_clerk, item, competent_agency=other_ministry, reason="Thuộc lĩnh vực y tế"
    )

    look_up(client, item.code, "dung.tran@example.vn")
    html = client.get(TRACK_URL, {"code": item.code}).content.decode()

    assert "Bộ Y tế" in html and "Thuộc lĩnh vực y tế" in html


def test_a_rejection_shows_its_reason(client, receptionist):
    item = submit()
    actions.reject(receptionist, item, reason="Nội dung không thuộc thẩm quyền giải quyết")

    look_up(client, item.code, "0912345678")
    html = client.get(TRACK_URL, {"code": item.code}).content.decode()

    assert "Nội dung không thuộc thẩm quyền giải quyết" in html


def test_answering_a_request_for_information_moves_the_item_back(
    client, receptionist, mof_clerk, mof_handler, ministry_of_finance
):
    # given the Ministry asked ông Dũng for a copy of his application
    item = submit()
    item = actions.route(receptionist, item, ministry_of_finance)
    item = actions.accept(mof_clerk, item)
    actions.request_information(mof_handler, item, question="Xin gửi bản sao biên nhận hồ sơ.")

    # when he looks it up, he sees the question, that the deadline is paused, and a form
    look_up(client, item.code, "dung.tran@example.vn")
    html = client.get(TRACK_URL, {"code": item.code}).content.decode()
    assert "Xin gửi bản sao biên nhận hồ sơ." in html
    assert in_vietnamese("Paused while we wait for your information") in html
    assert 'name="action" value="answer"' in html

    # and answers with a file, without giving his contact again
    response = client.post(
        TRACK_URL,
        {
            "action": "answer",
            "code": item.code,
            "answer": "Tôi gửi kèm bản sao biên nhận.",
            "attachments": SimpleUploadedFile("bien-nhan.pdf", PDF, "application/pdf"),
        },
    )

    # then the item is back with the agency, and the answer is in his timeline
    assert response.status_code == 303
    item.refresh_from_db()
    assert item.status == Status.ACCEPTED
    page = client.get(response["Location"]).content.decode()
    assert "Tôi gửi kèm bản sao biên nhận." in page
    assert in_vietnamese("You sent the information asked for") in page
    assert "bien-nhan.pdf" in page
    assert 'name="action" value="answer"' not in page


def test_an_empty_answer_is_refused_on_its_field(
    client, receptionist, mof_clerk, mof_handler, ministry_of_finance
):
    item = submit()
    item = actions.route(receptionist, item, ministry_of_finance)
    item = actions.accept(mof_clerk, item)
    actions.request_information(mof_handler, item, question="Xin gửi bản sao.")
    look_up(client, item.code, "dung.tran@example.vn")

    response = client.post(TRACK_URL, {"action": "answer", "code": item.code, "answer": "  "})

    assert response.status_code == 200
    assert 'href="#id_answer"' in response.content.decode()
    item.refresh_from_db()
    assert item.status == Status.AWAITING_CITIZEN


def test_an_answer_from_a_session_that_did_not_look_the_item_up_is_refused(
    client, receptionist, mof_clerk, mof_handler, ministry_of_finance
):
    item = submit()
    item = actions.route(receptionist, item, ministry_of_finance)
    item = actions.accept(mof_clerk, item)
    actions.request_information(mof_handler, item, question="Xin gửi bản sao.")

    response = client.post(
        TRACK_URL, {"action": "answer", "code": item.code, "answer": "Tôi là người khác."}
    )

    assert response.status_code == 403
    item.refresh_from_db()
    assert item.status == Status.AWAITING_CITIZEN
    assert not item.information_requests.filter(answered_at__isnull=False).exists()


def test_the_reply_is_shown_once_answered(client, answer_walk):
    item = answer_walk(
        submit(), reply="Bộ Tài chính đã chỉ đạo giải quyết hồ sơ của ông trong tháng này."
    )

    look_up(client, item.code, "dung.tran@example.vn")
    html = client.get(TRACK_URL, {"code": item.code}).content.decode()

    assert "Bộ Tài chính đã chỉ đạo giải quyết hồ sơ của ông trong tháng này." in html
    assert in_vietnamese(Status.ANSWERED.label) in html


@override_settings(FEEDBACK_RATE_LIMITS={"tracking": (2, 3600)})
def test_tracking_is_rate_limited_per_address(client):
    item = submit()
    look_up(client, item.code, "a@example.vn")
    look_up(client, item.code, "b@example.vn")

    # when a third lookup comes within the hour, even with the right contact
    response = look_up(client, item.code, "dung.tran@example.vn")

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert item.title not in response.content.decode()


# --- the answered list --------------------------------------------------------------------------


def test_the_list_shows_published_answers_without_personal_data(client, answer_walk):
    # given ông Dũng's complaint answered and published with his consent
    item = answer_walk(submit())

    # when anyone opens the list and the answer
    listing = client.get(ANSWERED_URL).content.decode()
    detail = client.get(reverse("feedback:answered_detail", args=[item.pk])).content.decode()

    # then they see the public title, kind, field, agency and date, never his contact details
    assert item.public_title in listing
    assert "Bộ Tài chính" in listing and "Đất đai" in listing
    assert timezone.localtime(item.answered_at).strftime("%d/%m/%Y") in listing
    assert "đã được giải quyết" in detail
    for html in (listing, detail):
        for personal in (
            "dung.tran@example.vn",
            "0912 345 678",
            "0912345678",
            "Trần Văn Dũng",
            item.code,
        ):
            assert personal not in html


def test_unpublished_and_unconsented_items_are_not_listed(client, answer_walk):
    item = answer_walk(submit(consent_to_publish=False, title="Không đồng ý công bố"))

    assert "Không đồng ý công bố" not in client.get(ANSWERED_URL).content.decode()
    assert client.get(reverse("feedback:answered_detail", args=[item.pk])).status_code == 404
    assert client.get(reverse("feedback:answered_detail", args=[987654])).status_code == 404


def test_denunciations_are_never_listed_even_if_marked_published(client, answer_walk):
    # given a denunciation answered, then (by a mistake in the data) marked published
    item = answer_walk(submit(kind=Kind.DENUNCIATION, title="Tố cáo cán bộ địa chính"))
    FeedbackItem.objects.filter(pk=item.pk).update(
        published_at=timezone.now(),
        public_title="Tố cáo cán bộ địa chính",
        search_text="to cao can bo dia chinh",
    )

    # then neither the list, nor a search, nor its address shows it
    assert "Tố cáo cán bộ địa chính" not in client.get(ANSWERED_URL).content.decode()
    searched = client.get(ANSWERED_URL, {"q": "to cao"}).content.decode()
    assert "Tố cáo cán bộ địa chính" not in searched
    assert client.get(reverse("feedback:answered_detail", args=[item.pk])).status_code == 404
    # and the kind filter does not even offer it
    assert 'value="denunciation"' not in searched
    assert client.get(ANSWERED_URL, {"kind": "denunciation"}).status_code == 200


def test_search_without_diacritics_finds_the_answer(client, answer_walk):
    answer_walk(submit())
    answer_walk(
        submit(
            title="Hỏi về học phí năm học mới",
            content="Xin hỏi mức học phí năm học mới của trường công lập có tăng không ạ?",
            sector=Sector.objects.get(slug="giao-duc"),
        ),
        reply="Bộ Tài chính trả lời: mức học phí năm học mới giữ nguyên như năm trước.",
    )

    html = client.get(ANSWERED_URL, {"q": "chung nhan quyen su dung dat"}).content.decode()

    assert "Chậm cấp giấy chứng nhận quyền sử dụng đất" in html
    assert "Hỏi về học phí" not in html


def test_filters_by_sector_kind_agency_and_dates(client, answer_walk, ministry_of_finance):
    answer_walk(submit())
    education = Sector.objects.get(slug="giao-duc")
    answer_walk(submit(title="Hỏi về học phí năm học mới", kind=Kind.PETITION, sector=education))
    today = timezone.localdate()

    def titles(**params: Any) -> str:
        return client.get(ANSWERED_URL, params).content.decode()

    by_sector = titles(sector=education.pk)
    assert "Hỏi về học phí" in by_sector and "Chậm cấp giấy" not in by_sector
    by_kind = titles(kind=Kind.COMPLAINT)
    assert "Chậm cấp giấy" in by_kind and "Hỏi về học phí" not in by_kind
    by_agency = titles(agency=ministry_of_finance.pk)
    assert "Chậm cấp giấy" in by_agency and "Hỏi về học phí" in by_agency
    yesterday = (today - dt.timedelta(days=1)).isoformat()
    tomorrow = (today + dt.timedelta(days=1)).isoformat()
    assert "Chậm cấp giấy" in titles(date_from=yesterday, date_to=today.strftime("%d/%m/%Y"))
    assert "Chậm cấp giấy" not in titles(date_from=tomorrow)


def test_an_unreadable_filter_is_a_field_error_not_a_crash(client, answer_walk):
    answer_walk(submit())

    response = client.get(ANSWERED_URL, {"date_from": "31/02/2025", "sector": "abc", "q": "dat"})

    # then 200, the errors on their fields, and the rest of the search still done
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<a href="#id_date_from">{in_vietnamese(forms.DATE_INVALID)}</a>' in html
    assert 'href="#id_sector"' in html
    assert "Chậm cấp giấy" in html
    assert client.get(ANSWERED_URL, {"page": "99"}).status_code == 404


def test_the_list_is_paged_by_twenty_with_few_queries(
    client, answer_walk, django_assert_max_num_queries
):
    # given 21 published answers
    for number in range(21):
        answer_walk(submit(title=f"Câu hỏi số {number} về đất đai"))
    client.get(ANSWERED_URL)  # the menu is resolved once, then cached

    # when the first page is read, the number of queries does not grow with the list
    with django_assert_max_num_queries(6):
        first = client.get(ANSWERED_URL, {"sector": Sector.objects.get(slug="dat-dai").pk})

    html = first.content.decode()
    assert html.count('class="item-list__entry"') == 20
    assert 'rel="next"' in html
    second = client.get(ANSWERED_URL, {"page": 2}).content.decode()
    assert second.count('class="item-list__entry"') == 1


def test_no_event_data_reaches_the_public_list(client, answer_walk):
    # given an answered item with an internal note
    item = answer_walk(submit())
    Event.objects.create(item=item, kind="note", at=timezone.now(), message="NOTE-SECRET")

    html = client.get(reverse("feedback:answered_detail", args=[item.pk])).content.decode()

    assert "NOTE-SECRET" not in html
