"""Covering indexes for the periodic reports (reports.figures): matters received in a period
by commune, kind, channel and field; deadlines due in a period; a matter's commune by id."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0003_audit_append_only'),
        ('intake', '0004_identity_protection'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name='matter',
            index=models.Index(fields=['commune', 'received_at'], include=('kind', 'channel', 'field_of_law'), name='matter_commune_received'),
        ),
        migrations.AddIndex(
            model_name='matter',
            index=models.Index(fields=['received_at'], include=('commune', 'kind', 'channel', 'field_of_law'), name='matter_received_report'),
        ),
        migrations.AddIndex(
            model_name='matter',
            index=models.Index(fields=['id'], include=('commune',), name='matter_commune_of_id'),
        ),
        migrations.AddIndex(
            model_name='matterdeadline',
            index=models.Index(fields=['matter'], include=('due', 'met_at', 'open'), name='deadline_matter_report'),
        ),
    ]
