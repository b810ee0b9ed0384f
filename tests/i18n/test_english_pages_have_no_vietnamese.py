"""Citizen and staff pages rendered in English with the demo data have no Vietnamese letters
(letters with Vietnamese diacritics) left, except in the data they show.

The data is marked here, not guessed: every text value the demo stored (names, addresses,
titles, summaries, reasons, legal sources…) is taken out of the page before the check.  Text
the product writes itself and stores — deadline explanations, deadline names, milestone
evidence — is not data: those fields are kept in the page, so an untranslated one fails.
"""

from __future__ import annotations

import re

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from django.test import Client
from django.urls import reverse
from django.utils import translation

from tiepdan.demo import data
from tiepdan.hearings.invitations import invitation_token
from tiepdan.hearings.join_tokens import join_token
from tiepdan.hearings.models import Hearing, Participant
from tiepdan.intake.models import Matter
from tiepdan.intake.registration.steps import STEP_SLUGS
from tiepdan.intake.status import status_path

from .test_english_locale import switch_to, visible_text

pytestmark = pytest.mark.django_db

VIETNAMESE = re.compile(
    r"[\wàáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]*"
    r"[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]"
    r"[\wàáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]*",
    re.IGNORECASE,
)
#: Stored text the product writes itself: it must reach an English page in English.
PRODUCT_TEXT = {"explanation", "due_explanation", "deadline_explanation", "label_vi"}
#: Marked by hand: the product's name and each language's own name in the switcher.
MARKED = ["Tiếp Dân", "Tiếng Việt"]


def place_names() -> set[str]:
    """The provinces and communes of the address pickers (administrative units: data)."""
    from tiepdan.core import admin_units

    names = set()
    for province in admin_units.provinces():
        names.add(province.name)
        names |= {ward.name for ward in admin_units.wards_of(province.code)}
    return names


def stored_data() -> list[str]:
    """Every text value of the database but the product's own sentences, longest first."""
    values: set[str] = set()
    for model in apps.get_models():
        fields = [
            f.name
            for f in model._meta.get_fields()
            if isinstance(f, models.CharField | models.TextField) and f.name not in PRODUCT_TEXT
        ]
        if fields:
            for row in model.objects.values_list(*fields):
                values |= {str(v).strip() for v in row if v and VIETNAMESE.search(str(v))}
    lines = {line.strip() for v in values for line in v.splitlines() if line.strip()}
    return sorted(values | lines | place_names() | set(MARKED), key=len, reverse=True)


#: The number of a legal document is its name, written the official way ("154/2026/NĐ-CP").
LEGAL_NUMBER = re.compile(r"\b\d+/\d{4}/[\wĐđ-]+")


def leftovers(text: str, marked: list[str]) -> list[str]:
    text = LEGAL_NUMBER.sub(" ", text)
    for value in marked:
        text = text.replace(value, " ")
    return sorted(set(VIETNAMESE.findall(text)))


@pytest.fixture
def demo(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        data.load()
    yield
    translation.activate(settings.LANGUAGE_CODE)


def english_client(login_staff=None, username: str | None = None) -> Client:
    client = Client()
    if username:
        from django.contrib.auth import get_user_model

        login_staff(
            client, get_user_model().objects.get(username=username), password=data.DEMO_PASSWORD
        )
    switch_to(client, "en")
    return client


def citizen_pages() -> list[str]:
    hearing = Hearing.objects.get(commune__ward_code=11629)
    participant = Participant.objects.filter(bridge_point__hearing=hearing).first()
    pages = ["/", "/xa/11629/", "/tra-cuu/", "/xa/11629/lich-tiep/", "/xa/11629/dang-ky/"]
    pages += [reverse("intake:step", args=[11629, slug]) for slug in STEP_SLUGS]
    pages += [status_path(m) for m in Matter.objects.filter(commune__ward_code=11629)]
    if participant is not None:
        pages += [
            reverse("hearings:invitation", args=[invitation_token(participant)]),
            reverse("media:readiness", args=[join_token(participant)]),
        ]
    return pages


def staff_pages() -> list[str]:
    hearing = Hearing.objects.get(commune__ward_code=11629)
    pages = [
        "/can-bo/",
        reverse("intake:inbox", args=[11629]),
        reverse("hearings:list", args=[11629]),
        reverse("hearings:detail", args=[11629, hearing.pk]),
        reverse("register:book", args=[11629]),
        reverse("reports:commune", args=[11629]),
        reverse("followup:board", args=[11629]),
        reverse("core:failed_steps", args=[11629]),
        reverse("intake:assisted", args=[11629]),
    ]
    for matter in Matter.objects.filter(commune__ward_code=11629):
        pages += [
            reverse("intake:matter", args=[11629, matter.pk]),
            reverse("intake:triage_panel", args=[11629, matter.pk]),
        ]
    return pages


def check(client: Client, pages: list[str]) -> dict[str, list[str]]:
    marked = stored_data()
    found = {}
    for url in pages:
        response = client.get(url, follow=True)  # a step not reached yet goes back to one
        assert response.status_code == 200, (url, response.status_code)
        assert '<html lang="en">' in response.content.decode(), url
        left = leftovers(visible_text(response), marked)
        if left:
            found[url] = left
    return found


def test_citizen_pages_in_english_have_no_vietnamese_left(demo):
    assert check(english_client(), citizen_pages()) == {}


def test_staff_pages_in_english_have_no_vietnamese_left(demo, login_staff):
    client = english_client(login_staff, "anlao.vanphong")
    assert check(client, staff_pages()) == {}
    # The hearing's milestones: their names and how each deadline was counted, in English.
    hearing = Hearing.objects.get(commune__ward_code=11629)
    text = visible_text(client.get(reverse("hearings:detail", args=[11629, hearing.pk])))
    assert "working days before" in text and "due" in text, text


def test_the_check_finds_vietnamese(demo):
    """The check itself: an untranslated sentence is found, stored data is not."""
    marked = stored_data()
    assert "Phạm Thị Mai" in marked and "Thôn Hàm Hy" in marked
    assert leftovers("Petitioner: Phạm Thị Mai, Thôn Hàm Hy", marked) == []
    assert leftovers("Đang chờ xử lý", marked) == sorted(["Đang", "chờ", "xử", "lý"])
    assert leftovers("Decree 154/2026/NĐ-CP, Article 14", marked) == []


def test_the_personal_data_access_log_in_english_has_no_vietnamese_left(demo, login_staff):
    """The Chairman's access log: each read is said from its type in English, and so are the
    roles of who read it (the names, codes and reasons shown are data)."""
    client = english_client(login_staff, "anlao.chutich")
    client.get(reverse("intake:inbox", args=[11629]))  # a read of personal data to list
    page = reverse("core:access_log", args=[11629])
    assert check(client, [page]) == {}
    text = visible_text(client.get(page))
    assert "Personal data access log" in text and "Matter list viewed (page 1/" in text, text
