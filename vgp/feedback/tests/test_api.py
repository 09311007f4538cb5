"""The feedback API as agency systems and citizens' apps use it.

Personas: the Hà Nội People's Committee's public-service portal hands in ông Trần Văn Dũng's
complaint with its API key (``hanoi_key``); the Ministry of Finance's portal has a key of its
own (``mof_key``). Portal reception (``receptionist``) routes items to the Ministry of Finance,
whose clerk, unit head, handler and leader (``mof_*``, see conftest) accept, assign, draft and
approve the reply. Ông Dũng follows his complaint with its tracking code and his contact.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import threading
from typing import get_args

import pytest
import time_machine
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections
from django.test import TestCase, override_settings

from vgp.accounts.actions import issue_api_key, revoke_api_key
from vgp.accounts.models import ApiKey
from vgp.feedback import actions, api, notifications, proof_of_work, rate_limits, testing
from vgp.feedback.models import Attachment, Channel, FeedbackItem, Kind, Sector, Status

pytestmark = pytest.mark.django_db

URL = "/api/v1/feedback"
PUBLISHED = f"{URL}/published"

REPLY = (
    "Bộ Tài chính trả lời ông Trần Văn Dũng (0912 345 678, dung.tran@example.vn): hồ sơ cấp "
    "giấy chứng nhận quyền sử dụng đất đã được giải quyết."
)


def make_pdf() -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )


@pytest.fixture
def hanoi(db):
    return testing.province()


@pytest.fixture
def hanoi_key(hanoi, ministry_of_finance) -> str:
    return issue_api_key(None, agency=hanoi, name="Cổng dịch vụ công Hà Nội")[1]


@pytest.fixture
def mof_key(ministry_of_finance) -> str:
    return issue_api_key(None, agency=ministry_of_finance, name="Cổng TTĐT Bộ Tài chính")[1]


def complaint(**changes) -> dict:
    data = {
        "kind": "complaint",
        "name": "Trần Văn Dũng",
        "email": "dung.tran@example.vn",
        "phone": "0912 345 678",
        "address": "Số 12 phố Hàng Bông, quận Hoàn Kiếm",
        "province": "000.00.00.H26",
        "id_number": "001080012345",
        "title": "Chậm cấp giấy chứng nhận quyền sử dụng đất",
        "content": (
            "Tôi nộp hồ sơ cấp giấy chứng nhận quyền sử dụng đất từ tháng 3 nhưng đến nay "
            "vẫn chưa nhận được kết quả, cán bộ tiếp nhận không trả lời lý do."
        ),
        "sector": "dat-dai",
        "concerned_agency": "000.00.00.G12",
        "consent_to_publish": True,
    }
    data.update(changes)
    return data


def headers(key: str | None, *, idempotency_key: str = "", language: str = "") -> dict:
    found = {}
    if key:
        found["HTTP_X_API_KEY"] = key
    if idempotency_key:
        found["HTTP_IDEMPOTENCY_KEY"] = idempotency_key
    if language:
        found["HTTP_ACCEPT_LANGUAGE"] = language
    return found


def post(client, key: str | None, data: dict, **options):
    # The registration task is enqueued after commit (ADR 0013): run it as a server would.
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(URL, data, content_type="application/json", **headers(key, **options))


def post_form(client, key: str | None, data: dict, files: list, **options):
    form = {name: ("true" if value is True else value) for name, value in data.items()}
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(URL, {**form, "files": files}, **headers(key, **options))


def track(client, code: str, contact: str, **extra):
    return client.get(f"{URL}/{code}", {"contact": contact}, **extra)


@pytest.fixture
def answer(receptionist, mof_clerk, mof_unit_head, mof_handler, mof_leader, ministry_of_finance):
    """Walks an item through the Ministry of Finance's desk to an approved reply."""

    def walk(item: FeedbackItem, reply: str = REPLY) -> FeedbackItem:
        item = actions.route(receptionist, item, ministry_of_finance)
        item = actions.accept(mof_clerk, item)
        item = actions.assign(mof_unit_head, item, mof_handler)
        item = actions.draft_reply(mof_handler, item, text=reply)
        return actions.approve_reply(mof_leader, item)

    return walk


# --- submitting -----------------------------------------------------------------------------


def test_a_json_submission_is_received_through_the_api_channel(client, hanoi_key, hanoi):
    response = post(client, hanoi_key, complaint())

    assert response.status_code == 201, response.content
    body = response.json()
    item = FeedbackItem.objects.get()
    assert body["code"] == item.code
    assert (body["status"], body["kind"]) == ("received", "complaint")
    assert body["routing_due"] == item.routing_due.isoformat()
    assert body["tracking_url"].endswith(f"?code={item.code}")
    assert body["message"] == notifications.sms_text(item)
    assert body["message"].isascii() and item.code in body["message"]
    assert body["attachments"] == []
    assert item.channel == Channel.API
    assert item.api_key == ApiKey.objects.get(agency=hanoi)
    assert item.api_key.agency == hanoi
    assert item.province == hanoi
    assert item.sector is not None and item.sector.slug == "dat-dai"
    assert item.concerned_agency is not None and item.concerned_agency.code == "000.00.00.G12"
    assert item.consent_to_publish and item.name == "Trần Văn Dũng"


def test_a_multipart_submission_stores_its_pdf(client, hanoi_key):
    pdf = SimpleUploadedFile("ho-so.pdf", make_pdf(), content_type="application/pdf")

    response = post_form(client, hanoi_key, complaint(), [pdf])

    assert response.status_code == 201, response.content
    item = FeedbackItem.objects.get(code=response.json()["code"])
    attachment = Attachment.objects.get(item=item)
    assert (attachment.original_name, attachment.content_type) == ("ho-so.pdf", "application/pdf")
    assert attachment.sha256 == hashlib.sha256(make_pdf()).hexdigest()
    assert storages["private"].exists(attachment.stored_name)
    assert response.json()["attachments"] == [
        {"name": "ho-so.pdf", "type": "application/pdf", "size": len(make_pdf())}
    ]
    assert item.consent_to_publish and item.sector is not None and item.sector.slug == "dat-dai"


def test_an_executable_renamed_pdf_is_refused_by_name(client, hanoi_key):
    program = SimpleUploadedFile(
        "giay-to.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200, content_type="application/pdf"
    )

    response = post_form(client, hanoi_key, complaint(), [program], language="en")

    assert response.status_code == 400
    messages = response.json()["errors"]["files"]
    assert any("giay-to.pdf" in message for message in messages)
    assert not FeedbackItem.objects.exists()
    assert not Attachment.objects.exists()


def test_no_key_and_a_revoked_key_get_401(client, hanoi_key):
    assert post(client, None, complaint()).status_code == 401
    revoke_api_key(None, ApiKey.objects.get(), reason="Hệ thống cũ ngừng hoạt động")

    assert post(client, hanoi_key, complaint()).status_code == 401
    assert not FeedbackItem.objects.exists()


# --- retries --------------------------------------------------------------------------------


def test_a_retry_with_the_same_key_returns_the_same_item(client, hanoi_key):
    first = post(client, hanoi_key, complaint(), idempotency_key="hn-2026-000123")

    again = post(client, hanoi_key, complaint(), idempotency_key="hn-2026-000123")

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["code"] == first.json()["code"]
    assert again["Idempotent-Replayed"] == "true"
    assert FeedbackItem.objects.count() == 1


def test_the_same_key_for_other_content_is_a_conflict(client, hanoi_key):
    post(client, hanoi_key, complaint(), idempotency_key="hn-2026-000123")

    other = post(
        client,
        hanoi_key,
        complaint(title="Đề nghị sửa chữa đường liên xã"),
        idempotency_key="hn-2026-000123",
        language="en",
    )

    assert other.status_code == 409
    assert other.json() == {
        "detail": "This Idempotency-Key was already used for a different submission."
    }
    assert FeedbackItem.objects.count() == 1


def test_two_systems_using_the_same_key_string_do_not_meet(client, hanoi_key, mof_key):
    hanoi = post(client, hanoi_key, complaint(), idempotency_key="0001")
    mof = post(client, mof_key, complaint(title="Đề nghị sửa chữa đường"), idempotency_key="0001")

    assert (hanoi.status_code, mof.status_code) == (201, 201)
    assert hanoi.json()["code"] != mof.json()["code"]
    assert FeedbackItem.objects.count() == 2


def test_a_multipart_retry_stores_its_file_once(client, hanoi_key):
    def send():
        pdf = SimpleUploadedFile("ho-so.pdf", make_pdf(), content_type="application/pdf")
        return post_form(client, hanoi_key, complaint(), [pdf], idempotency_key="retry-1")

    first, again = send(), send()

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["code"] == first.json()["code"]
    assert Attachment.objects.count() == 1


def test_without_a_key_two_posts_are_two_items(client, hanoi_key):
    post(client, hanoi_key, complaint())
    post(client, hanoi_key, complaint())

    assert FeedbackItem.objects.count() == 2


@pytest.mark.postgres_only
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: SQLite serialises writers itself, so the race is not tested",
)
def test_simultaneous_retries_make_one_item(transactional_db):
    from django.test import Client

    from vgp.testing.factories import AgencyFactory

    AgencyFactory(code="000.00.00.G12", name_vi="Bộ Tài chính")
    # An earlier transactional test may have flushed the sectors of the data migration.
    Sector.objects.get_or_create(slug="dat-dai", defaults={"name": "Đất đai"})
    raw = issue_api_key(None, agency=testing.province(), name="Cổng dịch vụ công Hà Nội")[1]
    threads, statuses, errors = 4, [], []
    barrier = threading.Barrier(threads)

    def send() -> None:
        try:
            barrier.wait(timeout=30)
            statuses.append(post(Client(), raw, complaint(), idempotency_key="race").status_code)
        except BaseException as error:  # reported by the main thread
            errors.append(error)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=send) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)

    assert not errors
    assert sorted(statuses) == [200, 200, 200, 201]
    assert FeedbackItem.objects.count() == 1


# --- validation -------------------------------------------------------------------------------


def test_a_submission_without_contact_is_refused_per_field(client, hanoi_key):
    response = post(client, hanoi_key, complaint(email="", phone=""))

    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == "Yêu cầu không hợp lệ."
    assert list(body["errors"]) == ["email"]
    english = post(client, hanoi_key, complaint(email="", phone=""), language="en")
    assert english.json()["detail"] == "The request is not valid."
    assert english.json()["errors"]["email"] == [
        "Give an email address or a telephone number so we can reply."
    ]
    assert not FeedbackItem.objects.exists()


def test_a_bad_kind_is_refused_by_the_schema_in_the_callers_language(client, hanoi_key):
    vietnamese = post(client, hanoi_key, complaint(kind="rumour"))
    english = post(client, hanoi_key, complaint(kind="rumour"), language="en")

    assert (vietnamese.status_code, english.status_code) == (422, 422)
    assert vietnamese.json()["fields"]["kind"][0].startswith("Chọn một trong: 'feedback'")
    assert english.json()["fields"]["kind"][0].startswith("Choose one of: 'feedback'")
    assert not FeedbackItem.objects.exists()


def test_unknown_codes_and_a_bad_email_are_field_errors(client, hanoi_key):
    response = post(
        client,
        hanoi_key,
        complaint(
            province="000.00.00.H99",
            concerned_agency="G99",
            sector="khong-co",
            email="dung.tran",
        ),
        language="en",
    )

    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == {"province", "concerned_agency", "sector", "email"}
    assert errors["province"] == ["No agency in the registry has the code “000.00.00.H99”."]


def test_a_ministry_is_not_a_province(client, hanoi_key):
    response = post(client, hanoi_key, complaint(province="000.00.00.G12"))

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["province"]


def test_a_multipart_form_without_a_title_names_the_field(client, hanoi_key):
    data = complaint()
    del data["title"]

    response = post_form(client, hanoi_key, data, [], language="en")

    assert response.status_code == 422
    assert response.json()["fields"] == {"title": ["This field is required."]}


def test_a_body_that_is_not_json_is_a_422(client, hanoi_key):
    response = client.post(
        URL, "{not json", content_type="application/json", **headers(hanoi_key, language="en")
    )

    assert response.status_code == 422
    assert response.json()["fields"] == {"__all__": ["The request body is not valid JSON."]}


def test_an_unreadable_multipart_body_is_a_422(client, hanoi_key):
    response = client.post(
        URL, b"--x--", content_type="multipart/form-data", **headers(hanoi_key, language="en")
    )

    assert response.status_code == 422
    assert response.json()["fields"] == {
        "__all__": ["The multipart/form-data body could not be read."]
    }


def test_an_idempotency_key_longer_than_100_characters_is_refused(client, hanoi_key):
    response = post(client, hanoi_key, complaint(), idempotency_key="k" * 101)

    assert response.status_code == 422
    assert "Idempotency-Key" in response.json()["fields"]


# --- load -------------------------------------------------------------------------------------


@override_settings(FEEDBACK_RATE_LIMITS={"api_key": (2, 60)})
def test_a_key_over_its_rate_is_told_when_to_come_back(client, hanoi_key, mof_key):
    # Ten seconds into a minute, the clock held: three calls astride the end of a window
    # would count in two windows.
    with time_machine.travel(dt.datetime(2026, 6, 1, 3, 0, 10, tzinfo=dt.UTC), tick=False):
        assert post(client, hanoi_key, complaint()).status_code == 201
        assert post(client, hanoi_key, complaint()).status_code == 201

        third = post(client, hanoi_key, complaint(), language="en")

        assert third.status_code == 429
        assert int(third["Retry-After"]) == 50
        assert third.json()["retry_after"] == 50
        assert third.json()["detail"].startswith("Too many requests.")
        assert FeedbackItem.objects.count() == 2
        # Another agency's system has its own allowance.
        assert post(client, mof_key, complaint()).status_code == 201


@override_settings(FEEDBACK_MAX_IN_FLIGHT=1)
def test_an_overloaded_server_answers_429_at_once(client, hanoi_key):
    with rate_limits.admission(api.ADMISSION_NAME):
        response = post(client, hanoi_key, complaint())

    assert response.status_code == 429
    assert response["Retry-After"] == "1"
    assert not FeedbackItem.objects.exists()


# --- tracking ---------------------------------------------------------------------------------


@pytest.fixture
def submitted(client, hanoi_key) -> FeedbackItem:
    response = post(client, hanoi_key, complaint())
    return FeedbackItem.objects.get(code=response.json()["code"])


def test_the_citizen_follows_the_item_with_email_or_phone(
    client,
    submitted,
    receptionist,
    mof_clerk,
    mof_unit_head,
    mof_handler,
    ministry_of_finance,
):
    item = actions.route(receptionist, submitted, ministry_of_finance, note="Thuộc thẩm quyền")
    item = actions.accept(mof_clerk, item)
    item = actions.assign(mof_unit_head, item, mof_handler)
    actions.add_note(mof_clerk, item, text="Ghi chú nội bộ: hồ sơ gốc ở Vụ Pháp chế")

    by_email = track(client, item.code.lower(), "Dung.Tran@Example.VN", HTTP_ACCEPT_LANGUAGE="en")
    by_phone = track(client, item.code, "+84 912 345 678")

    assert (by_email.status_code, by_phone.status_code) == (200, 200)
    body = by_email.json()
    assert by_phone.json()["code"] == item.code
    assert (body["code"], body["kind"], body["status"]) == (item.code, "complaint", "assigned")
    assert body["status_label"] == "Being handled"
    assert body["agency"] == {
        "code": "000.00.00.G12",
        "name": "Bộ Tài chính",
        "name_en": "Ministry of Finance",
    }
    assert item.answer_due is not None and body["due"] == item.answer_due.isoformat()
    assert body["paused"] is False
    assert [event["kind"] for event in body["timeline"]] == [
        "submitted",
        "routed",
        "accepted",
        "assigned",
    ]
    assert body["timeline"][1]["message"] == "Thuộc thẩm quyền"
    assert body["timeline"][1]["agency"]["code"] == "000.00.00.G12"
    assert body["information_request"] is None
    assert (body["reply"], body["answered_at"]) == (None, None)
    assert "private" in by_email["Cache-Control"] and "no-store" in by_email["Cache-Control"]
    text = by_email.content.decode()
    assert "Ghi chú nội bộ" not in text and "Vụ Pháp chế" not in text
    assert mof_handler.get_full_name() not in text
    assert "001080012345" not in text and "Hàng Bông" not in text


def test_a_question_pauses_the_clock_and_shows(
    client, submitted, receptionist, mof_clerk, mof_handler, ministry_of_finance
):
    item = actions.route(receptionist, submitted, ministry_of_finance)
    item = actions.accept(mof_clerk, item)
    actions.request_information(mof_handler, item, question="Xin gửi bản sao hồ sơ đã nộp.")

    body = track(client, item.code, "dung.tran@example.vn").json()

    assert body["status"] == "awaiting_citizen"
    assert body["paused"] is True and body["due"] is None
    assert body["information_request"]["question"] == "Xin gửi bản sao hồ sơ đã nộp."


def test_the_answered_item_shows_its_reply(client, submitted, answer):
    item = answer(submitted)

    body = track(client, item.code, "0912345678").json()

    assert body["status"] == "answered"
    assert body["reply"] == REPLY
    assert body["answered_at"] is not None
    assert body["timeline"][-2]["kind"] == "answered"


def test_a_wrong_contact_and_an_unknown_code_look_the_same(client, submitted):
    wrong_contact = track(client, submitted.code, "someone.else@example.vn")
    unknown_code = track(client, "ZZZZ-ZZZZ-ZZZZ", "dung.tran@example.vn")
    not_a_code = track(client, "hello", "dung.tran@example.vn")

    assert wrong_contact.status_code == unknown_code.status_code == not_a_code.status_code == 404
    assert wrong_contact.content == unknown_code.content == not_a_code.content
    assert wrong_contact.json()["detail"]


def test_tracking_without_a_contact_is_a_422(client, submitted):
    response = client.get(f"{URL}/{submitted.code}")

    assert response.status_code == 422
    assert "contact" in response.json()["fields"]


@override_settings(FEEDBACK_RATE_LIMITS={"tracking": (2, 3600)})
def test_tracking_is_limited_per_address(client, submitted):
    assert track(client, submitted.code, "dung.tran@example.vn").status_code == 200
    assert track(client, "ZZZZ-ZZZZ-ZZZZ", "dung.tran@example.vn").status_code == 404

    third = track(client, submitted.code, "dung.tran@example.vn")

    assert third.status_code == 429
    assert int(third["Retry-After"]) >= 1
    other_address = track(client, submitted.code, "dung.tran@example.vn", REMOTE_ADDR="10.0.0.9")
    assert other_address.status_code == 200


# --- the published answers ----------------------------------------------------------------------


def test_only_consented_answered_non_denunciations_are_listed(client, answer, mof_handler):
    published = answer(testing.submit())
    testing.submit(title="Chưa trả lời")  # received, not answered
    answer(testing.submit(consent_to_publish=False, title="Không đồng ý công khai"))
    answer(testing.submit(kind=Kind.DENUNCIATION, title="Tố cáo cán bộ xã"))

    response = client.get(PUBLISHED)

    assert response.status_code == 200
    body = response.json()
    assert [result["id"] for result in body["results"]] == [published.pk]
    assert published.code not in str(body)
    assert (body["count"], body["page"], body["pages"], body["next"]) == (1, 1, 1, None)
    result = body["results"][0]
    assert result["kind"] == "complaint"
    assert result["agency"]["code"] == "000.00.00.G12"
    assert result["sector"]["slug"] == "dat-dai"
    assert result["public_title"] == "Chậm cấp giấy chứng nhận quyền sử dụng đất"
    assert "đã được giải quyết" in result["public_reply"]
    assert result["url"].endswith(f"/phan-anh-kien-nghi/da-tra-loi/{published.pk}/")
    text = response.content.decode()
    for personal in ("dung.tran@example.vn", "0912 345 678", "0912345678", "Trần Văn Dũng"):
        assert personal not in text
    assert mof_handler.get_full_name() not in text


def test_words_without_diacritics_and_filters_find_answers(client, answer):
    land = answer(testing.submit())
    answer(
        testing.submit(
            kind=Kind.PETITION,
            sector=None,
            title="Đề nghị sửa chữa đường liên xã",
            content="Đường liên xã Tân Lập xuống cấp nghiêm trọng, đề nghị sớm sửa chữa.",
        ),
        reply="Bộ Tài chính đã chuyển kiến nghị về bố trí vốn sửa chữa đường liên xã.",
    )

    def codes(**params) -> list[int]:
        response = client.get(PUBLISHED, params)
        assert response.status_code == 200, response.content
        return [result["id"] for result in response.json()["results"]]

    assert codes(q="giay chung nhan") == [land.pk]
    assert codes(q="GIẤY CHỨNG nhận") == [land.pk]
    assert codes(q="khong co tu nay") == []
    assert codes(kind="complaint") == [land.pk]
    assert codes(sector="dat-dai") == [land.pk]
    assert len(codes(agency="000.00.00.G12")) == 2
    assert codes(date_to="2000-01-01") == []


def test_the_list_is_paginated_like_the_others(client, answer):
    first = answer(testing.submit())
    second = answer(testing.submit(title="Khiếu nại thứ hai về đất đai"))

    page1 = client.get(PUBLISHED, {"page_size": 1}).json()
    page2 = client.get(PUBLISHED, {"page_size": 1, "page": 2}).json()

    assert (page1["count"], page1["pages"], page1["page_size"]) == (2, 2, 1)
    assert [r["id"] for r in page1["results"] + page2["results"]] == [second.pk, first.pk]
    assert page1["previous"] is None and "page=2" in page1["next"]
    assert page2["next"] is None and "page=1" in page2["previous"]


def test_unknown_filters_are_named(client):
    response = client.get(
        PUBLISHED, {"agency": "G99", "sector": "khong-co"}, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 422
    assert set(response.json()["fields"]) == {"agency", "sector"}
    denunciations = client.get(PUBLISHED, {"kind": "denunciation"})
    assert denunciations.status_code == 422


# --- the challenge and the document --------------------------------------------------------------


@override_settings(FEEDBACK_POW_MAX_NUMBER=200)
def test_the_challenge_is_fresh_and_solvable(client):
    response = client.get(f"{URL}/challenge")

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    challenge = response.json()
    assert set(challenge) == {"algorithm", "challenge", "maxnumber", "salt", "signature"}
    number = next(
        n
        for n in range(challenge["maxnumber"] + 1)
        if hashlib.sha256(f"{challenge['salt']}{n}".encode()).hexdigest() == challenge["challenge"]
    )
    solution = {**challenge, "number": number}
    del solution["maxnumber"]
    payload = base64.b64encode(json.dumps(solution).encode()).decode()
    assert proof_of_work.verify_solution(payload)
    assert client.get(f"{URL}/challenge").json()["challenge"] != challenge["challenge"]


def test_the_openapi_document_describes_the_feedback_api(client):
    document = client.get("/api/v1/openapi.json").json()

    paths = document["paths"]
    assert {
        "/api/v1/feedback",
        "/api/v1/feedback/challenge",
        "/api/v1/feedback/published",
        "/api/v1/feedback/{code}",
    } <= set(paths)
    submit = paths["/api/v1/feedback"]["post"]
    assert set(submit["requestBody"]["content"]) == {"application/json", "multipart/form-data"}
    assert (
        "files" in submit["requestBody"]["content"]["multipart/form-data"]["schema"]["properties"]
    )
    assert {"200", "201", "400", "401", "409", "422", "429"} <= set(submit["responses"])
    assert "Retry-After" in submit["responses"]["429"]["headers"]
    assert [p["name"] for p in submit["parameters"]] == ["Idempotency-Key"]
    assert submit["security"]
    tracking = paths["/api/v1/feedback/{code}"]["get"]
    assert {"200", "404", "429"} <= set(tracking["responses"])
    # Each answer keeps its body's schema next to the words that explain it.
    for operation in (submit, tracking):
        for status, answer in operation["responses"].items():
            assert answer["description"] and "application/json" in answer["content"], status
    assert submit["responses"]["201"]["description"] == "Received: a new item"
    assert all(op.get("summary") for path in paths.values() for op in path.values())


def test_the_schemas_choices_are_the_models(db):
    assert set(get_args(api.KindValue)) == set(Kind.values)
    assert set(get_args(api.PublicKindValue)) == set(Kind.values) - {Kind.DENUNCIATION}
    assert set(get_args(api.StatusValue)) == set(Status.values)
