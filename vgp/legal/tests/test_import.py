"""``manage.py import_legal``: formats, bad records set aside, re-import updates in place."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from vgp.audit.models import AuditRecord
from vgp.legal.models import DocumentRelation, ImportRun, LegalDocument, Provision, Validity
from vgp.legal.queries import KIND_ARTICLE, SearchParams, search
from vgp.search.engine import forget_open_indexes

SHARED_LEGAL = Path(settings.BASE_DIR).parent / "shared" / "data" / "legal"
needs_shared = pytest.mark.skipif(
    not (SHARED_LEGAL / "alqac2023_articles.json").exists(),
    reason=f"the shared legal samples are absent ({SHARED_LEGAL})",
)


@pytest.fixture(autouse=True)
def search_dir(settings, tmp_path):
    settings.SEARCH_INDEX_DIR = tmp_path / "search"
    forget_open_indexes()
    yield
    forget_open_indexes()


def run_import(*paths: Path, **options) -> str:
    out = StringIO()
    call_command("import_legal", *[str(p) for p in paths], stdout=out, verbosity=0, **options)
    return out.getvalue()


DECREE = {
    "external_id": "test:1",
    "number": "08/2022/NĐ-CP",
    "type": "Nghị định",
    "category": "legal",
    "issuer": "CP",
    "title": "Nghị định quy định chi tiết một số điều của Luật Bảo vệ môi trường",
    "summary": "Quy định chi tiết về bảo vệ các thành phần môi trường.",
    "signer": "Lê Văn Thành",
    "signer_position": "KT. THỦ TƯỚNG - PHÓ THỦ TƯỚNG",
    "issued_date": "2022-01-10",
    "effective_date": "2022-01-10",
    "fields": ["Tài nguyên - Môi trường"],
    "text": "Chương I\nQUY ĐỊNH CHUNG\n\nĐiều 1. Phạm vi điều chỉnh\n"
    "1. Nghị định này quy định chi tiết việc bảo vệ môi trường.\n"
    "a) Bảo vệ môi trường nước;\nb) Bảo vệ môi trường không khí.\n\n"
    "Điều 2. Hiệu lực thi hành\nNghị định này có hiệu lực từ ngày ký.",
    "relations": [{"kind": "guides", "target": "72/2020/QH14"}],
}


@pytest.mark.django_db
def test_jsonl_import_creates_structure_relations_and_audit(tmp_path):
    path = tmp_path / "docs.jsonl"
    law = {
        "number": "72/2020/QH14",
        "type": "Luật",
        "title": "Luật Bảo vệ môi trường",
        "issued_date": "2020-11-17",
        "effective_date": "2022-01-01",
        "text": "Điều 1. Phạm vi điều chỉnh\nLuật này quy định về bảo vệ môi trường.",
    }
    path.write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in (DECREE, law)), encoding="utf-8"
    )

    run_import(path)

    decree = LegalDocument.objects.get(external_id="test:1")
    assert (decree.number, decree.year, decree.type_code, decree.issuer_code) == (
        "08",
        2022,
        "NĐ",
        "CP",
    )
    assert decree.live and decree.status == Validity.IN_FORCE
    assert decree.issuer is not None or decree.issuer_name  # registry agency or printed name
    anchors = list(decree.provisions.values_list("anchor", flat=True))
    assert "dieu-1" in anchors and "dieu-2" in anchors
    # The law arrived after the decree in the same file: the relation is linked to it.
    relation = DocumentRelation.objects.get(source=decree)
    assert relation.target.number_symbol == "72/2020/QH14" and relation.target_reference == ""
    assert AuditRecord.objects.filter(action="legal.imported").exists()
    run = ImportRun.objects.get()
    assert (run.created, run.rejected) == (2, 0)


@pytest.mark.django_db
def test_bad_records_are_set_aside_with_a_reason_and_the_rest_imported(tmp_path):
    good = dict(DECREE)
    records = [
        good,
        {**DECREE, "external_id": "test:2", "number": "abc/xyz//"},
        {**DECREE, "external_id": "test:3", "title": ""},
        {**DECREE, "external_id": "test:4", "issued_date": "10 tháng 1"},
        {**DECREE, "external_id": "test:5", "type": "Sắc lệnh hoàng gia", "number": ""},
    ]
    path = tmp_path / "docs.json"
    path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    report = tmp_path / "problems.csv"

    output = run_import(path, report=report)

    assert LegalDocument.objects.count() == 1
    rows = report.read_text(encoding="utf-8").splitlines()
    assert rows[0] == "file,record,reason" and len(rows) == 5
    assert all(row.startswith("docs.json,#") for row in rows[1:])
    assert "4 records set aside" in output
    assert ImportRun.objects.get().rejected == 4


@pytest.mark.django_db
def test_reimport_updates_instead_of_duplicating(tmp_path):
    path = tmp_path / "docs.json"
    path.write_text(json.dumps([DECREE], ensure_ascii=False), encoding="utf-8")
    run_import(path)
    changed = {**DECREE, "title": DECREE["title"] + " (sửa)", "text": "Điều 1. Một điều\nNội dung."}
    path.write_text(json.dumps([changed], ensure_ascii=False), encoding="utf-8")

    run_import(path)

    document = LegalDocument.objects.get()
    assert document.title.endswith("(sửa)")
    assert list(document.provisions.values_list("anchor", flat=True)) == ["dieu-1"]


@pytest.mark.django_db
def test_csv_import(tmp_path):
    path = tmp_path / "docs.csv"
    path.write_text(
        "number,type,issuer,title,issued_date,fields,relations\n"
        "1925/VPCP-KGVX,Công văn,VPCP,Về việc triển khai Cổng dịch vụ công,15/03/2024,"
        "Bộ máy hành chính,based_on:08/2022/NĐ-CP\n",
        encoding="utf-8",
    )
    run_import(path)
    letter = LegalDocument.objects.get()
    assert letter.doc_type.name == "Công văn" and letter.unit_code == "KGVX"
    assert letter.issued_date.isoformat() == "2024-03-15"
    assert letter.relations.get().target_reference == "08/2022/NĐ-CP"


@needs_shared
@pytest.mark.django_db
def test_the_real_census_and_alqac_articles():
    run_import(SHARED_LEGAL / "vn_law_census.json", SHARED_LEGAL / "alqac2023_articles.json")

    articles = Provision.objects.filter(kind="article")
    assert articles.count() == 2249
    laws_with_articles = LegalDocument.objects.filter(provisions__kind="article").distinct()
    assert laws_with_articles.count() == 17
    # 93 census documents; the ALQAC laws absent from the census are added (8 of them).
    assert LegalDocument.objects.filter(external_id__startswith="census:").count() == 93
    assert LegalDocument.objects.count() == 93 + 8
    civil_code = LegalDocument.objects.get(number_symbol="91/2015/QH13")
    assert civil_code.provisions.filter(kind="article").count() == 689
    assert civil_code.title == "Bộ luật Dân sự 2015"  # the census metadata is kept
    constitution = LegalDocument.objects.get(external_id="census:constitution-2013")
    assert constitution.provisions.filter(kind="article").count() == 118

    # Importing both again changes nothing but the timestamps.
    run_import(SHARED_LEGAL / "alqac2023_articles.json", SHARED_LEGAL / "vn_law_census.json")
    assert LegalDocument.objects.count() == 101
    assert Provision.objects.filter(kind="article").count() == 2249

    # A citizen's question finds the article (ALQAC DS-1: Luật Phòng, chống ma túy, Điều 32).
    page = search(
        SearchParams(
            q="nghiện ma túy từ đủ 18 tuổi đưa vào cơ sở cai nghiện bắt buộc khi đang cai "
            "nghiện tự nguyện",
            kind=KIND_ARTICLE,
        )
    )
    top = [(hit.document.title, hit.article.number) for hit in page.hits[:5]]
    assert ("Luật Phòng, chống ma túy", "32") in top
