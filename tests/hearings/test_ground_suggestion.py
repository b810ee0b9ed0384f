"""The Điều 4.1 ground of a proposal starts from what the citizen said in the registration
(far away, elderly, disabled, policy beneficiary → b; a group matter → đ) and can be changed."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tiepdan.hearings import selection
from tiepdan.hearings.models import OnlineSelection

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("changes", "ground"), [
    ({"online_reason": "far_away"}, "b"),
    ({"online_reason": "elderly"}, "b"),
    ({"online_reason": "disabled"}, "b"),
    ({"online_reason": "policy_beneficiary"}, "b"),
    ({"online_reason": "elderly", "group_size": 7}, "dd"),
    ({"online_reason": "other"}, ""),
], ids=["far-away", "elderly", "disabled", "policy", "group-wins", "other-reason-no-default"])
def test_the_ground_follows_the_stated_reason(accepted_matter, changes, ground):
    for name, value in changes.items():
        setattr(accepted_matter, name, value)
    assert selection.suggested_ground(accepted_matter) == ground


def test_the_proposal_page_preselects_it_and_the_office_may_change_it(
        client, login_staff, officer, accepted_matter):
    accepted_matter.online_reason = "elderly"
    accepted_matter.save()
    login_staff(client, officer)
    url = reverse("hearings:propose", args=[accepted_matter.commune.ward_code,
                                            accepted_matter.pk])
    page = client.get(url).content.decode()
    assert '<option value="b" selected>' in page
    assert "Người cao tuổi, già yếu" in page
    response = client.post(url, {"ground": "a", "note": "Vụ việc phức tạp"}, follow=True)
    assert "Đã gửi đề xuất tiếp trực tuyến" in response.content.decode()
    assert OnlineSelection.objects.get().ground == "a"


def test_a_proposal_without_a_ground_is_refused(client, login_staff, officer, accepted_matter):
    accepted_matter.online_reason = "other"
    accepted_matter.save()
    login_staff(client, officer)
    url = reverse("hearings:propose", args=[accepted_matter.commune.ward_code,
                                            accepted_matter.pk])
    response = client.post(url, {"ground": ""})
    assert response.status_code == 422
    assert "Chọn căn cứ theo Điều 4.1 Quy chế." in response.content.decode()
    assert not OnlineSelection.objects.exists()
