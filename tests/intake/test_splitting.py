"""Splitting a petition that mixes a complaint and a denunciation (NĐ 154/2026 Đ14)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests import samples
from tests.builders import group_fields, make_matter
from tests.factories import staff_user
from tiepdan.core.errors import Forbidden, InvalidInput
from tiepdan.core.models import AuditEntry, Role
from tiepdan.intake import matter_deadlines
from tiepdan.intake.identity import sealing
from tiepdan.intake.links import splitting
from tiepdan.intake.models import (
    LinkKind,
    Matter,
    MatterDeadline,
    MatterKind,
    MatterLink,
    MatterStatus,
    Representative,
    TriageAction,
    TriageRecord,
)
from tiepdan.notify.models import Channel as NotifyChannel
from tiepdan.notify.models import Delivery
from tiepdan.workdays.deadlines import VN_TZ

pytestmark = pytest.mark.django_db

RECEIVED = dt.datetime(2026, 2, 13, 9, 30, tzinfo=VN_TZ)  # the Friday before Tết 2026

DENUNCIATION = {"kind": "to_cao", "summary": "Tố cáo cán bộ địa chính nhận tiền",
                "content": "Cán bộ địa chính xã nhận tiền để làm nhanh hồ sơ đất."}
COMPLAINT = {"kind": "khieu_nai", "summary": "Khiếu nại quyết định thu hồi đất",
             "content": "Tôi khiếu nại quyết định thu hồi đất số 12/QĐ-UBND."}


#: A group's complaint petition that also denounces an officer, with its representative and
#: an e-mail (registration fields).
MIXED = {"kind": MatterKind.KHIEU_NAI, "email": "binh@example.test",
         "summary": "Khiếu nại thu hồi đất và tố cáo cán bộ địa chính",
         "content": "Khiếu nại quyết định thu hồi đất; tố cáo cán bộ địa chính nhận tiền.",
         "complained_decision": "Quyết định 12/QĐ-UBND", **group_fields(5, "Lê Văn Cường")}


def documents(*names: str) -> list[tuple[str, bytes]]:
    """Documents sent with a registration: a one-page PDF under each name."""
    return [(name, samples.pdf_bytes()) for name in names]


@pytest.fixture
def mixed(an_lao):
    return make_matter(an_lao, since=RECEIVED, **MIXED)


def _split(matter, officer, parts=None, **kwargs):
    return splitting.split_matter(matter, parts if parts is not None else [DENUNCIATION],
                                  actor=officer, reason="Đơn có hai nội dung khác nhau",
                                  **kwargs)


def test_it_creates_a_new_matter_of_the_same_petitioner(mixed, officer):
    [new] = _split(mixed, officer, remaining=COMPLAINT)
    new.refresh_from_db()
    mixed.refresh_from_db()
    assert (new.kind, new.summary, new.status) == ("to_cao", DENUNCIATION["summary"], "new")
    assert new.tracking_code != mixed.tracking_code and len(new.tracking_code) == 14
    # The denunciation part is sealed at once: its columns hold masks, the sealed copy holds
    # the same petitioner, and the digests still match the original's.
    assert new.identity_sealed and new.full_name != mixed.full_name
    sealed = sealing.open_sealed(new)
    assert (sealed.full_name, sealed.id_number, sealed.phone) == (
        mixed.full_name, mixed.id_number, mixed.phone)
    assert (new.id_digest, new.phone_digest) == (mixed.id_digest, mixed.phone_digest)
    assert (new.commune, new.channel) == (mixed.commune, mixed.channel)
    assert new.received_at == RECEIVED
    assert [r.full_name for r in sealed.representatives] == ["Lê Văn Cường"]
    # The original keeps the rest.
    assert (mixed.kind, mixed.summary) == ("khieu_nai", COMPLAINT["summary"])
    assert mixed.content == COMPLAINT["content"]


def test_a_split_denunciation_protects_the_denouncer(mixed, officer):
    [new] = _split(mixed, officer)
    new.refresh_from_db()
    assert new.identity_protection and new.in_person_only and not new.wants_online


def test_deadlines_count_from_the_original_receipt(mixed, officer):
    new, _complaint = _split(mixed, officer, parts=[DENUNCIATION, COMPLAINT])
    due = dict(MatterDeadline.objects.filter(matter=new, open=True)
               .values_list("rule_key", "trigger"))
    assert set(due) == {matter_deadlines.NOTIFY_OUTCOME, matter_deadlines.DENUNCIATION_INITIAL}
    assert set(due.values()) == {dt.date(2026, 2, 13)}
    notify = MatterDeadline.objects.get(matter=new, rule_key=matter_deadlines.NOTIFY_OUTCOME)
    original = MatterDeadline.objects.get(matter=mixed, rule_key=matter_deadlines.NOTIFY_OUTCOME)
    assert notify.due == original.due == dt.date(2026, 3, 6)


def test_the_new_matters_are_linked_and_recorded(mixed, officer):
    new_matters = _split(mixed, officer, parts=[DENUNCIATION, {**COMPLAINT, "kind": "kien_nghi"}])
    links = MatterLink.objects.filter(to_matter=mixed, kind=LinkKind.SPLIT_FROM)
    assert {link.from_matter_id for link in links} == {m.pk for m in new_matters}
    assert all(link.actor == officer for link in links)
    records = TriageRecord.objects.filter(action=TriageAction.SPLIT)
    assert {r.matter_id for r in records} == {mixed.pk, *(m.pk for m in new_matters)}
    assert {r.to_status for r in records} == {MatterStatus.NEW}
    split = AuditEntry.objects.get(type="intake.matter.split")
    assert split.object_id == str(mixed.pk) and split.data["tracking_code"] == mixed.tracking_code
    assert split.text.startswith(f"Tách hồ sơ {mixed.tracking_code} thành")
    parts = AuditEntry.objects.filter(type="intake.matter.split_off",
                                      data__original=mixed.tracking_code)
    assert {e.data["tracking_code"] for e in parts} == {m.tracking_code for m in new_matters}
    assert all(f"từ {mixed.tracking_code}" in e.text and e.actor == officer for e in parts)


def test_the_citizen_is_told_the_new_codes_by_sms_and_email(mixed, officer):
    [new] = _split(mixed, officer)
    sms = Delivery.objects.get(channel=NotifyChannel.SMS, purpose="intake.split")
    mail = Delivery.objects.get(channel=NotifyChannel.EMAIL, purpose="intake.split")
    assert sms.recipient == mixed.phone and new.tracking_code in sms.body_text
    assert mail.recipient == "binh@example.test" and new.tracking_code in mail.body_text
    assert new.tracking_code in mail.subject


def test_chosen_documents_move_to_the_new_matter(an_lao, officer):
    mixed = make_matter(an_lao, since=RECEIVED, **MIXED,
                        documents=documents("bien-lai.pdf", "quyet-dinh.pdf"))
    evidence, decision = mixed.attachments.order_by("original_name")
    [new] = _split(mixed, officer, parts=[{**DENUNCIATION, "attachment_ids": [evidence.pk]}])
    assert list(new.attachments.all()) == [evidence]
    assert list(mixed.attachments.all()) == [decision]


def test_a_new_kind_of_the_original_follows_its_deadlines(mixed, officer):
    _split(mixed, officer, parts=[{**COMPLAINT}], remaining={**DENUNCIATION})
    keys = set(MatterDeadline.objects.filter(matter=mixed, open=True)
               .values_list("rule_key", flat=True))
    assert keys == {matter_deadlines.NOTIFY_OUTCOME, matter_deadlines.DENUNCIATION_INITIAL}


def _counts():
    return (Matter.objects.count(), MatterLink.objects.count(), TriageRecord.objects.count(),
            MatterDeadline.objects.count(), Delivery.objects.count(), AuditEntry.objects.count(),
            Representative.objects.count())


@pytest.mark.parametrize(("parts", "field"), [
    ([], "parts"),
    ([DENUNCIATION, {**COMPLAINT, "kind": "khac"}], "parts.1.kind"),
    ([DENUNCIATION, {**COMPLAINT, "summary": "  "}], "parts.1.summary"),
    ([DENUNCIATION, {**COMPLAINT, "content": ""}], "parts.1.content"),
    ([{**DENUNCIATION, "attachment_ids": [999999]}], "parts.0.attachment_ids"),
], ids=["no part", "bad kind", "empty summary", "empty content", "foreign attachment"])
def test_an_invalid_part_saves_nothing(mixed, officer, parts, field):
    before = _counts()
    with pytest.raises(InvalidInput) as exc:
        _split(mixed, officer, parts=parts)
    assert field in exc.value.field_errors
    assert _counts() == before
    mixed.refresh_from_db()
    assert mixed.kind == "khieu_nai"


def test_a_document_of_another_matter_cannot_be_taken(mixed, officer, an_lao):
    [other] = make_matter(an_lao, documents=documents("khac.pdf")).attachments.all()
    with pytest.raises(InvalidInput):
        _split(mixed, officer, parts=[{**DENUNCIATION, "attachment_ids": [other.pk]}])
    other.refresh_from_db()
    assert other.matter_id != mixed.pk


def test_a_failure_in_a_later_part_rolls_back_the_earlier_ones(mixed, officer, monkeypatch):
    # The second part fails while being saved (after validation): the first must not remain.
    before = _counts()
    real = splitting._create_with_fresh_code
    calls = []

    def fail_second(fields):
        calls.append(fields)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return real(fields)

    monkeypatch.setattr(splitting, "_create_with_fresh_code", fail_second)
    with pytest.raises(RuntimeError):
        _split(mixed, officer, parts=[DENUNCIATION, {**COMPLAINT, "kind": "kien_nghi"}])
    assert _counts() == before


@pytest.mark.parametrize("state", ["accepted", "filed", "refused"])
def test_a_matter_past_triage_cannot_be_split(an_lao, officer, state):
    matter = make_matter(an_lao, state)
    with pytest.raises(InvalidInput) as exc:
        _split(matter, officer)
    assert exc.value.field_errors["__all__"][0]["code"] == "not_splittable"
    assert Matter.objects.count() == 1


def test_a_reader_cannot_split(mixed, an_lao):
    reader = staff_user(Role.COMMUNE_POLICE, commune=an_lao)
    with pytest.raises(Forbidden):
        _split(mixed, reader)
    assert Matter.objects.count() == 1


def test_every_part_of_a_sealed_denunciation_stays_sealed(an_lao, officer):
    """A denunciation that also holds a complaint: the complaint split off it must not show
    the denouncer either, yet it carries the real identity in its own sealed copy."""
    denunciation = make_matter(
        an_lao, since=RECEIVED, kind=MatterKind.TO_CAO,
        summary="Tố cáo cán bộ địa chính và khiếu nại thu hồi đất",
        content="Cán bộ địa chính nhận tiền; khiếu nại quyết định thu hồi đất số 12/QĐ-UBND.")
    assert denunciation.identity_sealed  # sealed by the registration
    [complaint] = _split(denunciation, officer, parts=[COMPLAINT], remaining=DENUNCIATION)
    complaint.refresh_from_db()
    assert complaint.kind == MatterKind.KHIEU_NAI
    assert complaint.identity_sealed
    assert "Trần Thị Bình" not in (complaint.full_name, complaint.content)
    assert sealing.open_sealed(complaint).full_name == "Trần Thị Bình"
    assert sealing.open_sealed(complaint).phone == sealing.open_sealed(denunciation).phone
