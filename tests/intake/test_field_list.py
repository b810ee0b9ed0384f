"""Triage picks the field (lĩnh vực) from the commune's list: the page offers the list, a value
outside it is refused with nothing changed, another spelling of an entry is the entry, and a
field from before the list stays readable; the data migration maps existing values."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from tests.register.conftest import registered
from tiepdan.core.errors import InvalidInput
from tiepdan.intake.models import FieldOfLaw, Matter, MatterStatus, TriageRecord
from tiepdan.intake.triage import state_machine as triage
from tiepdan.intake.triage.fields import STANDARD_FIELDS, field_names, seed_standard_fields

pytestmark = pytest.mark.django_db


def _classify(matter, officer, field):
    return triage.classify(matter, kind="kien_nghi", field_of_law=field, actor=officer,
                           reason="Phân loại")


def test_a_commune_without_a_list_uses_the_standard_one(an_lao):
    assert field_names(an_lao) == list(STANDARD_FIELDS)


def test_the_communes_list_replaces_the_standard_one(an_lao, officer):
    FieldOfLaw.objects.create(commune=an_lao, name="Thủy lợi", position=1)
    assert field_names(an_lao) == ["Thủy lợi"]
    with pytest.raises(InvalidInput) as caught:
        _classify(registered(an_lao), officer, "Đất đai")
    assert caught.value.field_errors["field_of_law"][0]["message"] == (
        "Chọn lĩnh vực trong danh sách lĩnh vực của xã.")


def test_another_spelling_is_stored_as_the_lists_entry(an_lao, officer):
    seed_standard_fields(an_lao)
    matter = _classify(registered(an_lao), officer, "  đất   ĐAI ")
    assert matter.field_of_law == "Đất đai"


def test_the_classify_form_offers_the_list_and_refuses_free_text(
        client, login_staff, an_lao, officer):
    seed_standard_fields(an_lao, ("Đất đai", "Xây dựng", "Môi trường"))
    matter = registered(an_lao)
    login_staff(client, officer)
    panel = client.get(reverse("intake:triage_panel", args=[an_lao.ward_code, matter.pk]))
    html = panel.content.decode()
    assert '<select name="classify-field_of_law"' in html
    assert '<option value="Xây dựng">Xây dựng</option>' in html
    records = TriageRecord.objects.count()
    response = client.post(reverse("intake:triage_classify", args=[an_lao.ward_code, matter.pk]), {
        "classify-kind": "kien_nghi", "classify-field_of_law": "Lĩnh vực tự gõ",
        "classify-reason": "Phân loại"})
    assert response.status_code == 422
    assert "Lựa chọn không hợp lệ" in response.content.decode() or \
        "Chọn lĩnh vực" in response.content.decode()
    matter.refresh_from_db()
    assert matter.status == MatterStatus.NEW and TriageRecord.objects.count() == records


def test_a_field_from_before_the_list_stays_readable_and_may_be_kept(an_lao, officer):
    seed_standard_fields(an_lao)
    matter = registered(an_lao)
    Matter.objects.filter(pk=matter.pk).update(field_of_law="Quản lý chợ")
    matter.refresh_from_db()
    from tiepdan.intake.triage.fields import field_choices

    assert ("Quản lý chợ", "Quản lý chợ (ghi trước đây)") in field_choices(an_lao, "Quản lý chợ")
    assert _classify(matter, officer, "Quản lý chợ").field_of_law == "Quản lý chợ"


def test_the_migration_maps_existing_values_to_one_entry_each(an_lao):
    FieldOfLaw.objects.all().delete()
    first, second, third = registered(an_lao), registered(an_lao), registered(an_lao)
    Matter.objects.filter(pk__in=[first.pk, second.pk]).update(field_of_law="Quản lý chợ")
    Matter.objects.filter(pk=third.pk).update(field_of_law="quản lý  chợ")
    migration = importlib.import_module("tiepdan.intake.migrations.0007_field_of_law_list")
    migration.map_existing_fields(apps, None)
    names = list(FieldOfLaw.objects.filter(commune=an_lao).values_list("name", flat=True))
    assert names.count("Quản lý chợ") == 1 and "Đất đai" in names
    assert set(Matter.objects.values_list("field_of_law", flat=True)) == {"Quản lý chợ"}


def test_the_admin_refuses_a_second_spelling_of_an_entry(an_lao):
    from django.core.exceptions import ValidationError

    FieldOfLaw.objects.create(commune=an_lao, name="Xây dựng")
    with pytest.raises(ValidationError) as caught:
        FieldOfLaw(commune=an_lao, name="- xây dựng").full_clean()
    assert "Xã đã có lĩnh vực “Xây dựng”." in str(caught.value)
