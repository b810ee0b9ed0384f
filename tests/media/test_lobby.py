"""Admission and the lobby (media.lobby), without a socket: where a member goes after the
device check, what the operator must check before admitting, what a member may watch and see."""

from __future__ import annotations

import pytest

from tiepdan.media import lobby
from tiepdan.media.join_links import Joiner, Role
from tiepdan.media.live import LiveRoom, Member, Stage


def member(key: str, role: str = Role.PARTICIPANT, *, stage: str = Stage.RULES,
           citizen: bool = False, feed: int | None = None) -> Member:
    return Member(key=key, role=role, name=f"Name {key}", channel_name=f"chan-{key}",
                  bridge_point_id=None, bridge_point_name=f"Point {key}", is_citizen=citizen,
                  stage=stage, feed_id=feed)


def room(*members: Member) -> LiveRoom:
    return LiveRoom(hearing_id=1, room_pk=1, janus_room_id=1, secret="s",
                    members={m.key: m for m in members})


@pytest.mark.parametrize(("role", "admitted", "stage"), [
    pytest.param(Role.PARTICIPANT, False, Stage.LOBBY, id="a bridge point waits in the lobby"),
    pytest.param(Role.PARTICIPANT, True, Stage.ROOM, id="an admitted point that rejoins skips it"),
    pytest.param(Role.CHAIR, False, Stage.ROOM, id="the chair enters directly"),
    pytest.param(Role.OPERATOR, False, Stage.ROOM, id="the operator enters directly"),
    pytest.param(Role.OBSERVER, False, Stage.ROOM, id="an observer enters directly"),
])
def test_the_stage_after_the_device_check(role, admitted, stage):
    me = member("p1", role)
    here = room(me)
    if admitted:
        here.admitted.add("p1")
    assert lobby.stage_after_device_check(here, me) == stage


def test_the_rules_lead_to_the_device_check():
    me = member("p1")
    assert lobby.stage_after_rules(room(me), me) == Stage.DEVICE_CHECK


def test_it_admits_a_point_from_the_lobby_and_remembers_it():
    here = room(member("p1", stage=Stage.LOBBY))
    admitted = lobby.admit(here, "p1")
    assert admitted.stage == Stage.ROOM and "p1" in here.admitted


def test_it_refuses_to_admit_a_citizen_whose_identity_was_not_checked():
    here = room(member("c1", stage=Stage.LOBBY, citizen=True))
    with pytest.raises(lobby.LobbyError) as refused:
        lobby.admit(here, "c1")
    assert refused.value.code == "identity_not_checked"
    assert here.members["c1"].stage == Stage.LOBBY and not here.admitted
    lobby.check_identity(here, "c1")
    assert lobby.admit(here, "c1").stage == Stage.ROOM


@pytest.mark.parametrize(("key", "stage", "code"), [
    pytest.param("p1", Stage.ROOM, "out_of_order", id="already in the room"),
    pytest.param("p1", Stage.DEVICE_CHECK, "out_of_order", id="not yet in the lobby"),
    pytest.param("nobody", Stage.LOBBY, "bad_message", id="no such participant"),
])
def test_it_refuses_to_admit(key, stage, code):
    here = room(member("p1", stage=stage))
    with pytest.raises(lobby.LobbyError) as refused:
        lobby.admit(here, key)
    assert refused.value.code == code
    assert not here.admitted


def test_checking_the_identity_of_nobody_is_refused():
    with pytest.raises(lobby.LobbyError) as refused:
        lobby.check_identity(room(), "nobody")
    assert refused.value.code == "bad_message"


def test_a_member_watches_only_another_members_feed_in_the_room():
    me = member("p1", stage=Stage.ROOM, feed=11)
    here = room(me, member("p2", stage=Stage.ROOM, feed=12),
                member("p3", stage=Stage.LOBBY, feed=13))
    lobby.check_watchable(here, me, 12)
    for feed in (11, 13, 99):  # its own, one waiting in the lobby, none
        with pytest.raises(lobby.LobbyError):
            lobby.check_watchable(here, me, feed)


def test_a_member_outside_the_room_sees_only_itself():
    here = room(member("p1", stage=Stage.LOBBY), member("c1", stage=Stage.ROOM, citizen=True))
    here.queue, here.floor = ["c1"], "c1"
    snapshot = here.snapshot()
    waiting = lobby.visible_state(snapshot, "p1", Stage.LOBBY)
    assert [p["key"] for p in waiting["participants"]] == ["p1"]
    assert waiting["queue"] == [] and waiting["floor"] is None
    assert lobby.visible_state(snapshot, "c1", Stage.ROOM) == snapshot


def test_a_member_back_within_the_grace_period_finds_its_raised_hand():
    here = room(member("p1", stage=Stage.ROOM))
    here.queue.append("p1")
    gone = lobby.leave(here, "p1", "chan-p1")
    assert gone is not None and "p1" not in here.members and "p1" in here.departed
    back = member("p1", stage=Stage.ROOM)
    assert lobby.enter(here, back) is None
    assert back.hand_raised and "p1" not in here.departed


def test_leaving_from_another_connection_leaves_the_member_in_place():
    here = room(member("p1"))
    assert lobby.leave(here, "p1", "chan-other") is None
    assert "p1" in here.members


def test_entering_over_a_member_left_behind_returns_it():
    left_behind = member("p1")
    here = room(left_behind)
    assert lobby.enter(here, member("p1")) is left_behind


@pytest.mark.parametrize(("role", "opens"), [(Role.CHAIR, True), (Role.OPERATOR, False),
                                             (Role.PARTICIPANT, False)])
def test_only_the_chair_opens_the_session(role, opens):
    joiner = Joiner(hearing_id=1, key="k", role=role, name="N", bridge_point_id=None,
                    bridge_point_name="")
    assert lobby.opens_session(joiner) is opens
