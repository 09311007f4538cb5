"""An index for one urgency level of one direction (the lists' urgency filter at 100,000
documents, bench/documents.py: 55 to 5 ms of queries on SQLite)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0004_list_indexes"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="document",
            index=models.Index(
                fields=["direction", "urgency", "status", "id"], name="documents_urgency_idx"
            ),
        ),
    ]
