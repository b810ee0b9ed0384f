"""One body per commune however its name is typed: a key shared by every spelling of a name
("- Xây dựng", "– Xây dựng"), and the bodies a typed list had split in two merged back (the
oldest stays; the others' tasks and representatives move to it)."""

from django.db import migrations, models

from tiepdan.core.lists import clean_name, list_key


def merge_spellings(apps, schema_editor):
    Body = apps.get_model("followup", "Body")
    Task = apps.get_model("followup", "FollowUpTask")
    kept: dict[tuple[int, str], object] = {}
    for body in Body.objects.order_by("pk"):
        key = (body.commune_id, list_key(body.name))
        first = kept.get(key)
        if first is None:
            body.name, body.name_key = clean_name(body.name), key[1]
            body.save(update_fields=["name", "name_key"])
            kept[key] = body
            continue
        Task.objects.filter(body=body).update(body=first)
        first.members.add(*body.members.all())
        if not first.email and body.email:
            first.email = body.email
            first.save(update_fields=["email"])
        body.delete()


class Migration(migrations.Migration):

    dependencies = [
        ('followup', '0001_initial'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='body',
            name='followup_body_name',
        ),
        migrations.AddField(
            model_name='body',
            name='name_key',
            field=models.CharField(default='', editable=False, max_length=200),
        ),
        migrations.RunPython(merge_spellings, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='body',
            constraint=models.UniqueConstraint(fields=('commune', 'name_key'), name='followup_body_name_key'),
        ),
    ]
