# SAFE: a nullable column without a default is a metadata-only change, and old code can keep inserting.
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("shop", "0008_order_customer_recent_idx"),
    ]

    operations = [
        migrations.AddField(
            model_name="order",
            name="tracking_number",
            field=models.CharField(blank=True, max_length=64, null=True),
        ),
    ]
