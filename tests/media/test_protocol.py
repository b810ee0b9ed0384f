"""Which signalling messages each role may send, and their shapes (pure)."""

from __future__ import annotations

import pytest

from tiepdan.media.live import Stage
from tiepdan.media.protocol import MAX_MESSAGE_BYTES, ProtocolError, check, parse


@pytest.mark.parametrize(("message", "role", "stage", "code"), [
    pytest.param({"type": "subscribe", "feed": "1"}, "participant", Stage.ROOM, "bad_message",
                 id="feed-as-string"),
    pytest.param({"type": "subscribe", "feed": True}, "participant", Stage.ROOM, "bad_message",
                 id="feed-as-bool"),
    pytest.param({"type": "publish"}, "participant", Stage.ROOM, "bad_message", id="no-sdp"),
    pytest.param({"type": "publish", "sdp": "v=0"}, "observer", Stage.ROOM, "forbidden",
                 id="observer-publishes"),
    pytest.param({"type": "publish", "sdp": "v=0"}, "participant", Stage.LOBBY, "out_of_order",
                 id="publish-from-lobby"),
    pytest.param({"type": "grant_floor", "participant": "p1", "seconds": "60"}, "chair",
                 Stage.ROOM, "bad_message", id="seconds-as-string"),
    pytest.param({"type": "unmute"}, "chair", Stage.ROOM, "forbidden", id="chair-unmutes-self"),
    pytest.param({"type": "admit", "participant": "p1"}, "chair", Stage.ROOM, "forbidden",
                 id="chair-admits"),
])
def test_it_rejects(message, role, stage, code):
    with pytest.raises(ProtocolError) as refused:
        check(message, role, stage)
    assert refused.value.code == code


@pytest.mark.parametrize(("message", "role"), [
    ({"type": "grant_floor", "participant": "p1", "seconds": 120}, "chair"),
    ({"type": "grant_floor", "participant": "p1"}, "chair"),
    ({"type": "admit", "participant": "p1"}, "operator"),
    ({"type": "trickle", "candidate": None}, "participant"),
    ({"type": "trickle", "feed": 5, "candidate": {"candidate": "x", "sdpMid": "0"}}, "observer"),
    ({"type": "stats", "stats": {"rtt": 0.01}}, "participant"),
])
def test_it_accepts(message, role):
    check(message, role, Stage.ROOM)


@pytest.mark.parametrize(("text", "code"), [
    ("[1, 2]", "bad_message"), ('{"type": 3}', "bad_message"), ("", "bad_json"),
    (None, "bad_json"), ("é" * (MAX_MESSAGE_BYTES // 2 + 1), "too_large"),
])
def test_it_rejects_frames_that_are_not_messages(text, code):
    with pytest.raises(ProtocolError) as refused:
        parse(text)
    assert refused.value.code == code
