"""The triage actions (classify, decide, refuse) through the service, with their deadlines."""

from __future__ import annotations

import pytest

from tests.builders import COMPLAINT, make_matter
from tests.factories import staff_user
from tiepdan.core.errors import Forbidden, InvalidInput
from tiepdan.core.models import Role
from tiepdan.intake.models import (
    MatterDeadline,
    MatterKind,
    MatterStatus,
    RefusalGround,
    TriageAction,
    TriageRecord,
)
from tiepdan.intake.triage import state_machine as triage

pytestmark = pytest.mark.django_db

S = MatterStatus


def _open_keys(matter) -> set[str]:
    return set(MatterDeadline.objects.filter(matter=matter, open=True)
               .values_list("rule_key", flat=True))


def _triaged(commune, officer, kind=MatterKind.KIEN_NGHI):
    """A matter registered as ``kind`` and classified as such by ``officer``."""
    fields = COMPLAINT if kind == MatterKind.KHIEU_NAI else {"kind": kind}
    return make_matter(commune, "triaged", officer=officer, **fields)


# classify -------------------------------------------------------------------------------------


def test_it_classifies_a_complaint_with_its_round(an_lao, officer):
    matter = make_matter(an_lao, kind=MatterKind.KIEN_NGHI)
    result = triage.classify(matter, kind=MatterKind.KHIEU_NAI, field_of_law="Đất đai",
                             complaint_round="first", actor=officer, reason="Có quyết định bị KN")
    result.refresh_from_db()
    assert (result.status, result.kind, result.field_of_law, result.complaint_round) == (
        S.TRIAGED, "khieu_nai", "Đất đai", "first")
    record = TriageRecord.objects.get(matter=matter)
    assert (record.action, record.kind, record.complaint_round) == (
        TriageAction.CLASSIFY, "khieu_nai", "first")


def test_it_requires_the_round_of_a_complaint(an_lao, officer):
    matter = make_matter(an_lao)
    with pytest.raises(InvalidInput) as exc:
        triage.classify(matter, kind=MatterKind.KHIEU_NAI, field_of_law="Đất đai",
                        actor=officer, reason="Phân loại")
    assert set(exc.value.field_errors) == {"complaint_round"}


def test_it_rejects_a_round_for_anything_but_a_complaint(an_lao, officer):
    matter = make_matter(an_lao)
    with pytest.raises(InvalidInput) as exc:
        triage.classify(matter, kind=MatterKind.TO_CAO, field_of_law="Đất đai",
                        complaint_round="second", actor=officer, reason="Phân loại")
    assert set(exc.value.field_errors) == {"complaint_round"}


def test_it_rejects_an_unknown_kind_and_a_missing_field_of_law(an_lao, officer):
    matter = make_matter(an_lao)
    with pytest.raises(InvalidInput) as exc:
        triage.classify(matter, kind="kien_nghi_khac", field_of_law=" ", actor=officer,
                        reason="Phân loại")
    assert set(exc.value.field_errors) == {"kind", "field_of_law"}
    matter.refresh_from_db()
    assert matter.status == S.NEW


def test_reclassifying_swaps_the_kind_deadline(an_lao, officer):
    matter = make_matter(an_lao, **COMPLAINT)
    assert _open_keys(matter) == {"notify_outcome", "complaint_acceptance"}
    triage.classify(matter, kind=MatterKind.TO_CAO, field_of_law="Cán bộ, công chức",
                    actor=officer, reason="Nội dung là tố cáo hành vi vi phạm")
    assert _open_keys(matter) == {"notify_outcome", "denunciation_initial_processing"}
    cancelled = MatterDeadline.objects.get(matter=matter, rule_key="complaint_acceptance")
    assert (cancelled.open, cancelled.met_at) == (False, None)


# decide ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("outcome", "status"), list(triage.OUTCOMES.items()),
                         ids=list(triage.OUTCOMES))
def test_it_records_each_decision(an_lao, officer, outcome, status):
    matter = _triaged(an_lao, officer)
    result = triage.decide(matter, outcome=outcome, within_competence=outcome == "accept",
                           competent_body="" if outcome == "accept" else "UBND thành phố",
                           letter_number="12/UBND-VP", actor=officer, reason="Theo Đ26")
    result.refresh_from_db()
    assert result.status == status
    record = TriageRecord.objects.filter(matter=matter).latest("at")
    assert (record.action, record.to_status) == (TriageAction.DECIDE, status)


def test_accepting_requires_competence(an_lao, officer):
    matter = _triaged(an_lao, officer)
    with pytest.raises(InvalidInput) as exc:
        triage.decide(matter, outcome="accept", within_competence=False, actor=officer,
                      reason="Thụ lý")
    assert set(exc.value.field_errors) == {"within_competence"}
    matter.refresh_from_db()
    assert matter.status == S.TRIAGED


def test_forwarding_requires_the_competent_body(an_lao, officer):
    matter = _triaged(an_lao, officer)
    with pytest.raises(InvalidInput) as exc:
        triage.decide(matter, outcome="forward", within_competence=False, actor=officer,
                      reason="Không thuộc thẩm quyền")
    assert set(exc.value.field_errors) == {"competent_body"}


def test_forwarding_keeps_the_body_and_letter_on_the_matter(an_lao, officer):
    matter = _triaged(an_lao, officer)
    triage.decide(matter, outcome="forward", within_competence=False,
                  competent_body="Sở Nông nghiệp và Môi trường", letter_number="35/UBND-VP",
                  actor=officer, reason="Thuộc thẩm quyền của Sở")
    matter.refresh_from_db()
    assert (matter.within_competence, matter.competent_body, matter.forwarded_letter_number) == (
        False, "Sở Nông nghiệp và Môi trường", "35/UBND-VP")


def test_a_decision_meets_the_registration_deadlines(an_lao, officer):
    matter = _triaged(an_lao, officer, kind=MatterKind.KHIEU_NAI)
    triage.decide(matter, outcome="accept", within_competence=True, actor=officer,
                  reason="Đủ điều kiện thụ lý")
    rows = MatterDeadline.objects.filter(matter=matter)
    assert {r.rule_key for r in rows} == {"notify_outcome", "complaint_acceptance"}
    assert all(not r.open and r.met_at is not None for r in rows)


def test_forwarding_a_denunciation_needs_the_letter_and_keeps_its_deadline(an_lao, officer):
    matter = _triaged(an_lao, officer, kind=MatterKind.TO_CAO)
    with pytest.raises(InvalidInput) as exc:
        triage.decide(matter, outcome="forward", within_competence=False,
                      competent_body="Thanh tra thành phố", actor=officer, reason="Chuyển")
    assert set(exc.value.field_errors) == {"letter_number"}
    triage.decide(matter, outcome="forward", within_competence=False,
                  competent_body="Thanh tra thành phố", letter_number="40/UBND-VP",
                  actor=officer, reason="Luật Tố cáo Đ24 k2")
    forwarding = MatterDeadline.objects.get(matter=matter, rule_key="denunciation_forwarding")
    assert not forwarding.open and forwarding.met_at is not None
    assert _open_keys(matter) == set()


def test_a_decision_on_a_new_matter_is_an_illegal_transition(an_lao, officer):
    matter = make_matter(an_lao)
    with pytest.raises(triage.IllegalTransition):
        triage.decide(matter, outcome="guide", within_competence=False,
                      competent_body="Tòa án nhân dân", actor=officer, reason="Hướng dẫn")


# refuse ---------------------------------------------------------------------------------------


def test_it_refuses_at_reception_on_a_legal_ground(an_lao, officer):
    matter = make_matter(an_lao)
    triage.refuse(matter, ground=RefusalGround.THREATENING, actor=officer,
                  reason="Có lời lẽ xúc phạm cán bộ tiếp công dân")
    matter.refresh_from_db()
    assert (matter.status, matter.refusal_ground) == (S.REFUSED, "threatening")
    # The reason is given orally: no 01/TCD notice to issue; the other deadlines end.
    assert _open_keys(matter) == set()


@pytest.mark.parametrize("ground", sorted(triage.WRITTEN_NOTICE_GROUNDS))
def test_a_persistent_refusal_starts_the_01_tcd_notice(an_lao, officer, ground):
    matter = _triaged(an_lao, officer)
    triage.refuse(matter, ground=ground, actor=officer, reason="Đã được trả lời bằng văn bản")
    assert _open_keys(matter) == {"refusal_notice"}


def test_it_rejects_a_ground_outside_the_law(an_lao, officer):
    matter = make_matter(an_lao)
    with pytest.raises(InvalidInput) as exc:
        triage.refuse(matter, ground="busy", actor=officer, reason="Bận")
    assert set(exc.value.field_errors) == {"ground"}


def test_every_ground_cites_its_legal_source():
    for ground in RefusalGround:
        assert "Đ9" in ground.label or "NĐ 154/2026 Đ4" in ground.label, ground


# who may ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.CITY_OBSERVER, Role.DEPARTMENT_REP, Role.CHAIRMAN])
def test_only_holders_of_the_triage_permission_may_act(an_lao, role):
    user = staff_user(role, commune=an_lao)
    matter = make_matter(an_lao)
    with pytest.raises(Forbidden):
        triage.refuse(matter, ground=RefusalGround.OUT_OF_SCOPE, actor=user, reason="Ngoài")
    matter.refresh_from_db()
    assert matter.status == S.NEW


def test_an_officer_of_another_commune_may_not_act(an_lao, lac_phuong):
    matter = make_matter(lac_phuong)
    with pytest.raises(Forbidden):
        triage.classify(matter, kind="to_cao", field_of_law="Đất đai",
                        actor=staff_user(Role.OFFICE_OFFICER, commune=an_lao), reason="Thử")
