"""Every document the product issues, rendered from the demo data through the product's own
services (load_demo, then confirm, hold, minutes, conclusion, refusal, results report): each
has every part NĐ 30/2020 requires and no phrase written twice in a row ("Điểm cầu Điểm cầu",
"trực tuyến: Tiếp công dân trực tuyến"); signature blocks follow who signs."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
import time_machine
from django.contrib.auth import get_user_model
from docx import Document

from tiepdan.demo import data
from tiepdan.documents.models import DocumentTemplate, IssuedDocument
from tiepdan.documents.wording import labelled, repeated_phrases, without_leading
from tiepdan.hearings import planning
from tiepdan.hearings.models import BridgePoint, Hearing
from tiepdan.minutes import conclusions
from tiepdan.minutes import services as minutes
from tiepdan.minutes.models import Outcome
from tiepdan.reports.narrative import Narrative, issue_results_report
from tiepdan.reports.periods import Period
from tiepdan.workdays.deadlines import VN_TZ

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 12, 1, 9, 0, tzinfo=VN_TZ)
User = get_user_model()
NAMES = [(f"{prefix}.{suffix}", family, given) for prefix in ("anlao", "lacphuong")
         for suffix, family, given in (("vanphong", "Đỗ Thị Hồng", "Nhung"),
                                       ("chutich", "Vũ Văn", "Chủ"),
                                       ("phochutich", "Bùi Thị", "Phương"))]


def _lines(document: IssuedDocument) -> list[str]:
    """Every paragraph of the DOCX, tables (header, signatures) included, in order."""
    docx = Document(io.BytesIO(document.docx_file.open("rb").read()))
    lines = [p.text for p in docx.paragraphs]
    for table in docx.tables:
        for row in table.rows:
            for cell in row.cells:
                lines += [p.text for p in cell.paragraphs]
    return [" ".join(line.split()) for line in lines if line.strip()]


def _officer(hearing: Hearing):  # noqa: ANN202
    prefix = "anlao" if hearing.commune.ward_code == 11629 else "lacphuong"
    return User.objects.get(username=f"{prefix}.vanphong")


def _issue_everything(capture) -> dict[str, list[IssuedDocument]]:
    with time_machine.travel(NOW, tick=False) as clock:
        with capture(execute=True):
            data.load(now=NOW)
        # Realistic names as written ("Họ đệm Tên"; the demo's "Vũ Văn Chủ Tịch" would read
        # "Vũ Văn Chủ Tịch, Chủ tịch …" — a doubled phrase the check below rightly refuses).
        for username, family, given in NAMES:
            User.objects.filter(username=username).update(last_name=family, first_name=given)
        officer = User.objects.get(username="anlao.vanphong")
        vice = User.objects.get(username="lacphuong.phochutich")
        an_lao = Hearing.objects.get(commune__ward_code=11629)
        lac_phuong = Hearing.objects.get(commune__ward_code=11140)
        # Names as staff type them: the label already in the name, the title already "online".
        BridgePoint.objects.filter(hearing=an_lao, is_central=False).update(
            name="Điểm cầu Nhà văn hóa thôn Hàm Hy")
        Hearing.objects.filter(pk=an_lao.pk).update(
            title="Tiếp công dân trực tuyến: định kỳ tháng 12", city_leaders_attend=True)
        Hearing.objects.filter(pk=lac_phuong.pk).update(chair=vice)
        for hearing in (an_lao, lac_phuong):
            hearing.refresh_from_db()
            with capture(execute=True):
                planning.confirm_hearing(hearing, actor=_officer(hearing))
        clock.move_to(an_lao.starts_at + dt.timedelta(hours=2))
        for hearing in (an_lao, lac_phuong):
            hearing.refresh_from_db()
            hearing_officer = _officer(hearing)
            planning.mark_held(hearing, actor=hearing_officer)
            draft = minutes.draft_minutes(hearing, actor=hearing_officer)
            minutes.update_sections(draft, actor=hearing_officer,
                                    proceedings="Công dân trình bày kiến nghị về tuyến đường.",
                                    chair_conclusion="Giao các cơ quan kiểm tra, trả lời.")
            with capture(execute=True):
                minutes.finalise(draft, actor=hearing_officer)
            for item in hearing.agenda.select_related("matter"):
                conclusion = conclusions.record_conclusion(
                    hearing, item.matter, actor=hearing.chair, outcome=Outcome.ASSIGNED,
                    directions="Kiểm tra hiện trạng tuyến đường, báo cáo kết quả.",
                    responsible_bodies=[{"name": "Công chức Địa chính – Xây dựng"},
                                        {"name": "Công an xã"}],
                    deadline_working_days=10)
                with capture(execute=True):
                    conclusions.issue_conclusion_notice(conclusion, actor=hearing.chair)
        an_lao_commune = an_lao.commune
        issue_results_report(
            an_lao_commune, Period.of("quarter", 2026, 4, today=NOW.date()),
            Narrative("Tiếp nhận, xử lý đúng hạn.", "Đường truyền thôn xa còn chập chờn.",
                      "Đề nghị hỗ trợ thiết bị cho điểm cầu."), actor=officer)
    issued: dict[str, list[IssuedDocument]] = {}
    for document in IssuedDocument.objects.order_by("pk"):
        issued.setdefault(f"{document.doc_type}:{document.template_key}", []).append(document)
    return issued


@pytest.fixture
def issued(django_capture_on_commit_callbacks) -> dict[str, list[IssuedDocument]]:
    return _issue_everything(django_capture_on_commit_callbacks)


def test_every_active_template_was_issued(issued):
    kinds = {f"{t.doc_type}:{t.template_key}"
             for t in DocumentTemplate.objects.filter(is_active=True)}
    assert kinds <= set(issued), f"never issued: {kinds - set(issued)}"


def test_every_document_has_the_parts_of_nd30_and_no_doubled_phrase(issued):
    for kind, documents in issued.items():
        for document in documents:
            lines = _lines(document)
            text = "\n".join(lines)
            where = f"{kind} {document.symbol}"
            assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text, where  # quốc hiệu
            assert "Độc lập - Tự do - Hạnh phúc" in text, where  # tiêu ngữ
            assert "ỦY BAN NHÂN DÂN" in text and document.commune.name.upper()[3:] in text, where
            assert re.search(rf"Số: {document.number:02d}/{document.doc_type}-UBND", text), where
            assert re.search(r"\w+, ngày \d{2} tháng \d{2} năm \d{4}", text), where
            layout = document.context["layout"]
            assert layout["type_title"].upper() in lines, where  # tên loại
            assert layout["subject"] and layout["subject"] in lines, where  # trích yếu
            assert len(layout["paragraphs"]) >= 2, where  # nội dung
            assert document.signer_name and document.signer_name in lines, where  # họ tên
            assert layout["signer"]["position"].upper() in lines, where  # chức vụ
            assert "Nơi nhận:" in lines and any(line.startswith("- Lưu: VT") for line in lines)
            for line in lines:
                assert not repeated_phrases(line), f"{where}: {line!r}"


def test_signature_blocks_follow_who_signs(issued):
    by_commune = {}
    for document in issued["TB:conclusion_notice"]:
        by_commune[document.commune.ward_code] = _lines(document)
    chairman, vice = by_commune[11629], by_commune[11140]
    assert "TM. ỦY BAN NHÂN DÂN" in chairman and "CHỦ TỊCH" in chairman
    assert "Vũ Văn Chủ" in chairman
    assert "KT. CHỦ TỊCH" in vice and "PHÓ CHỦ TỊCH" in vice and "Bùi Thị Phương" in vice
    assert "TM. ỦY BAN NHÂN DÂN" not in vice


def test_the_minutes_are_signed_by_chair_and_writer_and_confirmed_by_the_citizen(issued):
    [an_lao] = [d for d in issued["BB:hearing_minutes"] if d.commune.ward_code == 11629]
    lines = _lines(an_lao)
    assert "NGƯỜI CHỦ TRÌ" in lines and "Vũ Văn Chủ" in lines
    assert "NGƯỜI GHI BIÊN BẢN" in lines and "Đỗ Thị Hồng Nhung" in lines
    assert "XÁC NHẬN CỦA CÔNG DÂN" in lines
    text = "\n".join(lines)
    assert "- Điểm cầu Nhà văn hóa thôn Hàm Hy:" in text
    assert "Người tham dự tại từng điểm cầu:" in text


@pytest.mark.parametrize(("label", "value", "expected"), [
    ("Điểm cầu", "Nhà văn hóa thôn Đông", "Điểm cầu Nhà văn hóa thôn Đông"),
    ("Điểm cầu", "Điểm cầu thôn Đông", "Điểm cầu thôn Đông"),
    ("Điểm cầu", "điểm cầu  thôn Đông", "điểm cầu thôn Đông"),
], ids=["adds-the-label", "label-already-there", "any-case-and-spacing"])
def test_a_label_is_never_written_twice(label, value, expected):
    assert labelled(label, value) == expected


def test_a_title_loses_the_words_the_label_says():
    assert without_leading("Tiếp công dân trực tuyến: định kỳ", "Tiếp công dân trực tuyến"
                           ) == "định kỳ"
    assert repeated_phrases("Buổi tiếp công dân trực tuyến: Tiếp công dân trực tuyến: X") == [
        "tiếp công dân trực tuyến"]
    assert repeated_phrases("ngày 01 tháng 01 năm 2026, 10 10") == []
