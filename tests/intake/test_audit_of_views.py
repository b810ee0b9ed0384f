"""Every staff view of personal data leaves an entry in the personal-data access log: the inbox
(names, phones), a matter, and the same through the staff API."""

import pytest
from django.urls import reverse

from tests.factories import staff_user
from tiepdan.core.models import AuditEntry, PersonalDataAccess, Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def registered(client, an_lao, form_data):
    client.post(reverse("intake:register", args=[an_lao.ward_code]), form_data)
    client.logout()


def views_by(user):
    return PersonalDataAccess.objects.filter(actor=user)


def test_the_inbox_and_a_matter_page_are_audited(client, login_staff, officer, an_lao,
                                                 registered):
    login_staff(client, officer)
    assert client.get(reverse("intake:inbox", args=[an_lao.ward_code])).status_code == 200
    entry = views_by(officer).get(object_type="intake.inbox")
    assert entry.type == "intake.inbox.listed"
    assert entry.commune == an_lao and entry.data == {"page": 1, "pages": 1, "count": 1}
    assert "1 hồ sơ" in entry.text
    from tiepdan.intake.models import Matter

    matter = Matter.objects.get()
    client.get(reverse("intake:matter", args=[an_lao.ward_code, matter.pk]))
    assert views_by(officer).filter(type="intake.matter.viewed", object_id=str(matter.pk),
                                    data={"tracking_code": matter.tracking_code}).exists()
    # Reads are not written to the chained trail.
    assert not AuditEntry.objects.filter(actor=officer).exists()


def test_the_staff_api_list_and_detail_are_audited(client, login_staff, officer, an_lao,
                                                   registered):
    login_staff(client, officer)
    base = f"/api/v1/staff/communes/{an_lao.ward_code}/matters"
    rows = client.get(base).json()
    assert len(rows) == 1
    assert views_by(officer).filter(object_type="intake.inbox", type="intake.inbox.listed_via_api",
                                    data={"count": 1}).exists()
    client.get(f"{base}/{rows[0]['id']}")
    assert views_by(officer).filter(type="intake.matter.viewed_via_api",
                                    object_id=str(rows[0]["id"])).exists()


def test_a_refused_view_leaves_no_view_entry(client, login_staff, an_lao, lac_phuong,
                                             registered):
    stranger = staff_user(Role.OFFICE_OFFICER, commune=lac_phuong)
    login_staff(client, stranger)
    assert client.get(reverse("intake:inbox", args=[an_lao.ward_code])).status_code == 403
    assert not views_by(stranger).exists()
