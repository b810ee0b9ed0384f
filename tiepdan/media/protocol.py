"""The signalling protocol between a browser and the app: what each message must carry, who
may send it and at which stage.  Pure: no Django, no Janus."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from .join_links import PUBLISHING_ROLES, Role
from .live import Stage

MAX_MESSAGE_BYTES = 64 * 1024
ANY = frozenset({Role.CHAIR, Role.OPERATOR, Role.PARTICIPANT, Role.OBSERVER})
STAFF_IN_ROOM = frozenset({Role.CHAIR, Role.OPERATOR})


@dataclass(frozen=True)
class Rule:
    roles: frozenset[str]
    stages: frozenset[str]
    fields: dict[str, type | tuple[type, ...]]  # required fields and their JSON types
    optional: dict[str, type | tuple[type, ...]] | None = None


_ROOM = frozenset({Stage.ROOM})
RULES: dict[str, Rule] = {
    "rules_accepted": Rule(ANY, frozenset({Stage.RULES}), {}),
    "device_check_ok": Rule(ANY, frozenset({Stage.DEVICE_CHECK}), {}),
    "identity_checked": Rule(frozenset({Role.OPERATOR}), _ROOM, {"participant": str}),
    "admit": Rule(frozenset({Role.OPERATOR}), _ROOM, {"participant": str}),
    "publish": Rule(PUBLISHING_ROLES, _ROOM, {"sdp": str}),
    "subscribe": Rule(ANY, _ROOM, {"feed": int}),
    "answer": Rule(ANY, _ROOM, {"feed": int, "sdp": str}),
    "trickle": Rule(ANY, _ROOM, {}, {"feed": int, "candidate": (dict, type(None))}),
    "raise_hand": Rule(frozenset({Role.PARTICIPANT}), _ROOM, {}),
    "lower_hand": Rule(frozenset({Role.PARTICIPANT}), _ROOM, {}),
    "grant_floor": Rule(frozenset({Role.CHAIR}), _ROOM, {"participant": str},
                        {"seconds": int}),
    "revoke_floor": Rule(frozenset({Role.CHAIR}), _ROOM, {}),
    "end_hearing": Rule(frozenset({Role.CHAIR}), _ROOM, {}),
    "mute_all": Rule(frozenset({Role.CHAIR}), _ROOM, {}),
    # Nobody unmutes themselves: only a grant does (Điều 12).  Listed so that it is refused as
    # "forbidden", not as an unknown message.
    "unmute": Rule(frozenset(), _ROOM, {}),
    "stats": Rule(ANY, _ROOM, {"stats": dict}),
}
CHAIR_ONLY = frozenset(t for t, r in RULES.items() if r.roles == frozenset({Role.CHAIR}))


class ProtocolError(Exception):
    """``code`` is one of: too_large, bad_json, bad_message, unknown_type, forbidden,
    out_of_order, not_joined."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def parse(text: str | None) -> dict[str, Any]:
    if text is None:
        raise ProtocolError("bad_json", "Chỉ nhận tin nhắn dạng văn bản JSON.")
    if len(text.encode("utf-8", "surrogatepass")) > MAX_MESSAGE_BYTES:
        raise ProtocolError("too_large", "Tin nhắn quá lớn.")
    try:
        message = json.loads(text)
    except ValueError:
        raise ProtocolError("bad_json", "Tin nhắn không phải JSON hợp lệ.") from None
    if not isinstance(message, dict) or not isinstance(message.get("type"), str):
        raise ProtocolError("bad_message", "Tin nhắn thiếu trường type.")
    return message


def check(message: dict[str, Any], role: str, stage: str,
          rules: dict[str, Rule] | None = None) -> Rule:
    """Raise ProtocolError unless ``role`` may send ``message`` at ``stage`` (under ``rules``:
    the hearing room's by default, the readiness test page's in readiness_protocol.py)."""
    kind = message["type"]
    rule = (RULES if rules is None else rules).get(kind)
    if rule is None:
        raise ProtocolError("unknown_type", f"Loại tin nhắn không được hỗ trợ: {kind[:40]}")
    if role not in rule.roles:
        raise ProtocolError("forbidden", "Bạn không có quyền thực hiện thao tác này.")
    if stage not in rule.stages:
        raise ProtocolError("out_of_order", "Thao tác này chưa thực hiện được ở bước hiện tại.")
    for name, kinds in rule.fields.items():
        if not _is(message.get(name), kinds):
            raise ProtocolError("bad_message", f"Trường {name} thiếu hoặc sai kiểu.")
    for name, kinds in (rule.optional or {}).items():
        if name in message and message[name] is not None and not _is(message[name], kinds):
            raise ProtocolError("bad_message", f"Trường {name} sai kiểu.")
    return rule


def _is(value: Any, kinds: type | tuple[type, ...]) -> bool:
    if isinstance(value, bool) and kinds in (int, (int,)):
        return False
    return isinstance(value, kinds)
