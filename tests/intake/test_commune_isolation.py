"""A user of one commune sees nothing of another, through any page, API call or download."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests import samples
from tests.factories import CityFactory, staff_user
from tiepdan.core.models import Role
from tiepdan.intake.models import Matter

pytestmark = pytest.mark.django_db

COMMUNE_ROLES = [r for r in Role if r not in (Role.CITY_OBSERVER, Role.SYSTEM_ADMIN)]


@pytest.fixture
def lp_matter(client, lac_phuong, form_data):
    """A matter with an attachment registered in Lạc Phượng through the public form."""
    data = {**form_data, "ward": str(lac_phuong.ward_code),
            "attachments": [SimpleUploadedFile("mat.pdf", samples.pdf_bytes(), "application/pdf")]}
    response = client.post(reverse("intake:register", args=[lac_phuong.ward_code]), data)
    assert response.status_code == 302
    client.logout()
    return Matter.objects.get(commune=lac_phuong)


def _urls(matter):
    ward = matter.commune.ward_code
    return {
        "inbox": reverse("intake:inbox", args=[ward]),
        "matter": reverse("intake:matter", args=[ward, matter.pk]),
        "assisted": reverse("intake:assisted", args=[ward]),
        "download": reverse("intake:attachment", args=[matter.attachments.get().pk]),
        "api_list": f"/api/v1/staff/communes/{ward}/matters",
        "api_matter": f"/api/v1/staff/communes/{ward}/matters/{matter.pk}",
    }


def _leaks(response, matter) -> bool:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return (response.status_code == 200
            or matter.tracking_code.encode() in body
            or matter.full_name.encode() in body)


@pytest.mark.parametrize("role", COMMUNE_ROLES, ids=[r.value for r in COMMUNE_ROLES])
def test_staff_of_another_commune_see_nothing(client, login_staff, an_lao, lp_matter, role):
    user = staff_user(role, commune=an_lao)
    login_staff(client, user)
    for name, url in _urls(lp_matter).items():
        response = client.get(url)
        assert not _leaks(response, lp_matter), f"{role} reached {name}"
        assert response.status_code in (403, 404), (name, response.status_code)


def test_the_matter_ward_code_in_the_url_cannot_be_swapped(client, login_staff, an_lao, lp_matter):
    # Right commune in the URL for the user, wrong commune for the matter.
    login_staff(client, staff_user(Role.OFFICE_OFFICER, commune=an_lao))
    url = reverse("intake:matter", args=[an_lao.ward_code, lp_matter.pk])
    assert client.get(url).status_code == 404
    api = f"/api/v1/staff/communes/{an_lao.ward_code}/matters/{lp_matter.pk}"
    assert client.get(api).status_code == 404
    assert client.get(f"/api/v1/staff/communes/{an_lao.ward_code}/matters").json() == []


def test_the_commune_own_officer_sees_everything(client, login_staff, lac_phuong, lp_matter):
    login_staff(client, staff_user(Role.OFFICE_OFFICER, commune=lac_phuong))
    urls = _urls(lp_matter)
    assert lp_matter.tracking_code in client.get(urls["inbox"]).content.decode()
    assert lp_matter.full_name in client.get(urls["matter"]).content.decode()
    download = client.get(urls["download"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF-")
    assert client.get(urls["api_list"]).json()[0]["tracking_code"] == lp_matter.tracking_code
    assert client.get(urls["api_matter"]).json()["full_name"] == lp_matter.full_name


def test_a_city_observer_reads_every_commune_of_the_city_only(
    client, login_staff, city, lp_matter
):
    login_staff(client, staff_user(Role.CITY_OBSERVER, city=city))
    urls = _urls(lp_matter)
    assert client.get(urls["matter"]).status_code == 200
    assert client.get(urls["assisted"]).status_code == 403  # read-only
    other_city_observer = staff_user(Role.CITY_OBSERVER, city=CityFactory(province_code=1,
                                                                         name="Thành phố Hà Nội"))
    client.logout()
    login_staff(client, other_city_observer)
    for name, url in urls.items():
        assert not _leaks(client.get(url), lp_matter), name


def test_a_system_admin_does_not_read_matters(client, login_staff, city, lp_matter):
    login_staff(client, staff_user(Role.SYSTEM_ADMIN, city=city))
    for name, url in _urls(lp_matter).items():
        assert not _leaks(client.get(url), lp_matter), name


def test_anonymous_users_are_sent_to_sign_in(client, lp_matter):
    urls = _urls(lp_matter)
    for name in ("inbox", "matter", "assisted", "download"):
        response = client.get(urls[name])
        assert response.status_code == 302, name
        assert reverse("core:login") in response["Location"]
    assert client.get(urls["api_list"]).status_code == 401


def test_a_password_only_session_is_not_enough(client, lac_phuong, lp_matter):
    user = staff_user(Role.OFFICE_OFFICER, commune=lac_phuong)
    client.force_login(user)  # signed in, but the TOTP step was never passed
    urls = _urls(lp_matter)
    assert client.get(urls["matter"]).status_code == 302
    assert client.get(urls["api_matter"]).status_code == 401
