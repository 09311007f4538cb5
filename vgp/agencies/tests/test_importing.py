"""Importing agency lists from CSV and JSON files."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from vgp.agencies.importing import import_files
from vgp.agencies.models import Agency, AgencyStatus
from vgp.audit.models import AuditRecord

pytestmark = pytest.mark.django_db

HEADER = "code,name_vi,name_en,abbreviation,kind,parent_code,valid_from,valid_to,status,successor_code,note"


@pytest.fixture(autouse=True)
def english_messages():
    with translation.override("en"):
        yield


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def csv_file(tmp_path: Path, *lines: str, name: str = "agencies.csv") -> Path:
    return write(tmp_path, name, "\n".join([HEADER, *lines]) + "\n")


def test_csv_rows_load_and_bad_rows_are_reported_with_line_and_reason(tmp_path):
    # Given a CSV file with good rows and one bad row of each kind,
    path = csv_file(
        tmp_path,
        "000.00.00.G12,Bộ Tài chính,Ministry of Finance,BTC,ministry,,,,,,",  # line 2
        "000.00.00.L12,Bộ Sai,,,ministry,,,,,,",  # line 3: bad code
        "000.00.00.G09,Bộ Nội vụ,,BNV,ministery,,,,,,",  # line 4: unknown kind
        "000.00.01.G09,Vụ Thử,,,unit,000.00.00.G77,,,,,",  # line 5: unknown parent
        "000.00.00.G18,Bộ Y tế,,BYT,ministry,,31/02/2020,,,,",  # line 6: bad date
        "000.00.00.G17,Bộ Xây dựng,,BXD,ministry,,01/03/2025,,,,",  # line 7: good
        "000.00.00.G03,Bộ Giáo dục,,BGDĐT,ministry,,,,,,",  # line 8: good
    )

    # when it is imported,
    report = import_files([path])

    # then the good rows are in the registry,
    assert sorted(report.created) == ["000.00.00.G03", "000.00.00.G12", "000.00.00.G17"]
    assert Agency.objects.get(code="000.00.00.G17").valid_from == dt.date(2025, 3, 1)
    # and each bad one is reported with the file, its line and a specific reason.
    errors = {error.position: error for error in report.errors}
    assert set(errors) == {"line 3", "line 4", "line 5", "line 6"}
    assert errors["line 3"].file == str(path)
    assert "L is not a level-1 group" in errors["line 3"].reason
    assert "unknown kind 'ministery'" in errors["line 4"].reason
    assert "unknown agency 000.00.00.G77" in errors["line 5"].reason
    assert "'31/02/2020' is not a date" in errors["line 6"].reason
    assert "agencies.csv, line 3, 000.00.00.L12:" in str(errors["line 3"])
    assert report.summary() == "Created: 3, updated: 0, unchanged: 0, errors: 4."


def test_json_list_and_object_forms_load_with_record_numbers(tmp_path):
    # Given a JSON object with an "agencies" list (ISO and Vietnamese dates) and a bad record,
    path = write(
        tmp_path,
        "list.json",
        json.dumps(
            {
                "sources": ["ignored"],
                "agencies": [
                    {"code": "G00", "name_vi": "Chính phủ", "kind": "government"},
                    {
                        "code": "G00.01",
                        "name_vi": "Thủ tướng Chính phủ",
                        "abbreviation": "TTg",
                        "kind": "government",
                        "parent_code": "G00",
                        "valid_from": "2016-04-09",
                    },
                    {
                        "code": "G00.02",
                        "name_vi": "Sai trạng thái",
                        "kind": "government",
                        "status": "closed",
                    },
                    "not an object",
                ],
            },
            ensure_ascii=False,
        ),
    )
    bare_list = write(
        tmp_path,
        "bare.json",
        json.dumps(
            [
                {
                    "code": "H26",
                    "name_vi": "UBND Hà Nội",
                    "kind": "province",
                    "valid_from": "01/08/2008",
                }
            ]
        ),
    )

    report = import_files([path, bare_list])

    assert sorted(report.created) == ["G00", "G00.01", "H26"]
    assert Agency.objects.get(code="G00.01").parent.code == "G00"
    assert Agency.objects.get(code="H26").valid_from == dt.date(2008, 8, 1)
    positions = {error.position: error.reason for error in report.errors}
    assert "unknown status 'closed'" in positions["record 3"]
    assert "not an object" in positions["record 4"]


def test_format_is_recognised_by_content_when_the_extension_says_nothing(tmp_path):
    as_json = write(
        tmp_path, "list.txt", '[{"code": "G01", "name_vi": "Bộ Công an", "kind": "ministry"}]'
    )
    as_csv = write(tmp_path, "list.dat", "code;name_vi;kind\nG02;Bộ Công Thương;ministry\n")
    report = import_files([as_json, as_csv])
    assert sorted(report.created) == ["G01", "G02"]


def test_parents_listed_after_their_units_are_loaded_first(tmp_path):
    # Given units listed before their ministry, and a merged ministry before its successor,
    path = csv_file(
        tmp_path,
        "000.00.11.G05,Tổng cục Thống kê,,TCTK,unit,000.00.00.G12,,,,,",
        "000.00.00.G05,Bộ Kế hoạch và Đầu tư,,BKHĐT,ministry,,,28/02/2025,merged,000.00.00.G12,",
        "000.00.00.G12,Bộ Tài chính,,BTC,ministry,,,,,,",
    )

    report = import_files([path])

    assert report.errors == []
    assert Agency.objects.get(code="000.00.11.G05").parent.code == "000.00.00.G12"
    merged = Agency.objects.get(code="000.00.00.G05")
    assert merged.status == AgencyStatus.MERGED
    assert merged.successor.code == "000.00.00.G12"


def test_a_row_whose_parent_failed_says_so(tmp_path):
    path = csv_file(
        tmp_path,
        "000.00.01.G12,Vụ Ngân sách,,,unit,000.00.00.G12,,,,,",
        "000.00.00.G12,Bộ Tài chính,,BTC,nonsense,,,,,,",
    )
    report = import_files([path])
    reasons = {error.position: error.reason for error in report.errors}
    assert "parent_code: 000.00.00.G12 could not be loaded" in reasons["line 2"]


def test_reimport_updates_by_code_and_leaves_unchanged_rows_alone(tmp_path):
    # Given a first import of two agencies,
    first = csv_file(
        tmp_path,
        "000.00.00.G12,Bộ Tài chính,Ministry of Finance,BTC,ministry,,,,,,",
        "000.00.00.G09,Bộ Nội vụ,Ministry of Home Affairs,BNV,ministry,,,,,,",
    )
    import_files([first])
    audited = AuditRecord.objects.filter(object_type="agencies.agency").count()
    untouched = Agency.objects.get(code="000.00.00.G09").updated_at

    # when a corrected file is imported again,
    second = csv_file(
        tmp_path,
        "000.00.00.G12,Bộ Tài chính,Ministry of Finance of Viet Nam,BTC,ministry,,,,,,",
        "000.00.00.G09,Bộ Nội vụ,Ministry of Home Affairs,BNV,ministry,,,,,,",
        name="again.csv",
    )
    report = import_files([second])

    # then the changed row is updated (not duplicated) and the unchanged one is not re-saved
    # nor re-audited.
    assert report.updated == ["000.00.00.G12"]
    assert report.unchanged == ["000.00.00.G09"]
    assert Agency.objects.filter(code="000.00.00.G12").count() == 1
    assert Agency.objects.get(code="000.00.00.G12").name_en == "Ministry of Finance of Viet Nam"
    assert Agency.objects.get(code="000.00.00.G09").updated_at == untouched
    assert AuditRecord.objects.filter(object_type="agencies.agency").count() == audited + 1


def test_columns_missing_from_a_file_are_left_as_they_are(tmp_path, ministry_of_finance):
    path = write(tmp_path, "names.csv", "code,name_vi\n000.00.00.G12,Bộ Tài chính\n")
    report = import_files([path])
    assert report.unchanged == ["000.00.00.G12"]
    ministry_of_finance.refresh_from_db()
    assert ministry_of_finance.abbreviation == "BTC"


def test_model_validation_errors_are_reported_per_row(tmp_path):
    path = write(
        tmp_path,
        "bad.csv",
        "code,name_vi,kind,email,valid_from,valid_to\n"
        "G01,Bộ Công an,ministry,not-an-email,,\n"
        "G02,Bộ Công Thương,ministry,,2025-01-01,2024-01-01\n",
    )
    report = import_files([path])
    reasons = {error.position: error.reason for error in report.errors}
    assert reasons["line 2"].startswith("email:")
    assert "valid_to: The end of validity cannot be before its start" in reasons["line 3"]


def test_the_same_code_twice_in_one_import_is_reported(tmp_path):
    path = csv_file(
        tmp_path,
        "G01,Bộ Công an,,BCA,ministry,,,,,,",
        "G01,Bộ Công an (bản sao),,BCA,ministry,,,,,,",
    )
    report = import_files([path])
    assert report.created == ["G01"]
    assert "already in" in report.errors[0].reason and "line 2" in report.errors[0].reason


def test_command_prints_a_summary_and_the_errors(tmp_path, capsys):
    path = csv_file(
        tmp_path,
        "000.00.00.G12,Bộ Tài chính,,BTC,ministry,,,,,,",
        "000.00.00.L12,Bộ Sai,,,ministry,,,,,,",
    )
    call_command("import_agencies", str(path))
    out, err = capsys.readouterr()
    assert "Created: 1, updated: 0, unchanged: 0, errors: 1." in out
    assert "line 3, 000.00.00.L12" in err


def test_command_fails_only_when_every_row_fails_or_a_file_cannot_be_read(tmp_path, capsys):
    all_bad = csv_file(tmp_path, "000.00.00.L12,Bộ Sai,,,ministry,,,,,,")
    with pytest.raises(CommandError):
        call_command("import_agencies", str(all_bad))
    with pytest.raises(CommandError):
        call_command("import_agencies", str(tmp_path / "missing.csv"))
    broken = write(tmp_path, "broken.json", '{"agencies": [')
    with pytest.raises(CommandError):
        call_command("import_agencies", str(broken))
    no_code = write(tmp_path, "nocode.csv", "name_vi,kind\nBộ Y tế,ministry\n")
    with pytest.raises(CommandError):
        call_command("import_agencies", str(no_code))
    _, err = capsys.readouterr()
    assert "file not found" in err
    assert "invalid JSON" in err
    assert 'no "code" column' in err


def test_command_can_attribute_the_changes_to_an_official(tmp_path, it_admin):
    path = csv_file(tmp_path, "000.00.00.G12,Bộ Tài chính,,BTC,ministry,,,,,,")
    call_command("import_agencies", str(path), "--as", "ha")
    record = AuditRecord.objects.get(action="agencies.create")
    assert record.actor_username == "ha"
