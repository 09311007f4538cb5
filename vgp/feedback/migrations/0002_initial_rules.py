"""Initial data: the sectors citizens choose from and one deadline rule per kind.

Deadlines in working days (STANDARDS.md §4): complaints accepted within 10 days and answered
within 30 (+15 when complex, +15 in remote areas, one extension); denunciations accepted within
7 and answered within 30 (+30 per extension, twice when especially complex); feedback and
petitions have no limit in law, so the Government Office's practice (15 days) is the default.
Administrators change all of it in the admin (Settings → Citizen feedback).
"""

from django.db import migrations

SECTORS = [
    ("dat-dai", "Đất đai", "Land"),
    ("xay-dung", "Xây dựng, quy hoạch", "Construction and planning"),
    ("moi-truong", "Tài nguyên, môi trường", "Natural resources and environment"),
    ("giao-thong", "Giao thông vận tải", "Transport"),
    ("y-te", "Y tế", "Health"),
    ("giao-duc", "Giáo dục, đào tạo", "Education and training"),
    ("lao-dong", "Lao động, việc làm, bảo hiểm xã hội", "Labour, employment, social insurance"),
    ("thue", "Thuế, phí, lệ phí", "Taxes, fees and charges"),
    ("ho-tich", "Hộ tịch, cư trú, giấy tờ tùy thân", "Civil status, residence, identity papers"),
    ("doanh-nghiep", "Doanh nghiệp, đầu tư", "Business and investment"),
    ("tu-phap", "Tư pháp", "Justice"),
    ("trat-tu", "An ninh, trật tự", "Public order and security"),
    ("nong-nghiep", "Nông nghiệp, nông thôn", "Agriculture and rural affairs"),
    ("thu-tuc", "Thủ tục hành chính", "Administrative procedures"),
    ("khac", "Lĩnh vực khác", "Other"),
]

RULES = [
    # kind, routing, acceptance, answer, extension, remote, max extensions, basis
    ("feedback", 5, 10, 15, 0, 0, 0, "Nghị định 20/2008/NĐ-CP (sửa đổi bởi Nghị định 48/2013/NĐ-CP)"),
    ("petition", 5, 10, 15, 0, 0, 0, "Thực tiễn của Văn phòng Chính phủ"),
    ("complaint", 5, 10, 30, 15, 15, 1, "Luật Khiếu nại 2011, Điều 27, 28"),
    ("denunciation", 5, 7, 30, 30, 0, 2, "Luật Tố cáo 2018, Điều 29, 30"),
]


def forwards(apps, schema_editor):
    Sector = apps.get_model("feedback", "Sector")
    DeadlineRule = apps.get_model("feedback", "DeadlineRule")
    for slug, name, name_en in SECTORS:
        Sector.objects.get_or_create(slug=slug, defaults={"name": name, "name_en": name_en})
    for kind, routing, acceptance, answer, extension, remote, maximum, basis in RULES:
        DeadlineRule.objects.get_or_create(
            kind=kind,
            sector=None,
            defaults={
                "routing_days": routing,
                "acceptance_days": acceptance,
                "answer_days": answer,
                "extension_days": extension,
                "remote_extension_days": remote,
                "max_extensions": maximum,
                "legal_basis": basis,
            },
        )


def backwards(apps, schema_editor):
    apps.get_model("feedback", "DeadlineRule").objects.filter(sector=None).delete()
    apps.get_model("feedback", "Sector").objects.filter(slug__in=[s[0] for s in SECTORS]).delete()


class Migration(migrations.Migration):
    dependencies = [("feedback", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
