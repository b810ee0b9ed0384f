"""Index for the periodic reports: a commune's matters received in a period."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0004_identity_protection"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="matter",
            index=models.Index(fields=["commune", "received_at"],
                               name="matter_commune_received"),
        ),
    ]
