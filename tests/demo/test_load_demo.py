"""The demo data: loaded through the product's own services, idempotent, synthetic."""

import pytest

from tiepdan.demo import data
from tiepdan.documents.models import IssuedDocument
from tiepdan.hearings.models import Hearing, HearingStatus
from tiepdan.intake.models import Matter, MatterStatus
from tiepdan.intake.register.models import RegisterEntry

pytestmark = pytest.mark.django_db


def test_the_demo_runs_the_office_workflow_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        logins = data.load()
    assert {login.username for login in logins} >= {"anlao.vanphong", "anlao.chutich",
                                                     "hp.bantiepdan", "quantri"}
    statuses = sorted(Matter.objects.filter(commune__ward_code=11629)
                      .values_list("status", flat=True))
    assert statuses == sorted([MatterStatus.ACCEPTED, MatterStatus.FORWARDED,
                               MatterStatus.REFUSED, MatterStatus.NEW])
    # Every triage outcome is in the register; the refusal has its 01/TCD notice.
    assert RegisterEntry.objects.count() == 6
    assert IssuedDocument.objects.filter(template_key="refusal_01_tcd").count() == 2
    hearing = Hearing.objects.get(commune__ward_code=11629)
    assert hearing.status == HearingStatus.DRAFT and hearing.bridge_points.count() == 2
    assert hearing.milestones.filter(key="notify_parties").exists()
    # The denunciation of the sample data is sealed like any other.
    assert Matter.objects.filter(kind="to_cao", identity_sealed=True).count() == 2
    with django_capture_on_commit_callbacks(execute=True):
        data.load()  # again: nothing doubled
    assert Matter.objects.count() == 8 and Hearing.objects.count() == 2
    assert RegisterEntry.objects.count() == 6
