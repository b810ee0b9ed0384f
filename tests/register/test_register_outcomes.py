"""Every triage outcome writes the matter into the Sổ tiếp công dân, once, with its columns;
later statuses update the follow-up column."""

from __future__ import annotations

import pytest
from django.utils import timezone

from tiepdan.intake.models import MatterKind, MatterStatus, RefusalGround
from tiepdan.intake.register.columns import row_of
from tiepdan.intake.register.models import RegisterEntry
from tiepdan.intake.register.services import record_outcome
from tiepdan.intake.triage import state_machine as triage

from .conftest import decided, registered

pytestmark = pytest.mark.django_db

S = MatterStatus


# outcome → (status, col. 9 thẩm quyền, col. 10 hướng dẫn đến, col. 11 cơ quan thụ lý, notes)
OUTCOMES = [
    pytest.param("accept", S.ACCEPTED, "x", "", "Ủy ban nhân dân xã An Lão", "",
                 id="accept-the-commune-accepts"),
    pytest.param("guide", S.GUIDED, "", "Tòa án nhân dân khu vực 7 (số văn bản 12/HD-UBND)", "",
                 "", id="guide-where-to-go-and-letter"),
    pytest.param("forward", S.FORWARDED, "", "",
                 "Thanh tra Thành phố (số văn bản 34/PC-UBND)", "",
                 id="forward-receiving-body-and-letter"),
    pytest.param("return", S.RETURNED, "", "UBND xã Lạc Phượng (số văn bản 56/HD-UBND)", "",
                 "Đã trả lại đơn", id="return-with-guidance"),
    pytest.param("file", S.FILED, "x", "", "", "Lưu đơn", id="file-noted"),
]


@pytest.mark.parametrize(("outcome", "status", "competence", "guided", "handled", "notes"),
                         OUTCOMES)
def test_each_decision_writes_one_entry_with_its_columns(
        an_lao, officer, outcome, status, competence, guided, handled, notes):
    matter = decided(an_lao, officer, outcome, prior_agency="UBND xã cũ", is_group="on",
                     group_size=6, rep_1_name="Nguyễn Văn Đại Diện")
    entry = RegisterEntry.objects.get(matter=matter)
    assert (entry.commune, entry.outcome, entry.follow_up_status) == (an_lao, status, status)
    cells = row_of(entry).cells
    assert cells[0] == 1
    assert cells[1] == timezone.localtime(matter.received_at).strftime("%d/%m/%Y")
    assert cells[2].startswith("Trần Thị Bình, Thôn Hàm Hy") and cells[3] == "031185000101"
    assert (cells[4], cells[5], cells[6], cells[7]) == (
        "Kiến nghị sửa đường", "Kiến nghị", 6, "UBND xã cũ")
    assert (cells[8], cells[9], cells[10], cells[12]) == (competence, guided, handled, notes)
    assert cells[11].startswith(str(status.label))


def test_a_refusal_writes_one_entry_with_its_ground(an_lao, officer):
    matter = registered(an_lao)
    triage.refuse(matter, ground=RefusalGround.PERSISTENT, actor=officer, reason="Đã trả lời")
    entry = RegisterEntry.objects.get(matter=matter)
    assert (entry.outcome, entry.refusal_ground) == (S.REFUSED, "persistent")
    notes = row_of(entry).cells[12]
    assert notes.startswith("Từ chối tiếp; Cố tình khiếu nại, tố cáo kéo dài")


def test_classification_alone_writes_nothing(an_lao, officer):
    matter = registered(an_lao)
    triage.classify(matter, kind=MatterKind.KIEN_NGHI, field_of_law="Giao thông",
                    actor=officer, reason="Phân loại")
    assert not RegisterEntry.objects.exists()


def test_recording_an_outcome_twice_keeps_one_entry(an_lao, officer):
    matter = decided(an_lao, officer, "accept")
    record = matter.triage_records.get(to_status=S.ACCEPTED)
    assert record_outcome(matter, record) == RegisterEntry.objects.get(matter=matter)
    assert RegisterEntry.objects.count() == 1


@pytest.mark.parametrize("status", [S.SCHEDULED, S.HEARD, S.CONCLUDED, S.CLOSED])
def test_later_statuses_update_the_follow_up_column(an_lao, officer, status):
    matter = decided(an_lao, officer, "accept")
    path = [S.SCHEDULED, S.HEARD, S.CONCLUDED, S.CLOSED]
    for step in path[:path.index(status) + 1]:
        triage.transition(matter.pk, step, actor=officer, reason="Tiếp tục xử lý")
    entry = RegisterEntry.objects.get(matter=matter)
    assert (entry.outcome, entry.follow_up_status) == (S.ACCEPTED, status)
    assert row_of(entry).cells[11].startswith(str(status.label))


def test_a_failed_outcome_writes_nothing(an_lao, officer):
    matter = registered(an_lao)  # not classified: a decision is not allowed yet
    with pytest.raises(triage.IllegalTransition):
        triage.decide(matter, outcome="file", within_competence=True, actor=officer,
                      reason="Lưu")
    assert not RegisterEntry.objects.exists()
