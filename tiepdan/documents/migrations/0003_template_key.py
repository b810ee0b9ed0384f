"""A template key tells apart kinds of document within one NĐ 30 type (e.g. two "TB")."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('documents', '0002_default_templates'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='documenttemplate',
            name='documenttemplate_one_active_per_type',
        ),
        migrations.AddField(
            model_name='documenttemplate',
            name='template_key',
            field=models.CharField(blank=True, default='', help_text='Để trống cho mẫu mặc định của loại văn bản; "refusal_01_tcd" cho Thông báo từ chối tiếp công dân (Mẫu 01/TCD).', max_length=40, verbose_name='mã mẫu'),
        ),
        migrations.AddField(
            model_name='issueddocument',
            name='template_key',
            field=models.CharField(blank=True, default='', max_length=40, verbose_name='mã mẫu'),
        ),
        migrations.AddConstraint(
            model_name='documenttemplate',
            constraint=models.UniqueConstraint(condition=models.Q(('is_active', True)), fields=('doc_type', 'template_key'), name='documenttemplate_one_active_per_type'),
        ),
    ]
