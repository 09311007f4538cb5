"""The public page /xac-thuc/: chị Lan checks a PDF she received, without signing in.

The page answers in Vietnamese (the site's default language); texts are asserted as she reads
them.
"""

from __future__ import annotations

import datetime as dt
import logging

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.utils import timezone

from vgp.signatures import rate_limits

from .conftest import needs_samples, sample
from .documents import blank_pdf, byte_range, encrypted, with_byte_range

# The page's shell reads the site's navigation.
pytestmark = pytest.mark.django_db

URL = "/xac-thuc/"
PADES = "pades-with-old-style-signing-cert-attr.pdf"


def upload(content: bytes, name: str = "van-ban.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def test_the_page_shows_the_form_with_labels_and_hints(client):
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1" in html and "Kiểm tra chữ ký điện tử của tệp PDF" in html
    assert '<label class="form-field__label" for="id_file">Tệp PDF đã ký</label>' in html
    assert 'aria-describedby="id_file_helptext"' in html
    assert 'enctype="multipart/form-data"' in html
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


@needs_samples
@pytest.mark.usefixtures("trusted_test_ca")
def test_a_signed_file_gets_its_report_verdict_first(client):
    response = client.post(URL, {"file": upload(sample(PADES)), "at": "01/06/2021 12:00"})
    assert response.status_code == 200
    html = response.content.decode()
    # the verdict first, in words (and a symbol), before the signature's details
    verdict = html.index("Hợp lệ")
    assert verdict < html.index("Chữ ký 1/1")
    assert "sig-verdict--valid" in html
    assert "Alice — Example Inc" in html
    assert "01/06/2021 12:00" in html  # the time of the check, kept in the form too
    assert "Root CA (Example Inc)" in html


@needs_samples
@pytest.mark.usefixtures("trusted_test_ca")
def test_now_the_expired_certificate_makes_it_indeterminate(client):
    response = client.post(URL, {"file": upload(sample(PADES))})
    assert response.status_code == 200
    html = response.content.decode()
    assert "sig-verdict--indeterminate" in html
    assert "Chưa xác nhận được" in html
    assert "OUT_OF_BOUNDS_NO_POE" in html


@pytest.mark.usefixtures("trusted_test_ca")
def test_a_file_without_signature_says_so(client):
    response = client.post(URL, {"file": upload(blank_pdf())})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Không tìm thấy chữ ký nào trong tệp." in html
    assert "Tệp không có chữ ký điện tử nào" in html


def test_no_file_is_a_field_error_with_a_summary(client):
    response = client.post(URL, {"at": ""})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="error-summary"' in html
    assert '<a href="#id_file">Chọn tệp PDF đã ký cần kiểm tra.</a>' in html
    assert 'aria-describedby="id_file_helptext id_file_error"' in html


def test_a_malformed_or_future_time_is_a_field_error(client):
    response = client.post(URL, {"file": upload(blank_pdf()), "at": "mùng 1 tháng 6"})
    assert response.status_code == 200
    assert "Nhập ngày giờ theo dạng ngày/tháng/năm giờ:phút" in response.content.decode()

    future = timezone.localtime() + dt.timedelta(days=2)
    response = client.post(
        URL, {"file": upload(blank_pdf()), "at": future.strftime("%d/%m/%Y %H:%M")}
    )
    assert "Thời điểm kiểm tra không được ở tương lai." in response.content.decode()


@pytest.mark.parametrize(
    ("content", "status", "message"),
    [
        (b"", 200, "Tệp trống."),  # Django's form refuses an empty upload itself
        (b"not a pdf at all", 400, "Tệp không phải là tài liệu PDF."),
        (b"%PDF-1.7\n\x00\x00\n%%EOF\n", 400, "Tệp PDF bị hỏng"),
    ],
)
def test_files_that_cannot_be_checked_are_refused_in_words(client, content, status, message):
    response = client.post(URL, {"file": upload(content)})
    assert response.status_code == status
    html = response.content.decode()
    assert message in html
    assert 'class="error-summary"' in html


@needs_samples
@pytest.mark.usefixtures("trusted_test_ca")
def test_hostile_samples_are_refused_never_a_server_error(client):
    content = sample(PADES)
    first, length, second, second_length = byte_range(content)
    for hostile, status in (
        (content[: len(content) // 2], 400),
        (with_byte_range(content, first, length, second, second_length + 10**6), 400),
        (with_byte_range(content, first, length, length - 100, second_length), 400),
        (encrypted(content), 400),
    ):
        assert client.post(URL, {"file": upload(hostile)}).status_code == status


def test_a_file_over_the_limit_is_cut_off_and_refused_413(client, settings, caplog):
    settings.SIGNATURE_VERIFY_MAX_BYTES = 4096
    with caplog.at_level(logging.INFO, logger="vgp.signatures"):
        response = client.post(URL, {"file": upload(b"%PDF-1.7\n" + b"0" * 10_000)})
    assert response.status_code == 413
    assert "Tệp lớn hơn 4 KB" in response.content.decode()
    # the refusal is logged, without the file's content
    assert any("too_large" in record.getMessage() for record in caplog.records)
    assert all("0000" not in record.getMessage() for record in caplog.records)


def test_the_csrf_token_is_still_required():
    client = Client(enforce_csrf_checks=True)
    response = client.post(URL, {"file": upload(blank_pdf())})
    assert response.status_code == 403


@override_settings(SIGNATURE_VERIFY_RATE_LIMITS={"ip": (2, 600)})
def test_past_the_rate_limit_the_page_answers_429_and_says_when_to_come_back(client):
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 1, tzinfo=dt.UTC), tick=False):
        for _ in range(2):
            assert client.post(URL, {"file": upload(b"x")}).status_code == 400
        response = client.post(URL, {"file": upload(blank_pdf())})
    assert response.status_code == 429
    assert response["Retry-After"] == "540"
    html = response.content.decode()
    assert "Đã có quá nhiều tệp được kiểm tra từ kết nối của bạn." in html
    assert "02/03/2026 16:10" in html  # 09:10 UTC, in Viet Nam's time


@override_settings(SIGNATURE_VERIFY_MAX_IN_FLIGHT=1)
def test_when_the_server_is_busy_the_page_answers_429(client):
    with rate_limits.admission():
        response = client.post(URL, {"file": upload(blank_pdf())})
    assert response.status_code == 429
    assert response["Retry-After"] == "1"


def test_the_english_page(client):
    response = client.get("/en" + URL)
    assert response.status_code == 200
    assert "Check the electronic signatures of a PDF" in response.content.decode()
