"""Default template of the Thông báo từ chối tiếp công dân (Mẫu 01/TCD, NĐ 154/2026; Luật Tiếp
công dân Đ9): a "TB" notice with its own template key. Editable in the admin afterwards."""

from django.db import migrations

REFUSAL_BODY = """\
Ngày {{ visit_date_text }}, {{ issuer }} tiếp nhận đơn {{ kind_label|lower }} của \
{{ salutation|lower }} {{ citizen_name }}.
{{ id_label }} số: {{ id_number }}{% if id_issue_date_text %}, cấp ngày \
{{ id_issue_date_text }}{% endif %}{% if id_issue_place %}, nơi cấp: {{ id_issue_place }}\
{% endif %}.
Địa chỉ: {{ address }}.
Loại đơn: {{ kind_label }}. Nội dung tóm tắt: {{ summary }}.
Căn cứ {{ legal_basis }}, {{ issuer }} thông báo từ chối tiếp {{ salutation|lower }} \
{{ citizen_name }}.
Lý do: {{ reason }}.
{{ issuer }} thông báo để {{ salutation|lower }} {{ citizen_name }} được biết./."""

TEMPLATE = {
    "doc_type": "TB",
    "template_key": "refusal_01_tcd",
    "name": "Thông báo từ chối tiếp công dân (Mẫu 01/TCD)",
    "subject": "Từ chối tiếp công dân",
    "body": REFUSAL_BODY,
    "recipients": "Như trên\nChủ tịch, các Phó Chủ tịch UBND xã",
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
    dependencies = [("documents", "0003_template_key")]

    operations = [migrations.RunPython(add_template, remove_template)]
