"""Which Janus room a hearing uses.

Phòng họp trực tuyến: one Janus videoroom per hearing.  The room id is derived from the hearing
so that, after a Janus restart, the app recreates the very same room and reconnects its
participants without a lookup table; the secret that lets the app moderate, kick and destroy
is random and stays with the app (browsers never see it).
"""

from __future__ import annotations

import hashlib
import secrets
from typing import NamedTuple

# Janus accepts 64-bit room ids, but janus.js and JSON readers in browsers lose precision past
# 2**53: stay below.
ROOM_ID_BITS = 52


class RoomAllocation(NamedTuple):
    room_id: int
    secret: str


def room_id_for(hearing_key: str) -> int:
    """A stable room id in [1, 2**52) for ``hearing_key`` (e.g. the hearing's UUID)."""
    if not hearing_key:
        raise ValueError("hearing_key must not be empty")
    digest = hashlib.blake2b(hearing_key.encode(), digest_size=8, person=b"tiepdan-room").digest()
    return int.from_bytes(digest, "big") % (2**ROOM_ID_BITS - 1) + 1


def room_for_hearing(hearing_key: str) -> RoomAllocation:
    """The hearing's room id and a fresh random secret for creating that room."""
    return RoomAllocation(room_id_for(hearing_key), secrets.token_urlsafe(24))
