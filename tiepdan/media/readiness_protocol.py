"""The small signalling protocol of the readiness test page: publish a short stream into the
hearing's test room, watch it come back through Janus, then hand in the measurements.  Parsed
and checked like the hearing room's (protocol.parse / protocol.check).  Pure."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field

from .protocol import RULES as ROOM_RULES
from .protocol import SCHEMAS as ROOM_SCHEMAS
from .protocol import Message, Rule

TESTER = "tester"


class Stage:
    JOINED = "joined"  # said hello; may publish, or hand in a result without a path test
    PUBLISHED = "published"  # our stream is in the test room
    LOOPED = "looped"  # watching our own stream back through Janus
    DONE = "done"  # result stored: nothing more on this connection


_TESTER = frozenset({TESTER})
_MEASURING = frozenset({Stage.PUBLISHED, Stage.LOOPED})
RULES: dict[str, Rule] = {
    "publish": Rule(_TESTER, frozenset({Stage.JOINED}), {"sdp": str}),
    "subscribe": Rule(_TESTER, frozenset({Stage.PUBLISHED}), {}),
    "answer": Rule(_TESTER, frozenset({Stage.LOOPED}), {"sdp": str}),
    "trickle": Rule(_TESTER, _MEASURING, {}, {"loop": bool, "candidate": (dict, type(None))}),
    "result": Rule(_TESTER, frozenset({Stage.JOINED, *_MEASURING}), {"metrics": dict}),
    "client_error": Rule(_TESTER, frozenset({Stage.JOINED, *_MEASURING, Stage.DONE}),
                         ROOM_RULES["client_error"].fields),
}


class Result(Message):
    metrics: Annotated[dict[str, Any], Field(max_length=100)]


class LoopTrickle(Message):
    loop: bool | None = None
    candidate: dict[str, Any] | None = None


SCHEMAS: dict[str, type[Message]] = {
    "hello": ROOM_SCHEMAS["hello"], "publish": ROOM_SCHEMAS["publish"],
    "answer": ROOM_SCHEMAS["publish"], "trickle": LoopTrickle, "result": Result,
    "client_error": ROOM_SCHEMAS["client_error"],
}
