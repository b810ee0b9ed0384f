"""The default Biên bản template lists the floor grants of the hearing and ends with the
reading-back that the chair, the writer and the citizen sign (the signature blocks are laid out
by the renderer); the conclusion notice names the chair before their title.  Only a template still as 0005 wrote it is changed: an edited one is kept."""

import importlib

from django.db import migrations

_0005 = importlib.import_module("tiepdan.documents.migrations.0005_minutes_conclusion_templates")
OLD = _0005.MINUTES_BODY
OLD_NOTICE = _0005.NOTICE_BODY
# The chair's name, then their title, set off by commas: "…, Vũ Văn Chủ, Chủ tịch UBND xã An Lão,
# chủ trì …" (not "Vũ Văn Chủ chủ trì").
NOTICE_BODY = OLD_NOTICE.replace(
    "Ngày {{ hearing_date_text }}, {{ chair_position }} {{ issuer_short }} {{ chair }} chủ trì",
    "Ngày {{ hearing_date_text }}, {{ chair }}, {{ chair_position }} {{ issuer_short }}, chủ trì")

MINUTES_BODY = """\
{% if replaces %}Biên bản này sửa đổi, thay thế Biên bản số {{ replaces }}.
{% endif %}\
# I. THỜI GIAN, ĐỊA ĐIỂM
{{ opening }}
# II. THÀNH PHẦN THAM DỰ
Chủ trì: {{ chair }}.
Người tham dự tại từng điểm cầu:
{% for point in points %}- {{ point.title }}: {{ point.people }}.
{% endfor %}\
Người ghi biên bản: {{ secretary_name }}.
# III. VỤ VIỆC ĐƯỢC TIẾP
{% for m in matters %}{{ forloop.counter }}. Hồ sơ {{ m.code }} ({{ m.kind }}): {{ m.summary }}.
{% endfor %}\
# IV. DIỄN BIẾN BUỔI TIẾP
{{ proceedings }}
{% if floor_grants %}Các lượt phát biểu được người chủ trì cho phép:
{% for g in floor_grants %}- {{ g.clock }}: {{ g.text }}.
{% endfor %}{% endif %}\
{% if timeline %}Trình tự diễn biến theo bản ghi âm, ghi hình (giờ:phút:giây tính từ đầu bản ghi):
{% for t in timeline %}- {{ t.clock }}: {{ t.text }}.
{% endfor %}{% endif %}\
# V. Ý KIẾN CỦA CÔNG DÂN
{% if citizen_opinions %}{{ citizen_opinions }}{% else %}Công dân không có ý kiến thêm.{% endif %}
# VI. KẾT LUẬN CỦA NGƯỜI CHỦ TRÌ
{{ chair_conclusion }}
Buổi tiếp được ghi âm, ghi hình đầy đủ và lưu trữ theo quy định. Biên bản đã được đọc lại cho \
những người tham dự cùng nghe, thống nhất; người chủ trì, người ghi biên bản ký và công dân ký \
xác nhận dưới đây./."""


def update(apps, schema_editor):
    DocumentTemplate = apps.get_model("documents", "DocumentTemplate")
    DocumentTemplate.objects.filter(doc_type="BB", template_key="hearing_minutes",
                                    body=OLD).update(body=MINUTES_BODY)
    DocumentTemplate.objects.filter(doc_type="TB", template_key="conclusion_notice",
                                    body=OLD_NOTICE).update(body=NOTICE_BODY)


def revert(apps, schema_editor):
    DocumentTemplate = apps.get_model("documents", "DocumentTemplate")
    DocumentTemplate.objects.filter(doc_type="BB", template_key="hearing_minutes",
                                    body=MINUTES_BODY).update(body=OLD)
    DocumentTemplate.objects.filter(doc_type="TB", template_key="conclusion_notice",
                                    body=NOTICE_BODY).update(body=OLD_NOTICE)


class Migration(migrations.Migration):
    dependencies = [("documents", "0007_issued_document_superseded")]

    operations = [migrations.RunPython(update, revert)]
