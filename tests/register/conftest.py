"""Helpers of the register tests: matters brought to an outcome (the staff of Xã An Lão come
from ``tests/fixtures``)."""

from __future__ import annotations

from tests.intake.test_triage_transitions import make_matter
from tiepdan.intake import matter_deadlines
from tiepdan.intake.models import Matter, MatterKind
from tiepdan.intake.triage import state_machine as triage

#: Each triage outcome with the arguments of ``triage.decide`` that lead to it.
DECISIONS = {
    "accept": {"within_competence": True},
    "guide": {"within_competence": False, "competent_body": "Tòa án nhân dân khu vực 7",
              "letter_number": "12/HD-UBND"},
    "forward": {"within_competence": False, "competent_body": "Thanh tra Thành phố",
                "letter_number": "34/PC-UBND"},
    "return": {"within_competence": False, "competent_body": "UBND xã Lạc Phượng",
               "letter_number": "56/HD-UBND"},
    "file": {"within_competence": True},
}


def registered(commune, kind: str = MatterKind.KIEN_NGHI, **fields: object) -> Matter:
    matter = make_matter(commune, kind=kind, **fields)
    matter_deadlines.start_registration_deadlines(matter)
    return matter


def decided(commune, officer, outcome: str, kind: str = MatterKind.KIEN_NGHI,
            **fields: object) -> Matter:
    """A matter classified as ``kind`` and decided with ``outcome`` (see ``DECISIONS``)."""
    matter = registered(commune, kind=kind, **fields)
    round_ = "first" if kind == MatterKind.KHIEU_NAI else ""
    matter = triage.classify(matter, kind=kind, field_of_law="Đất đai", complaint_round=round_,
                             actor=officer, reason="Phân loại")
    return triage.decide(matter, outcome=outcome, actor=officer, reason="Hướng xử lý",
                         **DECISIONS[outcome])
