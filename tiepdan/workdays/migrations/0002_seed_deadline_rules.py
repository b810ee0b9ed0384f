"""Seed the deadline catalogue (domain brief §7).  Values frozen here on purpose: the shipped
defaults in ``tiepdan.workdays.catalogue`` must match them (tests/workdays/test_rule_table.py)."""

from django.db import migrations

AN_LAO = "Quy chế tiếp công dân trực tuyến của UBND xã An Lão (QĐ ngày 01/7/2026)"

RULES = [
    # key, label_vi, amount, unit, direction, legal_source
    ("notify_outcome", "Thông báo kết quả xử lý cho công dân", 10, "working_days", "forward",
     "Luật Tiếp công dân 2013, Điều 28 khoản 1"),
    ("forward_result", "Cơ quan nhận chuyển đơn thông báo kết quả cho nơi chuyển", 7,
     "working_days", "forward", "Luật Tiếp công dân 2013, Điều 27 khoản 2"),
    ("relay_result", "Ban Tiếp công dân thông báo kết quả cho công dân", 5, "working_days",
     "forward", "Luật Tiếp công dân 2013, Điều 28 khoản 2"),
    ("publish_schedule", "Công khai lịch tiếp công dân của người đứng đầu", 5, "working_days",
     "backward", "Luật Tiếp công dân 2013, Điều 24 khoản 4"),
    ("refusal_notice", "Thông báo từ chối tiếp công dân (Mẫu 01/TCD)", 3, "working_days",
     "forward", "Nghị định 154/2026/NĐ-CP, Điều 4"),
    ("petition_processing", "Xử lý đơn", 10, "working_days", "forward",
     "TT 05/2021/TT-TTCP; TTHC 315145 (đơn vị ngày làm việc chưa xác minh)"),
    ("complaint_acceptance", "Thụ lý giải quyết khiếu nại", 7, "working_days", "forward",
     "Nghị định 155/2026/NĐ-CP, Điều 10"),
    ("denunciation_initial_processing", "Xử lý ban đầu thông tin tố cáo", 7, "working_days",
     "forward", "Luật Tố cáo 2018, Điều 24 khoản 1"),
    ("denunciation_forwarding", "Chuyển đơn tố cáo không thuộc thẩm quyền", 5, "working_days",
     "forward", "Luật Tố cáo 2018, Điều 24 khoản 2"),
    ("notify_parties", "Thông báo cho người khiếu nại và các cơ quan tham gia", 5,
     "working_days", "backward",
     f"{AN_LAO}, Điều 5 khoản 1; Nghị định 154/2026/NĐ-CP, Điều 23"),
    ("report_to_city", "Báo cáo UBND thành phố Hải Phòng", 5, "calendar_days", "backward",
     f"{AN_LAO}, Điều 6 khoản 1 điểm a"),
    ("invitations_issued", "Phát hành Giấy mời", 3, "calendar_days", "backward",
     f"{AN_LAO}, Điều 6 khoản 1 điểm a"),
    ("connection_test", "Kiểm tra, kết nối thử với các điểm cầu thành phần", 1, "working_days",
     "backward", f"{AN_LAO}, Điều 5 khoản 1 và Điều 6 khoản 1 điểm a"),
    ("final_check", "Kiểm tra lại đường truyền", 2, "hours", "backward",
     f"{AN_LAO}, Điều 6 khoản 1 điểm a"),
    ("all_connected", "Hoàn tất kết nối các điểm cầu", 1, "hours", "backward",
     f"{AN_LAO}, Điều 5 khoản 1; Nghị định 154/2026/NĐ-CP, Điều 23"),
]


def seed(apps, schema_editor):
    DeadlineRule = apps.get_model("workdays", "DeadlineRule")
    for key, label, amount, unit, direction, source in RULES:
        DeadlineRule.objects.update_or_create(
            key=key,
            defaults={"label_vi": label, "amount": amount, "unit": unit,
                      "direction": direction, "legal_source": source},
        )


def unseed(apps, schema_editor):
    DeadlineRule = apps.get_model("workdays", "DeadlineRule")
    DeadlineRule.objects.filter(key__in=[rule[0] for rule in RULES]).delete()


class Migration(migrations.Migration):
    dependencies = [("workdays", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
