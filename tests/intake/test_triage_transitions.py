"""The transition table of a matter and the one function that applies a transition."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.builders import make_matter
from tiepdan.core.errors import InvalidInput
from tiepdan.core.models import AuditEntry, Commune
from tiepdan.intake.models import Matter, MatterStatus, TriageRecord
from tiepdan.intake.triage import state_machine as triage

pytestmark = pytest.mark.django_db

S = MatterStatus


def matter_in(commune: Commune, status: str) -> Matter:
    """A matter brought to ``status`` along the office's road (tests.builders): each status of
    the table is reached the way a real matter reaches it, with its records."""
    held = status in (S.HEARD, S.CONCLUDED, S.CLOSED)  # its hearing lies in the past
    return make_matter(commune, str(status),
                        since=timezone.now() - dt.timedelta(days=60) if held else None)


ALLOWED = [
    (S.NEW, S.TRIAGED, "phân loại"),
    (S.NEW, S.REFUSED, "từ chối ngay khi tiếp nhận"),
    (S.TRIAGED, S.ACCEPTED, "thụ lý"),
    (S.TRIAGED, S.GUIDED, "hướng dẫn"),
    (S.TRIAGED, S.FORWARDED, "chuyển đơn"),
    (S.TRIAGED, S.RETURNED, "trả lại đơn"),
    (S.TRIAGED, S.FILED, "lưu đơn"),
    (S.TRIAGED, S.REFUSED, "từ chối sau phân loại"),
    (S.ACCEPTED, S.SCHEDULED, "xếp lịch tiếp"),
    (S.SCHEDULED, S.HEARD, "đã tiếp"),
    (S.SCHEDULED, S.ACCEPTED, "hủy buổi tiếp, trả về đã thụ lý"),
    (S.HEARD, S.CONCLUDED, "có kết luận"),
    (S.CONCLUDED, S.CLOSED, "kết thúc sau kết luận"),
    (S.GUIDED, S.CLOSED, "kết thúc sau hướng dẫn"),
    (S.FORWARDED, S.CLOSED, "kết thúc sau chuyển đơn"),
    (S.RETURNED, S.CLOSED, "kết thúc sau trả đơn"),
    (S.FILED, S.CLOSED, "kết thúc sau lưu đơn"),
    (S.REFUSED, S.CLOSED, "kết thúc sau từ chối"),
]

ILLEGAL = [
    (S.NEW, S.ACCEPTED, "thụ lý khi chưa phân loại"),
    (S.NEW, S.SCHEDULED, "xếp lịch khi chưa thụ lý"),
    (S.NEW, S.CLOSED, "kết thúc hồ sơ mới"),
    (S.TRIAGED, S.TRIAGED, "phân loại hai lần"),
    (S.TRIAGED, S.SCHEDULED, "xếp lịch khi chưa thụ lý"),
    (S.ACCEPTED, S.REFUSED, "từ chối sau khi đã thụ lý"),
    (S.ACCEPTED, S.CLOSED, "kết thúc khi chưa tiếp"),
    (S.GUIDED, S.ACCEPTED, "thụ lý sau khi đã hướng dẫn"),
    (S.REFUSED, S.TRIAGED, "phân loại đơn đã từ chối"),
    (S.SCHEDULED, S.CONCLUDED, "kết luận khi chưa tiếp"),
    (S.CLOSED, S.NEW, "mở lại hồ sơ đã kết thúc"),
    (S.CLOSED, S.TRIAGED, "phân loại hồ sơ đã kết thúc"),
]


def test_it_lists_every_status_in_the_table():
    assert set(triage.TRANSITIONS) == set(MatterStatus)
    assert triage.TRANSITIONS[S.CLOSED] == frozenset()


def test_it_allows_exactly_the_listed_transitions():
    listed = {(a, b) for a, b, _ in ALLOWED}
    table = {(a, b) for a, targets in triage.TRANSITIONS.items() for b in targets}
    assert table == listed


@pytest.mark.parametrize(("old", "new"), [(a, b) for a, b, _ in ALLOWED],
                         ids=[why for *_, why in ALLOWED])
def test_it_applies_an_allowed_transition(an_lao, officer, old, new):
    matter = matter_in(an_lao, old)
    assert matter.status == old
    before = set(TriageRecord.objects.values_list("pk", flat=True))
    result = triage.transition(matter.pk, new, actor=officer, reason="Theo quy trình")
    matter.refresh_from_db()
    assert result.status == matter.status == new
    record = TriageRecord.objects.exclude(pk__in=before).get(matter=matter)
    assert (record.from_status, record.to_status, record.actor) == (old, new, officer)
    assert record.reason == "Theo quy trình"


@pytest.mark.parametrize(("old", "new"), [(a, b) for a, b, _ in ILLEGAL],
                         ids=[why for *_, why in ILLEGAL])
def test_it_rejects_an_illegal_transition(an_lao, officer, old, new):
    matter = matter_in(an_lao, old)
    records = TriageRecord.objects.count()
    with pytest.raises(triage.IllegalTransition) as exc:
        triage.transition(matter.pk, new, actor=officer, reason="Thử")
    assert exc.value.status == 409
    assert exc.value.code == "illegal_transition"
    assert "Không thể chuyển hồ sơ" in str(exc.value.message)
    matter.refresh_from_db()
    assert matter.status == old
    assert TriageRecord.objects.count() == records


def test_it_writes_an_audit_entry_with_the_actor_and_reason(an_lao, officer):
    matter = matter_in(an_lao, S.NEW)
    triage.transition(matter.pk, S.TRIAGED, actor=officer, reason="Đủ thông tin để phân loại")
    entry = AuditEntry.objects.filter(type="intake.matter.transitioned").get()
    assert entry.actor == officer
    assert entry.commune == an_lao
    assert (entry.object_type, entry.object_id) == ("intake.matter", str(matter.pk))
    assert entry.reason == "Đủ thông tin để phân loại"
    assert (entry.data["tracking_code"], entry.data["from_status"], entry.data["to_status"]) == (
        matter.tracking_code, "new", "triaged")
    assert "new → triaged" in entry.text


def test_it_requires_a_reason(an_lao, officer):
    matter = matter_in(an_lao, S.NEW)
    with pytest.raises(InvalidInput) as exc:
        triage.transition(matter.pk, S.TRIAGED, actor=officer, reason="  ")
    assert "reason" in exc.value.field_errors
    matter.refresh_from_db()
    assert matter.status == S.NEW


def test_it_leaves_nothing_half_applied_when_the_audit_fails(an_lao, officer, monkeypatch):
    matter = matter_in(an_lao, S.NEW)

    def broken(*args, **kwargs):
        raise RuntimeError("audit store unavailable")

    monkeypatch.setattr(triage.audit, "record", broken)
    with pytest.raises(RuntimeError):
        triage.transition(matter.pk, S.TRIAGED, actor=officer, reason="Thử", kind="to_cao",
                          field_of_law="Đất đai")
    matter.refresh_from_db()
    assert (matter.status, matter.kind, matter.field_of_law) == (S.NEW, "kien_nghi", "")
    assert not TriageRecord.objects.exists()


def test_it_checks_the_status_in_the_database_not_a_stale_copy(an_lao, officer):
    stale = matter_in(an_lao, S.NEW)
    triage.transition(stale.pk, S.REFUSED, actor=officer, reason="Gây rối trật tự")
    assert stale.status == S.NEW  # another officer's page, loaded before the refusal
    with pytest.raises(triage.IllegalTransition):
        triage.classify(stale, kind="to_cao", field_of_law="Đất đai", actor=officer,
                        reason="Phân loại")
    stale.refresh_from_db()
    assert stale.status == S.REFUSED
