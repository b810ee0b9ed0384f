"""Helpers of the register tests: matters registered through the public form and brought to an
outcome by the office (tests.builders; the staff of Xã An Lão come from ``tests/fixtures``)."""

from __future__ import annotations

import datetime as dt

from tests.builders import make_matter
from tiepdan.intake.models import Matter, MatterKind

#: Each triage outcome and the state of ``tests.builders`` it leads to.
OUTCOME_STATES = {"accept": "accepted", "guide": "guided", "forward": "forwarded",
                  "return": "returned", "file": "filed"}


def registered(commune, kind: str = MatterKind.KIEN_NGHI, *,
               received_at: dt.datetime | None = None, **fields: object) -> Matter:
    """A matter of ``kind`` registered at ``received_at`` (default: now) with ``fields`` (see
    ``tests.builders.registration_data``)."""
    return _built(commune, "new", kind, received_at, fields)


def decided(commune, officer, outcome: str, kind: str = MatterKind.KIEN_NGHI, *,
            received_at: dt.datetime | None = None, **fields: object) -> Matter:
    """A matter registered as ``registered`` does, then classified as ``kind`` and decided by
    ``officer`` with ``outcome`` (one of ``OUTCOME_STATES``) at the same time."""
    return _built(commune, OUTCOME_STATES[outcome], kind, received_at, fields, officer=officer)


def _built(commune, state: str, kind: str, received_at: dt.datetime | None,
           fields: dict[str, object], officer=None) -> Matter:
    if kind == MatterKind.KHIEU_NAI:
        fields.setdefault("complained_decision", "Quyết định số 12/QĐ-UBND về thu hồi đất")
    return make_matter(commune, state, officer=officer, since=received_at, kind=kind, **fields)
