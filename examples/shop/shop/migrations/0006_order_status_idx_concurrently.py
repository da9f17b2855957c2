# UNSAFE (MG109): CREATE INDEX CONCURRENTLY cannot run inside a transaction, and this migration is atomic.
from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("shop", "0005_drop_order_note"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="order",
            index=models.Index(fields=["status"], name="order_status_idx"),
        ),
    ]
