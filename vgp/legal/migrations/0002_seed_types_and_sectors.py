"""Document types of the Law on promulgation of legal documents and Decree 30, and sectors."""

from django.db import migrations

# (name, English name, abbreviation, category, rank)
TYPES = [
    ("Hiến pháp", "Constitution", "", "legal", 1),
    ("Bộ luật", "Code", "", "legal", 2),
    ("Luật", "Law", "", "legal", 3),
    ("Pháp lệnh", "Ordinance", "PL", "legal", 5),
    ("Lệnh", "Order", "L", "legal", 6),
    ("Nghị quyết", "Resolution", "NQ", "legal", 7),
    ("Nghị định", "Decree", "NĐ", "legal", 10),
    ("Quyết định", "Decision", "QĐ", "legal", 20),
    ("Thông tư", "Circular", "TT", "legal", 30),
    ("Thông tư liên tịch", "Joint circular", "TTLT", "legal", 31),
    ("Văn bản hợp nhất", "Consolidated text", "VBHN", "legal", 35),
    ("Chỉ thị", "Directive", "CT", "directive", 40),
    ("Quy chế", "Regulation", "QC", "directive", 42),
    ("Quy định", "Rules", "QyĐ", "directive", 43),
    ("Thông cáo", "Communiqué", "TC", "directive", 44),
    ("Thông báo", "Notice", "TB", "directive", 45),
    ("Hướng dẫn", "Guidance", "HD", "directive", 46),
    ("Chương trình", "Programme", "CTr", "directive", 47),
    ("Kế hoạch", "Plan", "KH", "directive", 48),
    ("Phương án", "Scheme", "PA", "directive", 49),
    ("Đề án", "Project proposal", "ĐA", "directive", 50),
    ("Báo cáo", "Report", "BC", "directive", 51),
    ("Tờ trình", "Submission", "TTr", "directive", 52),
    ("Công điện", "Official telegram", "CĐ", "directive", 53),
    ("Công văn", "Official letter", "", "directive", 60),
]

SECTORS = [
    ("Bộ máy hành chính", "State administration", "bo-may-hanh-chinh"),
    ("Tài chính nhà nước", "Public finance", "tai-chinh-nha-nuoc"),
    ("Thuế, phí, lệ phí", "Taxes, fees and charges", "thue-phi-le-phi"),
    ("Đầu tư", "Investment", "dau-tu"),
    ("Doanh nghiệp", "Enterprises", "doanh-nghiep"),
    ("Thương mại", "Trade", "thuong-mai"),
    ("Xây dựng - Đô thị", "Construction and urban affairs", "xay-dung-do-thi"),
    ("Bất động sản", "Real estate", "bat-dong-san"),
    ("Đất đai", "Land", "dat-dai"),
    ("Tài nguyên - Môi trường", "Natural resources and environment", "tai-nguyen-moi-truong"),
    ("Giao thông - Vận tải", "Transport", "giao-thong-van-tai"),
    ("Lao động - Tiền lương", "Labour and wages", "lao-dong-tien-luong"),
    ("Bảo hiểm", "Insurance", "bao-hiem"),
    ("Y tế", "Health", "y-te"),
    ("Giáo dục", "Education", "giao-duc"),
    ("Văn hóa - Xã hội", "Culture and society", "van-hoa-xa-hoi"),
    ("Công nghệ thông tin", "Information technology", "cong-nghe-thong-tin"),
    ("Quyền dân sự", "Civil rights", "quyen-dan-su"),
    ("Thủ tục tố tụng", "Procedure", "thu-tuc-to-tung"),
    ("Trách nhiệm hình sự", "Criminal liability", "trach-nhiem-hinh-su"),
    ("Vi phạm hành chính", "Administrative violations", "vi-pham-hanh-chinh"),
    ("Xuất nhập khẩu", "Import and export", "xuat-nhap-khau"),
    ("Tiền tệ - Ngân hàng", "Money and banking", "tien-te-ngan-hang"),
    ("Chứng khoán", "Securities", "chung-khoan"),
    ("Kế toán - Kiểm toán", "Accounting and audit", "ke-toan-kiem-toan"),
    ("Sở hữu trí tuệ", "Intellectual property", "so-huu-tri-tue"),
    ("Nông nghiệp", "Agriculture", "nong-nghiep"),
    ("Quốc phòng - An ninh", "Defence and security", "quoc-phong-an-ninh"),
    ("Dịch vụ pháp lý", "Legal services", "dich-vu-phap-ly"),
    ("Thể thao - Du lịch", "Sport and tourism", "the-thao-du-lich"),
]


def seed(apps, schema_editor):
    DocumentType = apps.get_model("legal", "DocumentType")
    Sector = apps.get_model("legal", "Sector")
    for name, name_en, abbreviation, category, rank in TYPES:
        DocumentType.objects.update_or_create(
            name=name,
            defaults={
                "name_en": name_en,
                "abbreviation": abbreviation,
                "category": category,
                "rank": rank,
            },
        )
    for name, name_en, slug in SECTORS:
        Sector.objects.update_or_create(slug=slug, defaults={"name": name, "name_en": name_en})


def unseed(apps, schema_editor):
    apps.get_model("legal", "DocumentType").objects.filter(name__in=[t[0] for t in TYPES]).delete()
    apps.get_model("legal", "Sector").objects.filter(slug__in=[s[2] for s in SECTORS]).delete()


class Migration(migrations.Migration):
    dependencies = [("legal", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
