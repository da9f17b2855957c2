# UNSAFE (MG201): the Python default is not kept in the database, so inserts from the code still running
# (which does not know `status`) fail on the NOT NULL column until the new code is deployed.
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("shop", "0002_order_created_idx"),
    ]

    operations = [
        migrations.AddField(
            model_name="order",
            name="status",
            field=models.CharField(
                choices=[("pending", "Pending"), ("paid", "Paid"), ("shipped", "Shipped"), ("cancelled", "Cancelled")],
                default="pending",
                max_length=20,
            ),
        ),
    ]
