# UNSAFE (MG202): the code still running selects `note`; its queries on Order fail until the deploy finishes.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("shop", "0004_backfill_status"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="order",
            name="note",
        ),
    ]
