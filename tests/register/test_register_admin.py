"""The register and the issued notices are records: readable in the admin, never editable."""

from __future__ import annotations

import pytest

from tests.factories import staff_user
from tiepdan.intake.models import MatterKind

from .conftest import decided

pytestmark = pytest.mark.django_db


def test_the_admin_lists_entries_read_only_without_identity(client, login_staff, an_lao,
                                                            officer):
    entry = decided(an_lao, officer, "forward", kind=MatterKind.TO_CAO,
                    full_name="Lê Văn Tố Giác").register_entry
    login_staff(client, staff_user(None, is_staff=True, is_superuser=True))
    listing = client.get("/quan-tri/register/registerentry/")
    assert listing.status_code == 200 and "Lê Văn Tố Giác" not in listing.content.decode()
    assert client.get("/quan-tri/register/registerentry/add/").status_code == 403
    change = client.post(f"/quan-tri/register/registerentry/{entry.pk}/change/",
                         {"summary": "Sửa"})
    assert change.status_code == 403
    entry.refresh_from_db()
    assert entry.summary == "Kiến nghị sửa đường"
    assert client.post(f"/quan-tri/register/registerentry/{entry.pk}/delete/",
                       {"post": "yes"}).status_code == 403
