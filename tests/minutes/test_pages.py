"""The minutes page: the office drafts, completes and finalises the minutes, the chair's
conclusions are recorded and their notice issued; errors come back in Vietnamese with what was
typed; other communes and read-only roles are kept out."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import CommuneFactory, staff_user
from tiepdan.core.models import Role
from tiepdan.followup.models import Body
from tiepdan.intake.models import MatterStatus
from tiepdan.minutes import services
from tiepdan.minutes.models import Conclusion, Minutes, MinutesStatus

pytestmark = pytest.mark.django_db


def _url(hearing, action: str = "") -> str:
    if action:
        return reverse("minutes:action", args=[hearing.commune.ward_code, hearing.pk, action])
    return reverse("minutes:page", args=[hearing.commune.ward_code, hearing.pk])


def test_the_hearing_page_links_to_the_minutes(client, login_staff, officer, hearing):
    login_staff(client, officer)
    page = client.get(reverse("hearings:detail", args=[hearing.commune.ward_code, hearing.pk]))
    assert _url(hearing) in page.content.decode()


def test_an_officer_drafts_completes_and_finalises(client, login_staff, officer, hearing,
                                                    django_capture_on_commit_callbacks):
    login_staff(client, officer)
    assert "Chưa có biên bản" in client.get(_url(hearing)).content.decode()
    assert client.post(_url(hearing, "draft")).status_code == 302
    html = client.get(_url(hearing)).content.decode()
    assert "00:05:12" in html and "Bùi Thị Thay" in html

    typed = {"proceedings": "Công dân trình bày kiến nghị.", "citizen_opinions": "",
             "chair_conclusion": "", "chair_name": "Vũ Văn Chủ Tịch",
             "secretary_name": "Đỗ Thị Văn Phòng"}
    response = client.post(_url(hearing, "finalise"), typed)
    assert response.status_code == 422
    html = response.content.decode()
    assert "Ghi kết luận của người chủ trì." in html
    assert "Công dân trình bày kiến nghị." in html  # what was typed is kept
    minutes = Minutes.objects.get()
    assert minutes.status == MinutesStatus.DRAFT and minutes.proceedings == ""  # nothing saved

    typed["chair_conclusion"] = "Giao Phòng Kinh tế kiểm tra."
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(_url(hearing, "finalise"), typed).status_code == 302
    minutes.refresh_from_db()
    assert minutes.status == MinutesStatus.FINAL
    html = client.get(_url(hearing)).content.decode()
    assert "01/BB-UBND" in html and "Sửa biên bản" in html
    assert client.post(_url(hearing, "save"), typed).status_code == 422  # final: immutable

    assert client.post(_url(hearing, "new-version")).status_code == 302
    assert list(Minutes.objects.order_by("version").values_list("version", "status")) == [
        (1, "final"), (2, "draft")]


def test_a_conclusion_is_recorded_and_its_notice_issued(
        client, login_staff, chairman, hearing, recommendation,
        django_capture_on_commit_callbacks):
    login_staff(client, chairman)
    url = reverse("minutes:conclusion",
                  args=[hearing.commune.ward_code, hearing.pk, recommendation.pk])
    prefix = f"m{recommendation.pk}-"
    bad = {prefix + "outcome": "assigned", prefix + "directions": "Giao kiểm tra.",
           prefix + "deadline_working_days": ""}  # no body ticked
    response = client.post(url, bad)
    assert response.status_code == 422
    html = response.content.decode()
    assert "Ghi cơ quan, đơn vị được giao xem xét, giải quyết." in html
    assert "Giao kiểm tra." in html
    # The bodies are ticked in the commune's list, not typed.
    economy = Body.objects.create(commune=hearing.commune, name="Phòng Kinh tế xã",
                                  email="kinhte@example.org")
    police = Body.objects.create(commune=hearing.commune, name="Công an xã")
    elsewhere = Body.objects.create(commune=CommuneFactory(), name="Phòng Kinh tế")
    assert f'value="{economy.pk}"' in client.get(_url(hearing)).content.decode()
    foreign = {**bad, prefix + "responsible_bodies": [str(elsewhere.pk)],
               prefix + "deadline_working_days": "10"}
    response = client.post(url, foreign)
    assert response.status_code == 422
    assert "Chọn cơ quan, đơn vị trong danh sách." in response.content.decode()
    assert not Conclusion.objects.exists()
    good = {**foreign, prefix + "responsible_bodies": [str(economy.pk), str(police.pk)]}
    response = client.post(url, good, follow=True)
    assert "Đã ghi kết luận về hồ sơ" in response.content.decode()
    conclusion = Conclusion.objects.get()
    assert conclusion.due_date is not None
    assert sorted(conclusion.responsible_bodies, key=lambda b: b["id"]) == [
        {"id": economy.pk, "name": "Phòng Kinh tế xã", "email": "kinhte@example.org"},
        {"id": police.pk, "name": "Công an xã", "email": ""}]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("minutes:notice", args=[
            hearing.commune.ward_code, hearing.pk, recommendation.pk]))
    assert response.status_code == 302
    recommendation.refresh_from_db()
    assert recommendation.status == MatterStatus.CONCLUDED
    html = client.get(_url(hearing)).content.decode()
    assert "02/TB-UBND" in html
    # The message says what happened and what comes next.
    assert ("Đã ban hành Thông báo kết luận số 02/TB-UBND, gửi công dân và giao 2 việc cho cơ "
            "quan, đơn vị. Theo dõi tiến độ trên bảng theo dõi.") in html


def test_issuing_without_a_conclusion_is_not_found(client, login_staff, chairman, hearing,
                                                   recommendation):
    login_staff(client, chairman)
    response = client.post(reverse("minutes:notice", args=[
        hearing.commune.ward_code, hearing.pk, recommendation.pk]))
    assert response.status_code == 404


def test_another_communes_staff_are_refused(client, login_staff, hearing, lac_phuong):
    stranger = staff_user(Role.OFFICE_OFFICER, commune=lac_phuong)
    login_staff(client, stranger)
    assert client.get(_url(hearing)).status_code == 403
    assert client.post(_url(hearing, "draft")).status_code == 403
    # Their own commune's address with this hearing's number: no such hearing there.
    own = reverse("minutes:page", args=[lac_phuong.ward_code, hearing.pk])
    assert client.get(own).status_code == 404


def test_read_only_roles_read_but_do_not_write(client, login_staff, an_lao, officer, hearing,
                                               recommendation):
    services.draft_minutes(hearing, actor=officer)
    police = staff_user(Role.COMMUNE_POLICE, commune=an_lao)
    login_staff(client, police)
    page = client.get(_url(hearing))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Bùi Thị Thay" in html and 'id="minutes-form"' not in html
    assert client.post(_url(hearing, "save"), {"proceedings": "x"}).status_code == 403
    url = reverse("minutes:conclusion",
                  args=[hearing.commune.ward_code, hearing.pk, recommendation.pk])
    assert client.post(url, {}).status_code == 403


def test_a_vice_chairman_concludes_but_does_not_edit_minutes(client, login_staff, an_lao,
                                                             hearing):
    vice = staff_user(Role.VICE_CHAIRMAN, commune=an_lao)
    login_staff(client, vice)
    html = client.get(_url(hearing)).content.decode()
    assert "Ghi kết luận" in html and "Lập dự thảo biên bản" not in html
    assert client.post(_url(hearing, "draft")).status_code == 403
