"""The inbox search: tracking code, petitioner name, phone and content, with and without
Vietnamese diacritics (đ → d); sealed denunciations are never found by their identity."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse

from tests.builders import make_matter
from tiepdan.intake.models import Matter
from tiepdan.intake.search import fold, query_terms

from .identity_helpers import ID_NUMBER, NAME, PHONE, register

pytestmark = pytest.mark.django_db


def _matters(response) -> list:
    """The matters of an inbox page, in its order."""
    return [row.matter for row in response.context["rows"]]


@pytest.mark.parametrize(("text", "folded"), [
    ("Nguyễn Văn Đức", "nguyen van duc"),
    ("ĐỖ THỊ HẰNG", "do thi hang"),
    ("  Phạm   Ngọc\tÁnh ", "pham ngoc anh"),
    ("Sạt lở đường liên thôn", "sat lo duong lien thon"),
])
def test_it_folds_vietnamese_text(text, folded):
    assert fold(text) == folded


@pytest.mark.parametrize(("query", "terms"), [
    ("nguyen van", ["nguyen", "van"]),
    ("0912 345 678", ["0912345678"]),
    ("+84 912 345 678", ["0912345678"]),
    ("Đức", ["duc"]),
])
def test_it_splits_a_query_into_terms(query, terms):
    assert query_terms(query) == terms


@pytest.fixture
def matters(an_lao):
    return {
        "nguyen": make_matter(an_lao, full_name="Nguyễn Văn Đức", phone="+84912345678",
                              summary="Đường liên thôn sạt lở"),
        "tran": make_matter(an_lao, full_name="Trần Thị Hằng", phone="+84987654321",
                            summary="Khiếu nại thu hồi đất", content="Ruộng bị lấn chiếm."),
    }


def _found(client, login_staff, officer, commune, q) -> set[str]:
    login_staff(client, officer)
    response = client.get(reverse("intake:inbox", args=[commune.ward_code]), {"q": q})
    assert response.status_code == 200
    return {m.tracking_code for m in _matters(response)}


@pytest.mark.parametrize(("query", "who"), [
    ("nguyen van", "nguyen"),
    ("Nguyễn Văn", "nguyen"),
    ("NGUYEN VAN DUC", "nguyen"),
    ("duc", "nguyen"),  # đ folds to d
    ("Đức", "nguyen"),
    ("tran thi hang", "tran"),
    ("0912345678", "nguyen"),  # stored as +84912345678
    ("+84 987 654 321", "tran"),
    ("lan chiem", "tran"),  # in the content
    ("duong lien thon", "nguyen"),  # in the summary
], ids=lambda v: str(v))
def test_it_finds_a_matter_by_name_phone_and_content(client, login_staff, officer, an_lao,
                                                     matters, query, who):
    assert _found(client, login_staff, officer, an_lao, query) == {matters[who].tracking_code}


def test_it_finds_a_matter_by_its_tracking_code_with_or_without_dashes(
        client, login_staff, officer, an_lao, matters):
    code = matters["tran"].tracking_code
    assert _found(client, login_staff, officer, an_lao, code.lower()) == {code}
    assert _found(client, login_staff, officer, an_lao, code.replace("-", "")) == {code}


def test_every_term_must_match(client, login_staff, officer, an_lao, matters):
    assert _found(client, login_staff, officer, an_lao, "nguyen hang") == set()


def test_the_search_text_follows_a_changed_name(an_lao):
    matter = make_matter(an_lao, full_name="Lê Văn Tám")
    matter.full_name = "Lê Thị Bảy"
    # The model keeps its search text whatever a service saves (splitting saves update_fields).
    matter.save(update_fields=["full_name"])
    assert "le thi bay" in Matter.objects.get(pk=matter.pk).search_text


def test_a_sealed_denunciation_is_not_found_by_the_denouncers_identity(
        client, login_staff, officer, an_lao):
    sealed = register(an_lao)
    assert sealed.identity_sealed
    stored = Matter.objects.get(pk=sealed.pk).search_text
    for secret in (fold(NAME), "binh", PHONE, ID_NUMBER, "912000101"):
        assert secret not in stored
    for query in (NAME, fold(NAME), "Bình", PHONE, "+84912000101", ID_NUMBER):
        assert _found(client, login_staff, officer, an_lao, query) == set(), query
    # ... but by its code and by what the petition is about.
    assert _found(client, login_staff, officer, an_lao, "thu tien trai phep") == {
        sealed.tracking_code}


def test_the_inbox_shows_the_mask_as_the_name_of_a_sealed_denunciation(
        client, login_staff, officer, an_lao, matters):
    sealed = register(an_lao)
    login_staff(client, officer)
    body = client.get(reverse("intake:inbox", args=[an_lao.ward_code])).content.decode()
    assert "Nguyễn Văn Đức" in body  # the name column
    assert "Người tố cáo (được giữ bí mật)" in body
    assert NAME not in body and sealed.tracking_code in body


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the pg_trgm index is PostgreSQL's")
def test_postgresql_has_the_trigram_index_of_the_search_text():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'matter_search_trgm'")
        [(definition,)] = cursor.fetchall()
    assert "gin_trgm_ops" in definition and "search_text" in definition
