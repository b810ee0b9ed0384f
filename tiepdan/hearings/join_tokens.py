"""The participant's personal join token (đường dẫn vào phòng): signed with its own salt, it
names the hearing and the participant and expires a margin after the hearing's planned end.

Hearings own it (it is part of the invitation); the room and the readiness test page (media)
only read it with :func:`participant_from_token`.  Both pages take the same token.
"""

from __future__ import annotations

import datetime as dt

from django.core import signing
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tiepdan.core.public_urls import absolute, absolute_reverse

from .models import Participant

# Unchanged since the token was media's: the links already sent stay valid.
SALT = "tiepdan.media.join-link"
EXPIRY_MARGIN = dt.timedelta(hours=2)


class BadJoinToken(Exception):
    """A forged, expired or foreign token; ``code`` goes to the browser."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def join_token(participant: Participant, *, expires_at: dt.datetime | None = None) -> str:
    hearing = participant.bridge_point.hearing
    expires = expires_at or hearing.ends_at + EXPIRY_MARGIN
    return signing.dumps({"h": hearing.pk, "p": participant.pk, "x": int(expires.timestamp())},
                         salt=SALT, compress=True)


def participant_from_token(token: str, hearing_id: int | None = None) -> Participant:
    """The participant a token lets in (with its bridge point and hearing); raises
    BadJoinToken for forged, expired or foreign tokens."""
    try:
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        raise BadJoinToken("bad_link", _("Đường dẫn vào phòng không hợp lệ.")) from None
    if not isinstance(data, dict) or not all(isinstance(data.get(k), int) for k in "hpx"):
        raise BadJoinToken("bad_link", _("Đường dẫn vào phòng không hợp lệ."))
    if data["x"] < timezone.now().timestamp():
        raise BadJoinToken("expired_link", _("Đường dẫn vào phòng đã hết hạn."))
    if hearing_id is not None and data["h"] != hearing_id:
        raise BadJoinToken("bad_link", _("Đường dẫn này không dùng cho buổi tiếp này."))
    participant = (Participant.objects.select_related("bridge_point__hearing")
                   .filter(pk=data["p"], bridge_point__hearing_id=data["h"]).first())
    if participant is None:
        raise BadJoinToken("bad_link", _("Đường dẫn vào phòng không hợp lệ."))
    return participant


def join_path(participant: Participant) -> str:
    """The participant's way into the hearing room (the room page is media's)."""
    return reverse("media:join", args=[join_token(participant)])


def room_url(participant: Participant) -> str:
    """The participant's personal link into the hearing room (signed, expiring)."""
    return absolute(join_path(participant))


def readiness_url(participant: Participant) -> str:
    """The participant's readiness test page (camera, microphone, speakers, network): the same
    token as their join link."""
    return absolute_reverse("media:readiness", args=[join_token(participant)])
