"""Default templates of the Biên bản buổi tiếp công dân (BB, key "hearing_minutes") and of the
Thông báo kết luận việc tiếp công dân (TB, key "conclusion_notice"; NĐ 154/2026 Đ25, NĐ 30
Mẫu 1.4). Editable in the admin afterwards."""

from django.db import migrations

MINUTES_BODY = """\
{% if replaces %}Biên bản này sửa đổi, thay thế Biên bản số {{ replaces }}.
{% endif %}\
# I. THỜI GIAN, ĐỊA ĐIỂM
{{ opening }}
# II. THÀNH PHẦN THAM DỰ
Chủ trì: {{ chair }}.
{% for point in points %}- {{ point.title }}: {{ point.people }}.
{% endfor %}\
Người ghi biên bản: {{ secretary_name }}.
# III. VỤ VIỆC ĐƯỢC TIẾP
{% for m in matters %}{{ forloop.counter }}. Hồ sơ {{ m.code }} ({{ m.kind }}): {{ m.summary }}.
{% endfor %}\
# IV. DIỄN BIẾN BUỔI TIẾP
{{ proceedings }}
{% if timeline %}Trình tự phát biểu theo bản ghi âm, ghi hình (giờ:phút:giây tính từ đầu bản ghi):
{% for t in timeline %}- {{ t.clock }}: {{ t.text }}.
{% endfor %}{% endif %}\
# V. Ý KIẾN CỦA CÔNG DÂN
{% if citizen_opinions %}{{ citizen_opinions }}{% else %}Công dân không có ý kiến thêm.{% endif %}
# VI. KẾT LUẬN CỦA NGƯỜI CHỦ TRÌ
{{ chair_conclusion }}
Buổi tiếp được ghi âm, ghi hình đầy đủ và lưu trữ theo quy định. Biên bản đã được đọc lại cho \
những người tham dự cùng nghe và thống nhất./."""

NOTICE_BODY = """\
Ngày {{ hearing_date_text }}, {{ chair_position }} {{ issuer_short }} {{ chair }} chủ trì buổi \
tiếp công dân trực tuyến{% if location %} tại {{ location }}{% endif %}, tiếp {{ citizen_text }} \
về vụ việc có mã hồ sơ {{ matter_code }}: {{ summary }}.
Sau khi nghe công dân trình bày và ý kiến của các cơ quan, đơn vị có liên quan, \
{{ chair_position }} {{ issuer_short }} kết luận như sau:
# Hướng xử lý: {{ outcome_label }}.
{{ directions }}
{% if bodies %}Cơ quan, đơn vị chịu trách nhiệm thực hiện: {{ bodies|join:"; " }}.
{% endif %}{% if deadline_text %}Thời hạn thực hiện: {{ deadline_text }}.
{% endif %}{% if contact_person %}Đầu mối liên hệ: {{ contact_person }}.
{% endif %}\
{{ issuer }} thông báo để {{ citizen_text }} và các cơ quan, đơn vị có liên quan biết, thực \
hiện./."""

TEMPLATES = [
    {
        "doc_type": "BB",
        "template_key": "hearing_minutes",
        "name": "Biên bản buổi tiếp công dân trực tuyến",
        "subject": "Buổi tiếp công dân trực tuyến ngày {{ hearing_date_text }}",
        "body": MINUTES_BODY,
        "recipients": "Chủ tịch, các Phó Chủ tịch UBND xã\nHồ sơ buổi tiếp công dân",
    },
    {
        "doc_type": "TB",
        "template_key": "conclusion_notice",
        "name": "Thông báo kết luận việc tiếp công dân",
        "subject": "Kết luận của {{ chair_position }} {{ issuer_short }} tại buổi tiếp công dân "
                   "ngày {{ hearing_date_text }}",
        "body": NOTICE_BODY,
        "recipients": "Như trên\n{% for body in bodies %}{{ body }}\n{% endfor %}"
                      "Chủ tịch, các Phó Chủ tịch UBND xã",
    },
]


def add_templates(apps, schema_editor):
    DocumentTemplate = apps.get_model("documents", "DocumentTemplate")
    for values in TEMPLATES:
        active = not DocumentTemplate.objects.filter(
            doc_type=values["doc_type"], template_key=values["template_key"], is_active=True,
        ).exists()
        DocumentTemplate.objects.get_or_create(
            doc_type=values["doc_type"], template_key=values["template_key"],
            name=values["name"], defaults={**values, "archive_unit": "VP", "is_active": active},
        )


def remove_templates(apps, schema_editor):
    DocumentTemplate = apps.get_model("documents", "DocumentTemplate")
    for values in TEMPLATES:
        DocumentTemplate.objects.filter(doc_type=values["doc_type"],
                                        template_key=values["template_key"]).delete()


class Migration(migrations.Migration):
    dependencies = [("documents", "0004_refusal_notice_template")]

    operations = [migrations.RunPython(add_templates, remove_templates)]
