"""Downloads of issued documents: only for staff of the commune, each one audited."""

import pytest
from django.urls import include, path, reverse

from tiepdan import urls as site_urls
from tiepdan.core.models import AuditEntry, PersonalDataAccess, Role

from ..factories import staff_user

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

# The site's routes plus this app's, as tiepdan/urls.py will include them.
urlpatterns = [*site_urls.urlpatterns, path("", include("tiepdan.documents.urls"))]
handler404 = site_urls.handler404
handler403 = site_urls.handler403


def _url(document, fmt):
    return reverse("documents:download", args=[document.pk, fmt])


@pytest.mark.parametrize(("fmt", "magic"), [("pdf", b"%PDF"), ("docx", b"PK")])
def test_it_serves_the_file_to_staff_of_the_commune_and_audits_it(
        client, login_staff, invitation, officer, fmt, magic):
    login_staff(client, officer)
    response = client.get(_url(invitation, fmt))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(magic)
    assert f'filename="2026-01-GM-UBND.{fmt}"' in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    entry = PersonalDataAccess.objects.get(type="documents.document.downloaded")
    assert entry.actor == officer and entry.object_id == str(invitation.pk)
    assert entry.data == {"symbol": invitation.symbol, "format": fmt}
    # A read: in the access log, not the chained trail.
    assert not AuditEntry.objects.filter(type="documents.document.downloaded").exists()


@pytest.mark.parametrize("role", [Role.OFFICE_OFFICER, Role.CHAIRMAN])
def test_it_refuses_staff_of_another_commune(client, login_staff, invitation, lac_phuong, role):
    login_staff(client, staff_user(role, commune=lac_phuong))
    response = client.get(_url(invitation, "pdf"))
    assert response.status_code in (403, 404)
    assert not PersonalDataAccess.objects.filter(type="documents.document.downloaded").exists()


def test_it_refuses_a_role_without_document_permissions(client, login_staff, invitation, an_lao):
    login_staff(client, staff_user(Role.TECHNICAL_OPERATOR, commune=an_lao))
    assert client.get(_url(invitation, "docx")).status_code in (403, 404)


def test_it_lets_a_city_observer_read(client, login_staff, invitation, city):
    login_staff(client, staff_user(Role.CITY_OBSERVER, city=city))
    assert client.get(_url(invitation, "pdf")).status_code == 200


def test_it_sends_anonymous_users_to_the_login(client, invitation):
    response = client.get(_url(invitation, "pdf"))
    assert response.status_code == 302 and reverse("core:login") in response.url


def test_it_rejects_an_unknown_format(client, login_staff, invitation, officer):
    login_staff(client, officer)
    assert client.get(_url(invitation, "odt")).status_code == 404
