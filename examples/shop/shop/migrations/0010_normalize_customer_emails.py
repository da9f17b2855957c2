# SAFE: a data migration that works in batches and can be rolled back (there is nothing to undo).
from django.db import migrations


def lowercase_emails(apps, schema_editor):
    Customer = apps.get_model("shop", "Customer")
    for customer in Customer.objects.filter(email__regex=r"[A-Z]").only("id", "email").iterator(chunk_size=1000):
        customer.email = customer.email.lower()
        customer.save(update_fields=["email"])


class Migration(migrations.Migration):
    dependencies = [
        ("shop", "0009_order_tracking_number"),
    ]

    operations = [
        migrations.RunPython(lowercase_emails, reverse_code=migrations.RunPython.noop),
    ]
