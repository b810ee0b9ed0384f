"""Default template of the Báo cáo kết quả công tác tiếp công dân (periodic report to the city
People's Committee): a "BC" report with its own template key. Editable in the admin afterwards.
"""

from django.db import migrations

RESULTS_BODY = """\
Thực hiện chế độ báo cáo công tác tiếp công dân, {{ issuer }} báo cáo kết quả \
{{ period_label_lower }} ({{ period_range }}) như sau:
# I. TÌNH HÌNH TIẾP CÔNG DÂN, TIẾP NHẬN ĐƠN
{{ received_text }}
{{ channel_text }}
{% if fields_text %}{{ fields_text }}{% endif %}
{{ hearings_text }}
{{ deadlines_text }}
{{ follow_up_text }}
# II. KẾT QUẢ ĐẠT ĐƯỢC
{{ achievements }}
# III. KHÓ KHĂN, VƯỚNG MẮC
{{ difficulties }}
# IV. ĐỀ XUẤT, KIẾN NGHỊ
{{ proposals }}
Trên đây là báo cáo kết quả công tác tiếp công dân {{ period_label_lower }} của {{ issuer }}./."""

TEMPLATE = {
    "doc_type": "BC",
    "template_key": "results_report",
    "name": "Báo cáo kết quả công tác tiếp công dân (định kỳ)",
    "subject": "Kết quả công tác tiếp công dân {{ period_label_lower }}",
    "body": RESULTS_BODY,
    "recipients": "Như trên\nBan Tiếp công dân thành phố\nChủ tịch, các Phó Chủ tịch UBND xã",
}


def add_template(apps, schema_editor):
    DocumentTemplate = apps.get_model("documents", "DocumentTemplate")
    active = not DocumentTemplate.objects.filter(
        doc_type=TEMPLATE["doc_type"], template_key=TEMPLATE["template_key"], is_active=True,
    ).exists()
    DocumentTemplate.objects.get_or_create(
        doc_type=TEMPLATE["doc_type"], template_key=TEMPLATE["template_key"],
        name=TEMPLATE["name"], defaults={**TEMPLATE, "archive_unit": "VP", "is_active": active},
    )


def remove_template(apps, schema_editor):
    DocumentTemplate = apps.get_model("documents", "DocumentTemplate")
    DocumentTemplate.objects.filter(template_key=TEMPLATE["template_key"]).delete()


class Migration(migrations.Migration):
    dependencies = [("documents", "0005_minutes_conclusion_templates")]

    operations = [migrations.RunPython(add_template, remove_template)]
