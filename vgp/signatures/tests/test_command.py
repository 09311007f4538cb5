"""manage.py verify_pdf: the report in words or JSON, and an exit status per verdict."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command

from .conftest import needs_samples, sample
from .documents import blank_pdf

# Verification reads the installation's own root CAs from the database (ADR 0016).
pytestmark = pytest.mark.django_db

PADES = "pades-with-old-style-signing-cert-attr.pdf"


def run(capsys, *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exited:
        call_command("verify_pdf", *args)
    captured = capsys.readouterr()
    return int(exited.value.code), captured.out, captured.err


@needs_samples
@pytest.mark.usefixtures("trusted_test_ca")
def test_valid_is_0_indeterminate_2(capsys, tmp_path):
    path = tmp_path / "van-ban.pdf"
    path.write_bytes(sample(PADES))

    code, out, _err = run(capsys, str(path), "--at", "2021-06-01T12:00+07:00")
    assert code == 0
    assert out.startswith("✓ HỢP LỆ (valid)")

    code, out, _err = run(capsys, str(path), "--json")
    assert code == 2
    report = json.loads(out)
    assert report["signatures"][0]["sub_indication"] == "OUT_OF_BOUNDS_NO_POE"


@needs_samples
@pytest.mark.usefixtures("trusted_test_ca")
def test_invalid_is_1(capsys, tmp_path):
    altered = bytearray(sample(PADES))
    altered[12] ^= 1
    path = tmp_path / "sua.pdf"
    path.write_bytes(bytes(altered))
    code, out, _err = run(capsys, str(path), "--json")
    assert code == 1
    assert json.loads(out)["signatures"][0]["sub_indication"] == "HASH_FAILURE"


def test_no_signature_is_2(capsys, tmp_path):
    path = tmp_path / "trang.pdf"
    path.write_bytes(blank_pdf())
    code, out, _err = run(capsys, str(path))
    assert code == 2
    assert "Không tìm thấy chữ ký nào trong tệp." in out


def test_errors_are_3(capsys, tmp_path):
    path = tmp_path / "anh.pdf"
    path.write_bytes(b"\x89PNG\r\n\x1a\n")
    code, _out, err = run(capsys, str(path))
    assert code == 3
    assert "Tệp không phải là tài liệu PDF." in err

    code, out, _err = run(capsys, str(path), "--json")
    assert (code, json.loads(out)["error"]) == (3, "not_pdf")

    assert run(capsys, str(tmp_path / "missing.pdf"))[0] == 3
    assert run(capsys, str(path), "--at", "yesterday")[0] == 3
