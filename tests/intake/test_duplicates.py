"""Duplicate suggestions (same citizen, similar content) and the officer's answers."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.builders import group_fields, make_matter
from tests.factories import staff_user
from tiepdan.core.errors import Forbidden, InvalidInput
from tiepdan.core.models import AuditEntry, Role
from tiepdan.intake.links import duplicates
from tiepdan.intake.links.duplicates import Reason
from tiepdan.intake.models import DuplicateDismissal, LinkKind, MatterLink, MatterStatus

pytestmark = pytest.mark.django_db

ROAD = ("Đường liên thôn sạt lở",
        "Đoạn đường liên thôn Hàm Hy – Kim Sơn bị sạt lở sau mưa lớn, xe máy không đi được, "
        "đề nghị xã sửa chữa sớm.")
#: The same petition typed again by a neighbour, partly without diacritics.
ROAD_RETYPED = ("Duong lien thon sat lo",
                "Đoạn đường liên thôn Hàm Hy - Kim Sơn bị sạt lở sau mưa lớn, xe máy không đi "
                "được, đề nghị UBND xã sửa chữa sớm!")
#: The same request in other words.
ROAD_REWORDED = ("Sạt lở đường liên thôn",
                 "Đường liên thôn Hàm Hy - Kim Sơn sạt lở sau trận mưa lớn, xe máy không qua "
                 "được, đề nghị xã sớm sửa chữa.")
#: The same topic at another place, and unrelated petitions: never suggested.
OTHER_ROAD = ("Đường thôn Đông sạt lở",
              "Đường trục thôn Đông bị sạt lở, đề nghị xã khắc phục.")
LAND = ("Khiếu nại quyết định thu hồi đất",
        "Tôi khiếu nại quyết định số 12/QĐ-UBND thu hồi 200 m2 đất nông nghiệp của gia đình mà "
        "không bồi thường thỏa đáng.")
LIGHTS = ("Kiến nghị lắp đèn đường",
          "Đoạn đường thôn chưa có đèn chiếu sáng, ban đêm đi lại nguy hiểm.")
NOISE = ("Phản ánh tiếng ồn",
         "Xưởng gỗ trong khu dân cư hoạt động đến khuya gây ồn ào, đề nghị xã kiểm tra xử lý.")

_people = iter(range(1, 10_000))


def petition(commune, text, state="new", *, group_size=None, since=None, **fields):
    """A matter of a different petitioner each time (unless given), registered with ``text``
    (summary, content) and brought to ``state``; with ``group_size``, a group's petition."""
    n = next(_people)
    defaults = {"id_number": f"0311850{n:05d}", "phone": f"+8491200{n:04d}",
                "summary": text[0], "content": text[1]}
    if group_size:
        defaults |= group_fields(group_size)
    return make_matter(commune, state, since=since, **{**defaults, **fields})


def suggested(matter, **kwargs):
    return {s.matter.pk: s for s in duplicates.suggest(matter, **kwargs)}


# Similar content ------------------------------------------------------------------------------


@pytest.mark.parametrize("text", [ROAD_RETYPED, ROAD_REWORDED], ids=["retyped", "reworded"])
def test_a_near_identical_petition_is_suggested(an_lao, text):
    first = petition(an_lao, ROAD)
    second = petition(an_lao, text)
    found = suggested(second)
    assert list(found) == [first.pk]
    assert found[first.pk].reasons == [Reason.SIMILAR_CONTENT]
    assert found[first.pk].score >= duplicates.SIMILARITY_THRESHOLD


@pytest.mark.parametrize("text", [OTHER_ROAD, LAND, LIGHTS, NOISE],
                         ids=["same topic elsewhere", "land", "street lights", "noise"])
def test_an_unrelated_petition_is_not_suggested(an_lao, text):
    petition(an_lao, ROAD)
    assert suggested(petition(an_lao, text)) == {}


@pytest.mark.parametrize(("a", "b", "similar"), [
    (ROAD, ROAD_RETYPED, True), (ROAD, ROAD_REWORDED, True), (ROAD, OTHER_ROAD, False),
    (ROAD, LAND, False), (ROAD, LIGHTS, False), (ROAD, NOISE, False), (LIGHTS, NOISE, False),
], ids=["retyped", "reworded", "other road", "land", "lights", "noise", "lights-noise"])
def test_the_threshold_separates_same_from_different_content(a, b, similar):
    score = duplicates.similarity(duplicates.normalized_text(*a), duplicates.normalized_text(*b))
    assert (score >= duplicates.SIMILARITY_THRESHOLD) is similar
    # Keep a margin on both sides so that small changes of wording do not flip the answer.
    assert score >= 90 if similar else score <= 65


def test_another_communes_petition_is_never_suggested(an_lao, lac_phuong):
    petition(lac_phuong, ROAD)
    same_citizen = petition(lac_phuong, LAND, id_number="031185000777")
    mine = petition(an_lao, ROAD, id_number="031185000777")
    assert suggested(mine) == {}
    assert same_citizen.pk not in suggested(mine)


def test_petitions_outside_the_window_are_not_compared(an_lao):
    old = petition(an_lao, ROAD, since=timezone.now() - dt.timedelta(days=400))
    assert old.pk not in suggested(petition(an_lao, ROAD_RETYPED))


def test_the_matter_itself_is_never_suggested(an_lao):
    matter = petition(an_lao, ROAD)
    assert matter.pk not in suggested(matter)


def test_only_matters_the_user_may_see_are_suggested(an_lao):
    first = petition(an_lao, ROAD)
    second = petition(an_lao, ROAD_RETYPED)
    village_head = staff_user(Role.VILLAGE_HEAD, commune=an_lao)  # sees only their own
    assert suggested(second, user=village_head) == {}
    assert first.pk in suggested(second, user=staff_user(Role.OFFICE_OFFICER, commune=an_lao))


# Same citizen ---------------------------------------------------------------------------------


def test_the_same_id_number_is_suggested(an_lao):
    earlier = petition(an_lao, LAND, id_number="031185000555")
    later = petition(an_lao, NOISE, id_number="031185000555")
    found = suggested(later)
    assert found[earlier.pk].reasons == [Reason.SAME_ID_NUMBER]


def test_the_same_phone_is_suggested(an_lao):
    earlier = petition(an_lao, LAND, phone="+84912999888")
    later = petition(an_lao, NOISE, phone="+84912999888")
    found = suggested(later)
    assert found[earlier.pk].reasons == [Reason.SAME_PHONE]
    assert found[earlier.pk].reason_labels == ["Cùng số điện thoại"]


def test_every_reason_is_given_and_the_strongest_comes_first(an_lao):
    neighbour = petition(an_lao, ROAD_REWORDED)
    same_person = petition(an_lao, ROAD_RETYPED, id_number="031185000444", phone="+84912444444")
    matter = petition(an_lao, ROAD, id_number="031185000444", phone="+84912444444")
    result = duplicates.suggest(matter)
    assert [s.matter.pk for s in result] == [same_person.pk, neighbour.pk]
    assert result[0].reasons == [Reason.SAME_ID_NUMBER, Reason.SAME_PHONE,
                                 Reason.SIMILAR_CONTENT]


# Linking and dismissing -----------------------------------------------------------------------


def test_linking_points_from_the_later_to_the_earlier_and_keeps_statuses(an_lao, officer):
    earlier = petition(an_lao, ROAD, "triaged")
    later = petition(an_lao, ROAD_RETYPED)
    link = duplicates.link(earlier, later, actor=officer, reason="Cùng một đoạn đường")
    assert (link.from_matter, link.to_matter, link.kind) == (later, earlier,
                                                             LinkKind.DUPLICATE_OF)
    earlier.refresh_from_db()
    later.refresh_from_db()
    assert (earlier.status, later.status) == (MatterStatus.TRIAGED, MatterStatus.NEW)
    assert AuditEntry.objects.filter(object_type="intake.matterlink",
                                     object_id=str(link.pk)).exists()
    # A linked pair is no longer suggested, from either side.
    assert suggested(later) == {} and suggested(earlier) == {}


def test_a_pair_is_linked_once(an_lao, officer):
    a, b = petition(an_lao, ROAD), petition(an_lao, ROAD_RETYPED)
    duplicates.link(a, b, actor=officer)
    with pytest.raises(duplicates.AlreadyLinked):
        duplicates.link(b, a, actor=officer)
    assert MatterLink.objects.count() == 1


def test_a_dismissed_suggestion_is_not_suggested_again(an_lao, officer):
    a, b = petition(an_lao, ROAD), petition(an_lao, ROAD_RETYPED)
    assert a.pk in suggested(b)
    duplicates.dismiss(b, a, actor=officer, reason="Hai đoạn đường khác nhau")
    duplicates.dismiss(a, b, actor=officer)  # a second click changes nothing
    assert DuplicateDismissal.objects.count() == 1
    assert a.pk not in suggested(b) and b.pk not in suggested(a)
    assert AuditEntry.objects.filter(object_type="intake.duplicatedismissal").count() == 1


@pytest.mark.parametrize("action", [duplicates.link, duplicates.dismiss])
def test_it_refuses_itself_and_another_commune(an_lao, lac_phuong, officer, action):
    mine = petition(an_lao, ROAD)
    with pytest.raises(InvalidInput):
        action(mine, mine, actor=officer)
    with pytest.raises(InvalidInput):
        action(mine, petition(lac_phuong, ROAD), actor=officer)
    assert not MatterLink.objects.exists() and not DuplicateDismissal.objects.exists()


@pytest.mark.parametrize("action", [duplicates.link, duplicates.dismiss])
def test_a_reader_cannot_answer_suggestions(an_lao, action):
    a, b = petition(an_lao, ROAD), petition(an_lao, ROAD_RETYPED)
    with pytest.raises(Forbidden):
        action(a, b, actor=staff_user(Role.COMMUNE_POLICE, commune=an_lao))
