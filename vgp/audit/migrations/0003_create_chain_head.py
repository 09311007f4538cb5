"""Create the chain head row, so that every appender locks an existing row (data only)."""

from django.db import migrations

GENESIS_HASH = "0" * 64


def create_head(apps, schema_editor):
    AuditChainHead = apps.get_model("audit", "AuditChainHead")
    AuditChainHead.objects.get_or_create(pk=1, defaults={"last_seq": 0, "last_hash": GENESIS_HASH})


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_chainverification")]

    # Reversing keeps the row: it may already describe records.
    operations = [migrations.RunPython(create_head, migrations.RunPython.noop)]
