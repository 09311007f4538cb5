"""Fill ``Agency.search_text`` for rows saved before the column existed (data only)."""

import unicodedata

from django.db import migrations


def _fold(text):
    # A frozen copy of vgp.agencies.search_text.fold, so this migration never changes meaning.
    text = (text or "").replace("đ", "d").replace("Đ", "d")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.lower().split())


def fill_search_text(apps, schema_editor):
    Agency = apps.get_model("agencies", "Agency")
    for agency in Agency.objects.filter(search_text="").iterator():
        agency.search_text = _fold(
            " ".join([agency.code, agency.name_vi, agency.name_en, agency.abbreviation])
        )
        agency.save(update_fields=["search_text"])


class Migration(migrations.Migration):
    dependencies = [("agencies", "0002_search_text_and_messages")]

    operations = [migrations.RunPython(fill_search_text, migrations.RunPython.noop)]
