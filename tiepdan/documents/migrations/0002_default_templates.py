"""Default Vietnamese templates: Giấy mời, Thông báo lịch tiếp and Báo cáo gửi UBND thành phố
about an online citizen-reception session. Editable in the admin afterwards."""

from django.db import migrations

INVITATION_BODY = """\
{{ issuer }} trân trọng kính mời: {{ invitees }}.
Tới dự: {{ event }}.
Chủ trì: {{ chair }}.
Thời gian: {{ when }}.
Địa điểm: {{ location }}.{% if online_link %}
Đường dẫn tham gia trực tuyến: {{ online_link }}{% endif %}{% if note %}
{{ note }}{% endif %}
Đề nghị đại biểu tham dự đúng thành phần, thời gian; đại biểu dự tại điểm cầu thành phần \
hoàn thành kết nối, kiểm tra đường truyền trước giờ bắt đầu ít nhất 01 giờ, luôn bật camera và \
chỉ bật micro khi phát biểu./."""

NOTICE_BODY = """\
Thực hiện Luật Tiếp công dân năm 2013 và kế hoạch triển khai tiếp công dân trực tuyến trên địa \
bàn xã, {{ issuer }} thông báo lịch tiếp công dân trực tuyến như sau:
{% for session in sessions %}- {{ session.when }}: {{ session.host }} chủ trì tiếp công dân \
trực tuyến tại {{ session.location }}.
{% endfor %}\
Công dân có nhu cầu tham gia tiếp công dân trực tuyến đăng ký trên Cổng tiếp công dân trực \
tuyến của xã hoặc trực tiếp tại Văn phòng HĐND và UBND xã{% if register_until_text %} trước \
ngày {{ register_until_text }}{% endif %}, ghi rõ họ tên, số định danh cá nhân, địa chỉ, số \
điện thoại và tóm tắt nội dung kiến nghị, phản ánh, khiếu nại, tố cáo.{% if contact %}
Đầu mối liên hệ: {{ contact }}.{% endif %}
{{ issuer }} thông báo để các cơ quan, đơn vị và Nhân dân trên địa bàn xã biết, thực hiện./."""

REPORT_BODY = """\
Thực hiện Luật Tiếp công dân năm 2013 và Quy chế tiếp công dân trực tuyến, {{ issuer }} báo cáo \
{{ city_committee }} kế hoạch tổ chức buổi tiếp công dân trực tuyến như sau:
# 1. Thời gian, địa điểm
- Thời gian: {{ when }}.
- Điểm cầu trung tâm: {{ location }}.{% if component_points %}
- Điểm cầu thành phần: {{ component_points }}.{% endif %}
# 2. Thành phần
- Chủ trì: {{ chair }}.
- Cán bộ Văn phòng HĐND và UBND xã, công chức chuyên môn có liên quan, cán bộ kỹ thuật vận \
hành hệ thống và Công an xã bảo đảm an ninh, trật tự.
# 3. Nội dung
- Dự kiến tiếp {{ matter_count }} vụ việc{% if matters %}: {{ matters }}{% endif %}.
- Buổi tiếp công dân được ghi âm, ghi hình đầy đủ và lưu trữ theo quy định.
# 4. Đề xuất, kiến nghị
{% if proposal %}{{ proposal }}{% else %}Kính đề nghị Ủy ban nhân dân thành phố quan tâm, chỉ \
đạo và cử đại diện lãnh đạo tham dự tại điểm cầu (nếu có).{% endif %}
{{ issuer }} trân trọng báo cáo./."""

TEMPLATES = [
    {
        "doc_type": "GM",
        "name": "Giấy mời dự buổi tiếp công dân trực tuyến",
        "subject": "Dự buổi tiếp công dân trực tuyến",
        "body": INVITATION_BODY,
        "recipients": "Như trên\nChủ tịch, các Phó Chủ tịch UBND xã",
    },
    {
        "doc_type": "TB",
        "name": "Thông báo lịch tiếp công dân trực tuyến",
        "subject": "Lịch tiếp công dân trực tuyến của {{ issuer_short }}",
        "body": NOTICE_BODY,
        "recipients": "Thanh tra Thành phố\nBan Tiếp công dân thành phố\n"
                      "TT Đảng ủy, TT HĐND xã\nChủ tịch, các Phó Chủ tịch UBND xã\n"
                      "Các phòng, ban, ngành của xã\nTrưởng các thôn\n"
                      "Trang thông tin điện tử xã",
    },
    {
        "doc_type": "BC",
        "name": "Báo cáo UBND thành phố về buổi tiếp công dân trực tuyến dự kiến",
        "subject": "Dự kiến tổ chức buổi tiếp công dân trực tuyến",
        "body": REPORT_BODY,
        "recipients": "Như trên\nThanh tra Thành phố\nBan Tiếp công dân thành phố\n"
                      "TT Đảng ủy, TT HĐND xã\nChủ tịch, các Phó Chủ tịch UBND xã",
    },
]


def add_templates(apps, schema_editor):
    DocumentTemplate = apps.get_model("documents", "DocumentTemplate")
    for values in TEMPLATES:
        active = not DocumentTemplate.objects.filter(doc_type=values["doc_type"],
                                                     is_active=True).exists()
        DocumentTemplate.objects.get_or_create(
            doc_type=values["doc_type"], name=values["name"],
            defaults={**values, "archive_unit": "VP", "is_active": active},
        )


def remove_templates(apps, schema_editor):
    DocumentTemplate = apps.get_model("documents", "DocumentTemplate")
    for values in TEMPLATES:
        DocumentTemplate.objects.filter(doc_type=values["doc_type"], name=values["name"]).delete()


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial")]

    operations = [migrations.RunPython(add_templates, remove_templates)]
