# UNSAFE (MG302): RunSQL without reverse_sql cannot be rolled back.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("shop", "0006_order_status_idx_concurrently"),
    ]

    operations = [
        migrations.RunSQL(
            "COMMENT ON COLUMN shop_order.status IS 'pending, paid, shipped or cancelled';",
        ),
    ]
