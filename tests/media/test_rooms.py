"""One Janus room per hearing."""

from __future__ import annotations

import pytest

from tiepdan.media.rooms import room_for_hearing, room_id_for


def test_it_gives_a_hearing_the_same_room_every_time():
    assert room_id_for("hearing-42") == room_id_for("hearing-42") == room_for_hearing(
        "hearing-42").room_id


def test_it_gives_hearings_different_rooms():
    ids = {room_id_for(f"hearing-{n}") for n in range(2000)}
    assert len(ids) == 2000


def test_it_keeps_room_ids_safe_for_browsers():
    assert all(0 < room_id_for(f"h{n}") < 2**53 for n in range(2000))


def test_it_makes_a_new_random_secret_each_time():
    first, second = room_for_hearing("hearing-42"), room_for_hearing("hearing-42")
    assert first.secret != second.secret and len(first.secret) >= 32


def test_it_rejects_an_empty_key():
    with pytest.raises(ValueError):
        room_for_hearing("")
