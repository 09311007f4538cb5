"""Indexes for the lists at 100,000 documents (bench/documents.py): one direction newest
first, and the classified documents alone."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0003_register_export"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="document",
            index=models.Index(fields=["direction", "id"], name="documents_direction_idx"),
        ),
        migrations.AddIndex(
            model_name="document",
            index=models.Index(
                condition=models.Q(("secrecy__gt", 0)),
                fields=["agency"],
                name="documents_classified_idx",
            ),
        ),
    ]
