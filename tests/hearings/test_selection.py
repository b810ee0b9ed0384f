import pytest

from tests.builders import make_matter
from tiepdan.core.audit import verify_chain
from tiepdan.core.errors import Forbidden, InvalidInput
from tiepdan.core.models import AuditEntry
from tiepdan.hearings import selection
from tiepdan.hearings.errors import HearingStateError
from tiepdan.hearings.models import SelectionStatus
from tiepdan.intake.models import Matter, MatterKind

pytestmark = pytest.mark.django_db


def test_the_office_proposes_and_the_chairman_approves(accepted_matter, officer, chairman):
    chosen = selection.propose(accepted_matter, ground="b", actor=officer, note="Người cao tuổi")
    assert chosen.status == SelectionStatus.PROPOSED
    decided = selection.decide(chosen, approve=True, actor=chairman, reason="Đủ điều kiện")
    assert decided.status == SelectionStatus.APPROVED
    assert decided.decided_by == chairman
    code = accepted_matter.tracking_code
    proposed = AuditEntry.objects.get(type="hearings.selection.proposed")
    assert proposed.actor == officer and proposed.data == {"tracking_code": code, "ground": "b"}
    assert "Đề xuất tiếp trực tuyến" in proposed.text
    approved = AuditEntry.objects.get(type="hearings.selection.approved")
    assert approved.actor == chairman and approved.data == {"tracking_code": code}
    assert approved.reason == "Đủ điều kiện" and "Đồng ý tiếp trực tuyến" in approved.text
    assert verify_chain().ok


def test_the_chairman_may_reject_with_a_reason(accepted_matter, officer, chairman):
    chosen = selection.propose(accepted_matter, ground="a", actor=officer)
    with pytest.raises(InvalidInput):
        selection.decide(chosen, approve=False, actor=chairman, reason="")
    assert selection.decide(chosen, approve=False, actor=chairman,
                            reason="Cần tiếp trực tiếp").status == SelectionStatus.REJECTED


def test_the_office_cannot_decide_and_the_chairman_cannot_propose(
    accepted_matter, officer, chairman
):
    chosen = selection.propose(accepted_matter, ground="b", actor=officer)
    with pytest.raises(Forbidden):
        selection.decide(chosen, approve=True, actor=officer, reason="x")
    # The Chairman plans hearings too (ROLE_PERMS): refused only because one is pending.
    with pytest.raises(HearingStateError, match="đang chờ"):
        selection.propose(accepted_matter, ground="b", actor=chairman)


def test_a_protected_denunciation_is_not_eligible(an_lao, officer, clock):
    # The denouncer asked for the protection of their identity: received in person only.
    protected = make_matter(an_lao, "accepted", officer=officer, kind=MatterKind.TO_CAO,
                            identity_protection="on", complained_by="Ông Lý Văn Thu, cán bộ xã")
    assert protected.in_person_only
    with pytest.raises(HearingStateError, match="bảo vệ danh tính"):
        selection.propose(protected, ground="d", actor=officer)


def test_only_accepted_matters_can_be_proposed(an_lao, officer):
    registered = make_matter(an_lao, "new")
    with pytest.raises(HearingStateError, match="thụ lý"):
        selection.propose(registered, ground="b", actor=officer)


def test_a_group_matter_needs_representatives(accepted_matter, officer):
    # A second line of defence: the registration form already asks a group for its
    # representatives, so only an older or imported row could lack them.
    Matter.objects.filter(pk=accepted_matter.pk).update(group_size=12)
    accepted_matter.refresh_from_db()
    with pytest.raises(HearingStateError, match="người đại diện"):
        selection.propose(accepted_matter, ground="dd", actor=officer)


def test_grounds_must_fit_the_matter(accepted_matter, officer):
    with pytest.raises(HearingStateError, match="tố cáo"):
        selection.propose(accepted_matter, ground="d", actor=officer)
    with pytest.raises(HearingStateError, match="đông người"):
        selection.propose(accepted_matter, ground="dd", actor=officer)


def test_a_matter_is_proposed_once_at_a_time(accepted_matter, officer):
    selection.propose(accepted_matter, ground="b", actor=officer)
    with pytest.raises(HearingStateError, match="chờ Chủ tịch"):
        selection.propose(accepted_matter, ground="a", actor=officer)
