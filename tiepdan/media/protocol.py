"""The signalling protocol between a browser and the app: what each message must carry, who
may send it and at which stage.  Pure: no database, no Janus (only gettext, for the member's
language of the refusals)."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Annotated, Any, ClassVar

from django.utils.translation import gettext as _
from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator
from pydantic import ValidationError as SchemaError
from pydantic_core import PydanticCustomError

from tiepdan.core.text import has_refused, map_strings, nfc

from .join_links import PUBLISHING_ROLES, Role
from .live import Stage
from .rules import MAX_CLIENT_ERROR_CHARS

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
    # A failure in the page (media, a script error): logged (client_errors.py), never answered.
    "client_error": Rule(ANY, frozenset({Stage.RULES, Stage.DEVICE_CHECK, Stage.LOBBY,
                                         Stage.ROOM}), {"where": str, "message": str}),
}
CHAIR_ONLY = frozenset(t for t, r in RULES.items() if r.roles == frozenset({Role.CHAIR}))


# -- Schemas: every client message is validated against its type's schema before a handler runs.
# Strict types (a string is never taken for a number); unknown fields are dropped.  Every string
# is in NFC and refuses what ``core.text.is_refused`` refuses (control characters, lone
# surrogates, bidi overrides; line breaks only in the fields named ``multiline``), as in forms
# and the API: refused, not stripped, so the client learns of it (an error reply, never a crash).

TEXT_ERROR = "control_characters"
#: Also a refused text: strict pydantic refuses a lone surrogate before our validator runs.
TEXT_ERRORS = frozenset({TEXT_ERROR, "string_unicode"})


class CleanModel(BaseModel):
    model_config = ConfigDict(strict=True, extra="ignore", frozen=True)
    #: Fields whose text may span lines (an SDP is lines separated by CRLF).
    multiline: ClassVar[frozenset[str]] = frozenset()

    @field_validator("*", mode="after")
    @classmethod
    def _clean_text(cls, value: Any, info: ValidationInfo) -> Any:
        multiline = info.field_name in cls.multiline

        def clean(text: str) -> str:
            if has_refused(text, multiline=multiline):
                raise PydanticCustomError(TEXT_ERROR, "control characters")
            return nfc(text)

        return map_strings(value, clean)


class Message(CleanModel):
    type: str


Key = Annotated[str, Field(min_length=1, max_length=100)]
Sdp = Annotated[str, Field(min_length=1, max_length=MAX_MESSAGE_BYTES)]
FeedId = Annotated[int, Field(ge=0, le=2**53)]
Measure = Annotated[float, Field(ge=0, le=1e9)] | None


class Hello(Message):
    # Any shape: a token that is not a string is a bad join link (refused and closed with 4403
    # by the join-link check), not a malformed message.
    token: Any = None


class ToParticipant(Message):
    participant: Key


class Publish(Message):
    multiline = frozenset({"sdp"})
    sdp: Sdp


class Subscribe(Message):
    feed: FeedId


class Answer(Message):
    multiline = frozenset({"sdp"})
    feed: FeedId
    sdp: Sdp


class Trickle(Message):
    feed: FeedId | None = None
    candidate: dict[str, Any] | None = None


class GrantFloor(Message):
    participant: Key
    seconds: Annotated[int, Field(ge=1, le=4 * 3600)] | None = None


class StatsValues(CleanModel):
    """What a browser measures of its connection (room.js collectStats)."""

    kbps_out: Measure = None
    kbps_in: Measure = None
    loss_pct: Annotated[float, Field(ge=0, le=100)] | None = None
    rtt_ms: Measure = None
    fps_out: Measure = None
    state: Annotated[str, Field(max_length=40)] | None = None


class Stats(Message):
    stats: StatsValues


class ClientError(Message):
    """A failure in the page, reported for the server's log (room and readiness pages)."""

    where: Annotated[str, Field(min_length=1, max_length=60)]
    message: Annotated[str, Field(max_length=MAX_CLIENT_ERROR_CHARS)]


SCHEMAS: dict[str, type[Message]] = {
    "hello": Hello, "identity_checked": ToParticipant, "admit": ToParticipant,
    "publish": Publish, "subscribe": Subscribe, "answer": Answer, "trickle": Trickle,
    "grant_floor": GrantFloor, "stats": Stats, "client_error": ClientError,
}


def clean(message: dict[str, Any], schemas: dict[str, type[Message]] | None = None
          ) -> dict[str, Any]:
    """``message`` validated against the schema of its type (the hearing room's by default):
    only the fields the schema knows, of the right types.  ``ProtocolError("bad_message")``
    names the first wrong field, never its value (it is the client's text)."""
    schema = (SCHEMAS if schemas is None else schemas).get(message["type"], Message)
    try:
        return schema.model_validate(message).model_dump()
    except SchemaError as exc:
        error = exc.errors()[0]
        where = ".".join(str(p) for p in error["loc"]) or "type"
        if error["type"] in TEXT_ERRORS:
            raise ProtocolError("bad_message", _("Trường %(field)s chứa ký tự điều khiển "
                                                 "không hợp lệ.") % {"field": where[:60]}) from None
        raise ProtocolError("bad_message", _("Trường %(field)s thiếu hoặc sai kiểu.")
                            % {"field": where[:60]}) from None


# -- Limits of one connection ---------------------------------------------------------------

AUTH_TIMEOUT_SECONDS = 10  # a socket that has not said a valid hello by then is closed
MAX_BAD_MESSAGES = 5  # refused messages before the socket is closed
RATE_BURST = 60  # messages at once (ICE candidates come in bursts) ...
RATE_PER_SECOND = 20.0  # ... and on average
CLOSE_BAD_MESSAGES = 4400
CLOSE_NOT_AUTHENTICATED = 4401


@dataclass
class MessageBudget:
    """A token bucket: ``RATE_BURST`` messages at once, ``RATE_PER_SECOND`` on average."""

    burst: int = RATE_BURST
    per_second: float = RATE_PER_SECOND
    tokens: float = RATE_BURST
    at: float = field(default_factory=time.monotonic)

    def take(self) -> bool:
        now = time.monotonic()
        self.tokens = min(self.burst, self.tokens + (now - self.at) * self.per_second)
        self.at = now
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True


class ProtocolError(Exception):
    """``code`` is one of: too_large, bad_json, bad_message, unknown_type, forbidden,
    out_of_order, not_joined."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def parse(text: str | None) -> dict[str, Any]:
    if text is None:
        raise ProtocolError("bad_json", _("Chỉ nhận tin nhắn dạng văn bản JSON."))
    if len(text.encode("utf-8", "surrogatepass")) > MAX_MESSAGE_BYTES:
        raise ProtocolError("too_large", _("Tin nhắn quá lớn."))
    try:
        message = json.loads(text)
    except ValueError:
        raise ProtocolError("bad_json", _("Tin nhắn không phải JSON hợp lệ.")) from None
    if not isinstance(message, dict) or not isinstance(message.get("type"), str):
        raise ProtocolError("bad_message", _("Tin nhắn thiếu trường type."))
    return message


def check(message: dict[str, Any], role: str, stage: str,
          rules: dict[str, Rule] | None = None) -> Rule:
    """Raise ProtocolError unless ``role`` may send ``message`` at ``stage`` (under ``rules``:
    the hearing room's by default, the readiness test page's in readiness_protocol.py)."""
    kind = message["type"]
    rule = (RULES if rules is None else rules).get(kind)
    if rule is None:
        raise ProtocolError("unknown_type", _("Loại tin nhắn không được hỗ trợ: %(type)s")
                            % {"type": kind[:40]})
    if role not in rule.roles:
        raise ProtocolError("forbidden", _("Bạn không có quyền thực hiện thao tác này."))
    if stage not in rule.stages:
        raise ProtocolError("out_of_order",
                            _("Thao tác này chưa thực hiện được ở bước hiện tại."))
    for name, kinds in rule.fields.items():
        if not _is(message.get(name), kinds):
            raise ProtocolError("bad_message", _("Trường %(field)s thiếu hoặc sai kiểu.")
                                % {"field": name})
    for name, kinds in (rule.optional or {}).items():
        if name in message and message[name] is not None and not _is(message[name], kinds):
            raise ProtocolError("bad_message", _("Trường %(field)s sai kiểu.") % {"field": name})
    return rule


def _is(value: Any, kinds: type | tuple[type, ...]) -> bool:
    if isinstance(value, bool) and kinds in (int, (int,)):
        return False
    return isinstance(value, kinds)
