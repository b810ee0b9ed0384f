"""Staff pages fast on a million matters (bench/pages.py): the commune of every deadline copied
onto it (filled here for existing rows, in one UPDATE), a partial index of open deadlines by
commune and due date (the dashboard's counts, the inbox's deadline filters), one of a matter's
open deadlines by due date (the inbox's nearest due) and one for the inbox filtered by status
and kind in received order (its count read from the index alone)."""

import django.db.models.deletion
from django.db import migrations, models


def fill_commune(apps, schema_editor):
    deadline_model = apps.get_model("intake", "MatterDeadline")
    matter_model = apps.get_model("intake", "Matter")
    deadline_model.objects.filter(commune__isnull=True).update(
        commune_id=models.Subquery(
            matter_model.objects.filter(pk=models.OuterRef("matter_id")).values("commune_id")[:1]
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0006_durable_steps"),
        ("intake", "0009_attachment_uploaded_from"),
    ]

    operations = [
        migrations.AddField(
            model_name="matterdeadline",
            name="commune",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="core.commune",
            ),
        ),
        migrations.RunPython(fill_commune, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="matterdeadline",
            name="commune",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="core.commune",
            ),
        ),
        migrations.AddIndex(
            model_name="matterdeadline",
            index=models.Index(
                condition=models.Q(("open", True)),
                fields=["commune", "due"],
                include=("matter", "rule_key"),
                name="deadline_open_commune_due",
            ),
        ),
        migrations.AddIndex(
            model_name="matterdeadline",
            index=models.Index(
                condition=models.Q(("open", True)),
                fields=["matter", "due"],
                name="deadline_open_matter_due",
            ),
        ),
        migrations.AddIndex(
            model_name="matter",
            index=models.Index(
                fields=["commune", "status", "kind", "-received_at", "-id"],
                name="matter_inbox_status",
            ),
        ),
    ]
