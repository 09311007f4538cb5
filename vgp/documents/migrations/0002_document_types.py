"""The document types of Decree 30/2020/NĐ-CP (Appendix III) and of the Law on legal documents."""

from django.db import migrations

# (code, abbreviation, Vietnamese name, English name, may be legal normative, always is)
TYPES = [
    ("CV", "", "Công văn", "Official letter", False, False),
    ("NQ", "NQ", "Nghị quyết", "Resolution", True, False),
    ("QĐ", "QĐ", "Quyết định", "Decision", True, False),
    ("CT", "CT", "Chỉ thị", "Directive", True, False),
    ("QC", "QC", "Quy chế", "Regulation", False, False),
    ("QyĐ", "QyĐ", "Quy định", "Rules", False, False),
    ("TC", "TC", "Thông cáo", "Communiqué", False, False),
    ("TB", "TB", "Thông báo", "Notice", False, False),
    ("HD", "HD", "Hướng dẫn", "Guidance", False, False),
    ("CTr", "CTr", "Chương trình", "Programme", False, False),
    ("KH", "KH", "Kế hoạch", "Plan", False, False),
    ("PA", "PA", "Phương án", "Option", False, False),
    ("ĐA", "ĐA", "Đề án", "Scheme", False, False),
    ("DA", "DA", "Dự án", "Project", False, False),
    ("BC", "BC", "Báo cáo", "Report", False, False),
    ("BB", "BB", "Biên bản", "Minutes", False, False),
    ("TTr", "TTr", "Tờ trình", "Submission", False, False),
    ("HĐ", "HĐ", "Hợp đồng", "Contract", False, False),
    ("CĐ", "CĐ", "Công điện", "Official telegram", False, False),
    ("BGN", "BGN", "Bản ghi nhớ", "Memorandum of understanding", False, False),
    ("BTT", "BTT", "Bản thỏa thuận", "Agreement", False, False),
    ("GUQ", "GUQ", "Giấy ủy quyền", "Power of attorney", False, False),
    ("GM", "GM", "Giấy mời", "Invitation", False, False),
    ("GGT", "GGT", "Giấy giới thiệu", "Letter of introduction", False, False),
    ("GNP", "GNP", "Giấy nghỉ phép", "Leave permit", False, False),
    ("PG", "PG", "Phiếu gửi", "Dispatch slip", False, False),
    ("PC", "PC", "Phiếu chuyển", "Transfer slip", False, False),
    ("PB", "PB", "Phiếu báo", "Notification slip", False, False),
    ("NĐ", "NĐ", "Nghị định", "Decree", True, True),
    ("TT", "TT", "Thông tư", "Circular", True, True),
    ("TTLT", "TTLT", "Thông tư liên tịch", "Joint circular", True, True),
    ("L", "L", "Lệnh", "Order", True, True),
    ("PL", "PL", "Pháp lệnh", "Ordinance", True, True),
]


def add_types(apps, schema_editor):
    DocumentType = apps.get_model("documents", "DocumentType")
    for order, (code, abbreviation, name_vi, name_en, legal, always) in enumerate(TYPES):
        DocumentType.objects.update_or_create(
            code=code,
            defaults={
                "abbreviation": abbreviation,
                "name_vi": name_vi,
                "name_en": name_en,
                "legal_normative": legal,
                "always_legal_normative": always,
                "sort_order": order * 10,
            },
        )


def remove_types(apps, schema_editor):
    DocumentType = apps.get_model("documents", "DocumentType")
    DocumentType.objects.filter(code__in=[row[0] for row in TYPES]).delete()


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial")]

    operations = [migrations.RunPython(add_types, remove_types)]
