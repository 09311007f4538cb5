"""POST /api/v1/signatures/verify, as an agency's system calls it (no API key)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from .conftest import needs_samples, sample
from .documents import blank_pdf, byte_range, encrypted, with_byte_range

pytestmark = pytest.mark.django_db

URL = "/api/v1/signatures/verify"
PADES = "pades-with-old-style-signing-cert-attr.pdf"


def upload(content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("van-ban.pdf", content, content_type="application/pdf")


@needs_samples
@pytest.mark.usefixtures("trusted_test_ca")
def test_the_report_as_json(client):
    response = client.post(URL, {"file": upload(sample(PADES)), "at": "2021-06-01T12:00:00+07:00"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    body = response.json()
    assert body["verdict"] == "valid"
    assert body["signed"] is True
    assert body["validation_time"] == "2021-06-01T12:00:00+07:00"
    (signature,) = body["signatures"]
    assert signature["verdict"] == "valid"
    assert signature["sub_indication"] is None
    assert signature["type"] == "PAdES"
    assert signature["signer"] == {"name": "Alice", "organization": "Example Inc"}
    assert signature["chains_to_trusted_root"] is True
    assert signature["revocation"] == "unknown"
    assert signature["certificates"][0]["not_after"] == "2022-01-01T07:00:00+07:00"
    assert signature["reasons"][0]["code"] == "PASSED"


@needs_samples
@pytest.mark.usefixtures("trusted_test_ca")
def test_reasons_follow_accept_language(client):
    content = sample(PADES)
    english = client.post(URL, {"file": upload(content)}, HTTP_ACCEPT_LANGUAGE="en").json()
    vietnamese = client.post(URL, {"file": upload(content)}, HTTP_ACCEPT_LANGUAGE="vi").json()
    for body in (english, vietnamese):
        assert body["verdict"] == "indeterminate"
        assert body["signatures"][0]["sub_indication"] == "OUT_OF_BOUNDS_NO_POE"
    assert english["signatures"][0]["reasons"][0]["text"].startswith("At the time of the check")
    assert vietnamese["signatures"][0]["reasons"][0]["text"].startswith("Tại thời điểm kiểm tra")


def test_a_file_without_signature(client):
    body = client.post(URL, {"file": upload(blank_pdf())}).json()
    assert body["verdict"] == "indeterminate"
    assert body["signed"] is False
    assert body["signatures"] == []
    assert body["reasons"][0]["code"] == "NO_SIGNATURE"


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"", "empty"),
        (b"hello", "not_pdf"),
        (b"%PDF-1.7\n\x00\x00\n%%EOF\n", "damaged"),
        (b"%PDF-1.7\n1 0 obj", "truncated"),
    ],
)
def test_bad_files_are_400_in_the_callers_language(client, content, code):
    response = client.post(URL, {"file": upload(content)}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json()["code"] == code
    vietnamese = client.post(URL, {"file": upload(content)}, HTTP_ACCEPT_LANGUAGE="vi")
    assert vietnamese.json()["detail"] != response.json()["detail"]


@needs_samples
@pytest.mark.usefixtures("trusted_test_ca")
def test_hostile_samples_are_400(client):
    content = sample(PADES)
    first, length, second, second_length = byte_range(content)
    cases = {
        "truncated": content[: len(content) // 2],
        "byte_range": with_byte_range(content, first, length, second, second_length + 10**6),
        "encrypted": encrypted(content),
    }
    for code, hostile in cases.items():
        response = client.post(URL, {"file": upload(hostile)})
        assert (response.status_code, response.json()["code"]) == (400, code)
    overlapping = with_byte_range(content, first, length, length - 100, second_length)
    assert client.post(URL, {"file": upload(overlapping)}).json()["code"] == "byte_range"


def test_too_large_is_413(client, settings):
    settings.SIGNATURE_VERIFY_MAX_BYTES = 2048
    response = client.post(
        URL, {"file": upload(b"%PDF-1.7\n" + b"0" * 5000)}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 413
    assert response.json() == {
        "detail": "The file is larger than 2 KB, the most this service checks.",
        "code": "too_large",
    }


def test_the_default_limit_of_20_mb(client):
    huge = b"%PDF-1.7\n" + b"0" * (20 * 1024 * 1024)
    response = client.post(URL, {"file": upload(huge)})
    assert response.status_code == 413


def test_missing_file_and_bad_time_are_422_by_field(client):
    response = client.post(URL, {"at": "2021-06-01T12:00"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 422
    assert response.json()["fields"] == {"file": ["This field is required."]}

    response = client.post(
        URL, {"file": upload(blank_pdf()), "at": "first of June"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 422
    assert list(response.json()["fields"]) == ["at"]

    future = (dt.datetime.now(dt.UTC) + dt.timedelta(days=1)).isoformat()
    response = client.post(URL, {"file": upload(blank_pdf()), "at": future})
    assert response.status_code == 422
    assert response.json()["fields"]["at"] == ["Thời điểm kiểm tra không được ở tương lai."]


@override_settings(SIGNATURE_VERIFY_RATE_LIMITS={"ip": (1, 600)})
def test_rate_limited_per_address_with_retry_after(client):
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 1, tzinfo=dt.UTC), tick=False):
        assert client.post(URL, {"file": upload(b"x")}).status_code == 400
        response = client.post(URL, {"file": upload(blank_pdf())}, HTTP_ACCEPT_LANGUAGE="en")
        # the page and the API share the count
        page = client.post("/xac-thuc/", {"file": upload(blank_pdf())})
    assert response.status_code == 429
    assert response["Retry-After"] == "540"
    assert response.json() == {
        "detail": "Too many requests. Try again in 540 seconds.",
        "retry_after": 540,
    }
    assert page.status_code == 429


def test_openapi_documents_the_body_and_every_answer(client):
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/signatures/verify"]["post"]
    assert "security" not in operation or operation["security"] in ([], [{}])
    body = operation["requestBody"]["content"]["multipart/form-data"]["schema"]
    assert body["required"] == ["file"]
    assert body["properties"]["file"]["format"] == "binary"
    assert body["properties"]["at"]["format"] == "date-time"
    responses = operation["responses"]
    for status in ("200", "400", "413", "422", "429"):
        content = responses[status]["content"]["application/json"]["schema"]
        assert "$ref" in content, status
    assert responses["429"]["headers"]["Retry-After"]["schema"] == {"type": "integer"}
    report = schema["components"]["schemas"]["ReportOut"]
    assert set(report["properties"]) == {
        "verdict",
        "signed",
        "validation_time",
        "reasons",
        "signatures",
    }
    signature = schema["components"]["schemas"]["SignatureOut"]
    assert {"verdict", "sub_indication", "reasons", "signer", "timestamp", "revocation"} <= set(
        signature["properties"]
    )
