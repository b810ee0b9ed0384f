"""The inbox search text of every matter (filled here for existing rows), its pg_trgm index on
PostgreSQL, and the indexes of the inbox filters and the dashboard's deadline counts."""

from django.conf import settings
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

TRIGRAM_INDEX = "matter_search_trgm"


def fill_search_text(apps, schema_editor):
    # The historical model has no ``save`` of ours: the same function, on its columns (a
    # sealed matter's columns already hold the masks).
    from tiepdan.intake.search import matter_search_text

    matter_model = apps.get_model("intake", "Matter")
    batch = []
    for matter in matter_model.objects.order_by("pk").iterator(chunk_size=500):
        matter.search_text = matter_search_text(matter)
        batch.append(matter)
        if len(batch) == 500:
            matter_model.objects.bulk_update(batch, ["search_text"])
            batch = []
    matter_model.objects.bulk_update(batch, ["search_text"])


def create_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {TRIGRAM_INDEX} ON intake_matter "
            "USING gin (search_text gin_trgm_ops)")


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {TRIGRAM_INDEX}")


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0003_audit_append_only'),
        ('intake', '0005_report_indexes'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='matter',
            name='search_text',
            field=models.TextField(blank=True, default='', editable=False),
        ),
        migrations.RunPython(fill_search_text, migrations.RunPython.noop),
        # Only on PostgreSQL (the operation does nothing on SQLite, where LIKE scans).
        TrigramExtension(),
        migrations.RunPython(create_trigram_index, drop_trigram_index),
        migrations.AddIndex(
            model_name='matter',
            index=models.Index(fields=['commune', 'kind', '-received_at'],
                               name='matter_inbox_kind'),
        ),
        migrations.AddIndex(
            model_name='matter',
            index=models.Index(fields=['commune', 'channel', '-received_at'],
                               name='matter_inbox_channel'),
        ),
        migrations.AddIndex(
            model_name='matter',
            index=models.Index(fields=['commune', 'field_of_law', '-received_at'],
                               name='matter_inbox_field'),
        ),
        migrations.AddIndex(
            model_name='matterdeadline',
            index=models.Index(condition=models.Q(('open', True)), fields=['due'],
                               include=('matter', 'rule_key'), name='deadline_open_due'),
        ),
    ]
