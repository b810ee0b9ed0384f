"""The split, duplicate and merge parts of the triage panel, posted by a signed-in officer;
readers see the links but no button."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.builders import COMPLAINT, make_matter
from tests.factories import staff_user
from tiepdan.core.models import Role
from tiepdan.intake.links import duplicates
from tiepdan.intake.models import (
    DuplicateDismissal,
    GroupMember,
    LinkKind,
    Matter,
    MatterLink,
)

from .test_duplicates import ROAD, ROAD_RETYPED, ROAD_REWORDED, petition
from .test_splitting import documents

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer_client(client, login_staff, an_lao):
    login_staff(client, staff_user(Role.OFFICE_OFFICER, commune=an_lao))
    return client


@pytest.fixture
def reader_client(client, login_staff, an_lao):
    login_staff(client, staff_user(Role.COMMUNE_POLICE, commune=an_lao))
    return client


def _url(name, matter):
    return reverse(f"intake:{name}", args=[matter.commune.ward_code, matter.pk])


def _panel(client, matter):
    return client.get(_url("triage_panel", matter), HTTP_HX_REQUEST="true").content.decode()


@pytest.fixture
def mixed(an_lao):
    return make_matter(an_lao, **COMPLAINT, documents=documents("bien-lai.pdf"),
                       summary="Khiếu nại thu hồi đất và tố cáo cán bộ",
                       content="Khiếu nại thu hồi đất; tố cáo cán bộ địa chính nhận tiền.")


def _split_post(matter, **overrides):
    data = {
        "part-TOTAL_FORMS": "2", "part-INITIAL_FORMS": "0", "part-MIN_NUM_FORMS": "0",
        "part-MAX_NUM_FORMS": "5",
        "part-0-kind": "to_cao", "part-0-summary": "Tố cáo cán bộ địa chính nhận tiền",
        "part-0-content": "Cán bộ địa chính nhận tiền để làm nhanh hồ sơ.",
        "split-remaining_kind": "khieu_nai",
        "split-remaining_summary": "Khiếu nại quyết định thu hồi đất",
        "split-remaining_content": "Khiếu nại quyết định thu hồi đất số 12.",
        "split-reason": "Đơn vừa khiếu nại vừa tố cáo",
    }
    return {**data, **overrides}


# Split ----------------------------------------------------------------------------------------


def test_the_panel_offers_the_split_form(officer_client, mixed):
    body = _panel(officer_client, mixed)
    assert 'id="split-form"' in body and "Tách đơn" in body
    assert "bien-lai.pdf" in body  # documents can be moved to a part
    assert 'value="Khiếu nại thu hồi đất và tố cáo cán bộ"' in body  # what remains, prefilled


def test_the_officer_splits_a_mixed_petition(officer_client, mixed):
    [evidence] = mixed.attachments.all()
    response = officer_client.post(_url("split", mixed),
                                   _split_post(mixed, **{"part-0-attachment_ids": [evidence.pk]}))
    assert response.status_code == 302
    assert response["Location"] == _url("matter", mixed)
    new = Matter.objects.exclude(pk=mixed.pk).get()
    assert (new.kind, new.summary) == ("to_cao", "Tố cáo cán bộ địa chính nhận tiền")
    assert list(new.attachments.all()) == [evidence]
    mixed.refresh_from_db()
    assert mixed.summary == "Khiếu nại quyết định thu hồi đất"
    page = officer_client.get(_url("matter", mixed)).content.decode()
    assert new.tracking_code in page  # the success message names the new code


def test_a_split_error_is_shown_in_vietnamese_and_keeps_the_typed_values(officer_client, mixed):
    data = _split_post(mixed, **{"part-0-content": "", "part-1-summary": "Phần thứ hai"})
    response = officer_client.post(_url("split", mixed), data)
    body = response.content.decode()
    assert response.status_code == 422
    assert "Cần ghi nội dung của đơn." in body
    assert "Loại đơn không hợp lệ." in body  # the half-filled second part
    assert 'value="Tố cáo cán bộ địa chính nhận tiền"' in body
    assert 'value="Phần thứ hai"' in body
    assert Matter.objects.count() == 1


def test_a_split_without_any_part_says_so(officer_client, mixed):
    data = _split_post(mixed, **{"part-0-kind": "", "part-0-summary": "",
                                 "part-0-content": ""})
    response = officer_client.post(_url("split", mixed), data)
    assert response.status_code == 422
    assert "Cần ít nhất một phần nội dung" in response.content.decode()


# Duplicates -----------------------------------------------------------------------------------


def test_the_panel_lists_suggestions_with_reasons_and_buttons(officer_client, an_lao):
    earlier = petition(an_lao, ROAD)
    later = petition(an_lao, ROAD_RETYPED)
    body = _panel(officer_client, later)
    assert "Đơn có thể trùng" in body
    assert f'id="suggestion-{earlier.pk}"' in body and "Nội dung gần giống" in body
    assert "Liên kết" in body and "Bỏ qua" in body


def test_the_officer_links_a_suggestion_and_sees_it_listed(officer_client, an_lao):
    earlier = petition(an_lao, ROAD)
    later = petition(an_lao, ROAD_RETYPED)
    response = officer_client.post(_url("link_duplicate", later), {"other": earlier.pk})
    assert response.status_code == 302
    assert MatterLink.objects.filter(from_matter=later, to_matter=earlier,
                                     kind=LinkKind.DUPLICATE_OF).exists()
    body = _panel(officer_client, later)
    assert "Trùng với đơn" in body and earlier.tracking_code in body
    assert f'id="suggestion-{earlier.pk}"' not in body
    assert "Đơn trùng" in _panel(officer_client, earlier)


def test_the_officer_dismisses_a_suggestion(officer_client, an_lao):
    earlier = petition(an_lao, ROAD)
    later = petition(an_lao, ROAD_RETYPED)
    response = officer_client.post(_url("dismiss_duplicate", later), {"other": earlier.pk})
    assert response.status_code == 302
    assert DuplicateDismissal.objects.count() == 1
    assert f'id="suggestion-{earlier.pk}"' not in _panel(officer_client, later)


def test_linking_a_matter_of_another_commune_is_refused(officer_client, an_lao, lac_phuong):
    mine = petition(an_lao, ROAD)
    theirs = petition(lac_phuong, ROAD)
    response = officer_client.post(_url("link_duplicate", mine), {"other": theirs.pk},
                                   follow=True)
    assert "Không tìm thấy hồ sơ trong xã này." in response.content.decode()
    assert not MatterLink.objects.exists()


# Group merge ----------------------------------------------------------------------------------


@pytest.fixture
def group(an_lao):
    return petition(an_lao, ROAD, group_size=5)


def test_the_group_panel_offers_similar_registrations_to_merge(officer_client, an_lao, group):
    member = petition(an_lao, ROAD_RETYPED)
    body = _panel(officer_client, group)
    assert 'id="merge-form"' in body and "Gộp thành viên nhóm" in body
    assert f'value="{member.pk}"' in body
    assert 'id="merge-form"' not in _panel(officer_client, member)  # not a group matter


def test_the_officer_merges_by_choice_and_by_code(officer_client, an_lao, group):
    chosen = petition(an_lao, ROAD_RETYPED)
    typed = petition(an_lao, ("Khác", "Nội dung khác hẳn"))
    response = officer_client.post(_url("merge_members", group), {
        "merge-members": [chosen.pk], "merge-codes": typed.tracking_code.lower(),
        "merge-reason": "Thành viên của đoàn"})
    assert response.status_code == 302
    group.refresh_from_db()
    assert group.group_size == 7
    assert set(GroupMember.objects.values_list("merged_from", flat=True)) == {chosen.pk,
                                                                               typed.pk}
    body = _panel(officer_client, group)
    assert "Thành viên nhóm đã gộp" in body and chosen.full_name in body


def test_an_illegal_merge_is_explained_and_nothing_changes(officer_client, an_lao, group):
    accepted = petition(an_lao, ROAD_RETYPED, "accepted")
    response = officer_client.post(_url("merge_members", group), {
        "merge-codes": accepted.tracking_code, "merge-reason": "Thành viên của đoàn"})
    body = response.content.decode()
    assert response.status_code == 422
    assert "đã qua bước phân loại" in body
    assert accepted.tracking_code in body  # typed value kept
    assert not GroupMember.objects.exists()


def test_an_unknown_code_is_reported(officer_client, group):
    response = officer_client.post(_url("merge_members", group), {
        "merge-codes": "AAAA-BBBB-CCCC", "merge-reason": "Thành viên"})
    assert response.status_code == 422
    assert "Không tìm thấy hồ sơ mã AAAA-BBBB-CCCC" in response.content.decode()


# Readers --------------------------------------------------------------------------------------


def test_a_reader_sees_links_but_no_button(reader_client, an_lao):
    earlier = petition(an_lao, ROAD)
    later = petition(an_lao, ROAD_RETYPED, group_size=5)
    duplicates.link(later, earlier, actor=staff_user(Role.OFFICE_OFFICER, commune=an_lao))
    petition(an_lao, ROAD_REWORDED)  # would be suggested to an officer
    body = _panel(reader_client, later)
    assert "Trùng với đơn" in body and earlier.tracking_code in body
    for control in ('id="split-form"', 'id="merge-form"', "Đơn có thể trùng",
                    _url("link_duplicate", later), _url("dismiss_duplicate", later)):
        assert control not in body


@pytest.mark.parametrize("name", ["split", "link_duplicate", "dismiss_duplicate",
                                  "merge_members"])
def test_a_reader_cannot_post(reader_client, an_lao, name):
    matter = petition(an_lao, ROAD, group_size=5)
    other = petition(an_lao, ROAD_RETYPED)
    data = {**_split_post(matter), "other": other.pk, "merge-members": [other.pk],
            "merge-reason": "x"}
    response = reader_client.post(_url(name, matter), data)
    assert response.status_code == 403
    assert Matter.objects.count() == 2
    assert not MatterLink.objects.exists() and not DuplicateDismissal.objects.exists()
