# UNSAFE (MG301): RunPython without reverse_code cannot be rolled back.
from django.db import migrations


def mark_paid_orders(apps, schema_editor):
    Order = apps.get_model("shop", "Order")
    Order.objects.filter(paid_at__isnull=False, status="pending").update(status="paid")


class Migration(migrations.Migration):
    dependencies = [
        ("shop", "0003_order_status"),
    ]

    operations = [
        migrations.RunPython(mark_paid_orders),
    ]
