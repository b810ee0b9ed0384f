"""The Biên bản lists the hearing's recordings with the SHA-256 of their signed manifest and of
each file (issue 15 §3), so the signed minutes prove which recordings they describe."""

from django.db import migrations

MARK = "Trình tự diễn biến theo bản ghi âm, ghi hình (giờ:phút:giây tính từ đầu bản ghi):\n" \
       "{% for t in timeline %}- {{ t.clock }}: {{ t.text }}.\n{% endfor %}{% endif %}"
ADDED = (
    "{% if recordings %}Bản ghi âm, ghi hình của buổi tiếp được lưu trữ làm chứng cứ; bản kê "
    "các tệp có chữ ký số{% if recordings.signed_by %} của {{ recordings.signed_by }}"
    "{% endif %}, mã SHA-256 của bản kê: {{ recordings.manifest_sha256 }}.\n"
    "{% for f in recordings.files %}- {{ f.label }}: tệp {{ f.file }}, SHA-256 {{ f.sha256 }}.\n"
    "{% endfor %}{% endif %}"
)


def update(apps, schema_editor):
    DocumentTemplate = apps.get_model("documents", "DocumentTemplate")
    for template in DocumentTemplate.objects.filter(doc_type="BB",
                                                    template_key="hearing_minutes"):
        if MARK in template.body and "recordings" not in template.body:
            template.body = template.body.replace(MARK, MARK + ADDED)
            template.save(update_fields=["body"])


def revert(apps, schema_editor):
    DocumentTemplate = apps.get_model("documents", "DocumentTemplate")
    for template in DocumentTemplate.objects.filter(doc_type="BB",
                                                    template_key="hearing_minutes"):
        if ADDED in template.body:
            template.body = template.body.replace(ADDED, "")
            template.save(update_fields=["body"])


class Migration(migrations.Migration):
    dependencies = [("documents", "0009_signatures")]

    operations = [migrations.RunPython(update, revert)]
