"""Lĩnh vực becomes a list per commune: every commune gets the standard list plus the fields
its matters were classified in before (each spelling of one field mapped to the one most used,
e.g. "đất đai" and "Đất  đai" to "Đất đai"), so existing values stay readable and choosable."""

from collections import Counter

import django.db.models.deletion
from django.db import migrations, models

from tiepdan.core.lists import clean_name, list_key

# A copy of intake.triage.fields.STANDARD_FIELDS as it was when this migration was written.
STANDARD_FIELDS = (
    "Đất đai", "Xây dựng", "Môi trường", "Giao thông", "Nông nghiệp", "Chính sách xã hội",
    "Y tế, giáo dục", "Tư pháp, hộ tịch", "Cán bộ, công chức", "Tài chính, thuế",
    "An ninh, trật tự", "Khác",
)


def map_existing_fields(apps, schema_editor):
    Commune = apps.get_model("core", "Commune")
    Matter = apps.get_model("intake", "Matter")
    FieldOfLaw = apps.get_model("intake", "FieldOfLaw")
    for commune in Commune.objects.all():
        spellings: dict[str, Counter] = {}
        rows = (Matter.objects.filter(commune=commune).exclude(field_of_law="")
                .values_list("field_of_law").annotate(n=models.Count("id")).order_by())
        for value, n in rows:
            key = list_key(value)
            if key:
                spellings.setdefault(key, Counter())[value] += n
        names = {list_key(name): name for name in STANDARD_FIELDS}
        for key, counter in spellings.items():
            names.setdefault(key, clean_name(counter.most_common(1)[0][0]))
        for position, (key, name) in enumerate(names.items(), start=1):
            FieldOfLaw.objects.create(commune=commune, name=name, name_key=key,
                                      position=position)
        for key, counter in spellings.items():
            for value in counter:
                if value != names[key]:
                    Matter.objects.filter(commune=commune, field_of_law=value).update(
                        field_of_law=names[key])


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0001_initial'),
        ('intake', '0006_inbox_search'),
    ]

    operations = [
        migrations.CreateModel(
            name='FieldOfLaw',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=120, verbose_name='lĩnh vực')),
                ('name_key', models.CharField(editable=False, max_length=120)),
                ('position', models.PositiveSmallIntegerField(default=0, verbose_name='thứ tự')),
                ('is_active', models.BooleanField(default=True, verbose_name='đang dùng')),
                ('commune', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='fields_of_law', to='core.commune')),
            ],
            options={
                'verbose_name': 'lĩnh vực',
                'verbose_name_plural': 'lĩnh vực',
                'ordering': ['commune', 'position', 'name'],
                'constraints': [models.UniqueConstraint(fields=('commune', 'name_key'), name='field_of_law_once_per_commune')],
            },
        ),
        migrations.RunPython(map_existing_fields, migrations.RunPython.noop),
    ]
