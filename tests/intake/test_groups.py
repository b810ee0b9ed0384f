"""Merging members' own registrations into the group matter (Luật Tiếp công dân Đ29–30)."""

from __future__ import annotations

import pytest

from tests.builders import group_fields, make_matter
from tests.factories import staff_user
from tiepdan.core.errors import Forbidden, InvalidInput
from tiepdan.core.models import Role
from tiepdan.intake.links import groups
from tiepdan.intake.models import (
    GroupMember,
    LinkKind,
    MatterDeadline,
    MatterKind,
    MatterLink,
    MatterStatus,
    TriageAction,
    TriageRecord,
)
from tiepdan.intake.status import citizen_status_text
from tiepdan.notify.models import Delivery

pytestmark = pytest.mark.django_db

S = MatterStatus


@pytest.fixture
def group(an_lao):
    return make_matter(an_lao, full_name="Phạm Văn Đoàn", **group_fields(6))


def member(commune, name, phone, state="new", **fields):
    """A member's own registration, brought to ``state`` (by the commune's officer)."""
    return make_matter(commune, state, full_name=name, phone=phone, **fields)


@pytest.fixture
def members(an_lao, officer):
    return [member(an_lao, "Vũ Thị Hoa", "+84912000201"),
            member(an_lao, "Đỗ Văn Khải", "+84912000202", "triaged", officer=officer)]


def test_members_are_named_on_the_group_and_counted(group, members, officer):
    groups.merge_into(group, members, actor=officer, reason="Cùng nội dung với đoàn")
    group.refresh_from_db()
    assert group.group_size == 8
    assert list(group.group_members.values_list("full_name", "phone", "merged_from")) == [
        ("Vũ Thị Hoa", "+84912000201", members[0].pk),
        ("Đỗ Văn Khải", "+84912000202", members[1].pk)]


def test_members_already_counted_by_the_group_do_not_grow_it(group, members, officer):
    groups.merge_into(group, members, actor=officer, reason="Nằm trong đoàn 6 người",
                      already_counted=True)
    group.refresh_from_db()
    assert group.group_size == 6
    assert group.group_members.count() == 2


def test_merged_matters_are_filed_through_the_state_machine(group, members, officer):
    groups.merge_into(group, members, actor=officer, reason="Cùng nội dung với đoàn")
    new_one, triaged_one = members
    steps = list(TriageRecord.objects.filter(matter=new_one).values_list(
        "action", "from_status", "to_status"))
    # A new matter is first classified: the state machine files only classified matters.
    assert steps == [(TriageAction.MERGE, S.NEW, S.TRIAGED), (TriageAction.MERGE, S.TRIAGED,
                                                              S.FILED)]
    first = TriageRecord.objects.filter(matter=new_one).first()
    assert "Phân loại để gộp vào hồ sơ nhóm" in first.reason
    assert list(TriageRecord.objects.filter(matter=triaged_one, action=TriageAction.MERGE)
                .values_list("from_status", "to_status")) == [(S.TRIAGED, S.FILED)]
    for m in members:
        m.refresh_from_db()
        assert m.status == S.FILED
        assert MatterLink.objects.filter(from_matter=m, to_matter=group,
                                         kind=LinkKind.MERGED_INTO).exists()
        assert not MatterDeadline.objects.filter(matter=m, open=True).exists()
    assert TriageRecord.objects.filter(matter=group, action=TriageAction.MERGE).exists()


def test_the_citizen_sees_the_group_code(group, members, officer):
    groups.merge_into(group, members, actor=officer, reason="Cùng nội dung với đoàn")
    assert citizen_status_text(members[0]) == f"Đã gộp vào hồ sơ nhóm {group.tracking_code}."
    assert Delivery.objects.filter(purpose="intake.merge", recipient="+84912000201").exists()


def test_the_public_lookup_page_shows_it(client, group, members, officer):
    groups.merge_into(group, members[:1], actor=officer, reason="Cùng nội dung với đoàn")
    response = client.post("/tra-cuu/", {"code": members[0].tracking_code,
                                         "phone": "0912000201"})
    assert f"Đã gộp vào hồ sơ nhóm {group.tracking_code}" in response.content.decode()


def _state():
    return (list(GroupMember.objects.values_list("pk", flat=True)),
            MatterLink.objects.count(), TriageRecord.objects.count())


@pytest.mark.parametrize("case", [
    "itself", "other commune", "other kind", "accepted", "filed", "member is a group",
    "twice",
])
def test_it_refuses_illegal_merges(group, members, officer, an_lao, lac_phuong, case):
    bad = {
        "itself": lambda: group,
        "other commune": lambda: member(lac_phuong, "Ngô Văn Lâm", "+84912000301"),
        "other kind": lambda: member(an_lao, "Ngô Văn Lâm", "+84912000301",
                                     kind=MatterKind.PHAN_ANH),
        "accepted": lambda: member(an_lao, "Ngô Văn Lâm", "+84912000301", "accepted"),
        "filed": lambda: member(an_lao, "Ngô Văn Lâm", "+84912000301", "filed"),
        "member is a group": lambda: member(an_lao, "Ngô Văn Lâm", "+84912000301",
                                            **group_fields(5)),
        "twice": lambda: members[0],
    }[case]()
    before = _state()
    with pytest.raises(InvalidInput) as exc:
        groups.merge_into(group, [*members, bad], actor=officer, reason="Gộp")
    assert "member_ids" in exc.value.field_errors
    # Nothing of the valid members was merged either.
    assert _state() == before
    group.refresh_from_db()
    assert group.group_size == 6
    assert {m.status for m in members} == {S.NEW, S.TRIAGED}


def test_it_merges_only_into_a_group_still_handled(an_lao, members, officer):
    single = make_matter(an_lao)
    with pytest.raises(InvalidInput) as exc:
        groups.merge_into(single, members, actor=officer, reason="Gộp")
    assert exc.value.field_errors["__all__"][0]["code"] == "not_a_group"
    closed = make_matter(an_lao, "guided", **group_fields(7))
    with pytest.raises(InvalidInput) as exc:
        groups.merge_into(closed, members, actor=officer, reason="Gộp")
    assert exc.value.field_errors["__all__"][0]["code"] == "group_closed"


def test_it_requires_a_reason(group, members, officer):
    with pytest.raises(InvalidInput) as exc:
        groups.merge_into(group, members, actor=officer, reason=" ")
    assert "reason" in exc.value.field_errors


def test_a_reader_cannot_merge(group, members, an_lao):
    with pytest.raises(Forbidden):
        groups.merge_into(group, members, reason="Gộp",
                          actor=staff_user(Role.CITY_OBSERVER, commune=an_lao))
    assert not GroupMember.objects.exists()
