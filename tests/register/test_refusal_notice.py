"""A refusal issues the notice 01/TCD after it commits; a failed issue keeps the refusal and
can be retried from the matter page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from tests.document_text import docx_text
from tiepdan.core.step_models import DurableStep, StepState
from tiepdan.documents.models import IssuedDocument
from tiepdan.intake.models import Gender, MatterDeadline, MatterStatus, RefusalGround
from tiepdan.intake.register.models import RegisterEntry
from tiepdan.intake.triage import state_machine as triage

from .conftest import registered

pytestmark = pytest.mark.django_db


def _refuse(matter, officer, capture, ground=RefusalGround.PERSISTENT):
    with capture(execute=True):
        triage.refuse(matter, ground=ground, actor=officer,
                      reason="Đã được trả lời bằng văn bản đúng pháp luật")
    matter.refresh_from_db()
    return matter




def _deadline(matter) -> MatterDeadline:
    return MatterDeadline.objects.get(matter=matter, rule_key="refusal_notice")


def test_a_refusal_issues_the_01_tcd_to_the_citizen(
        an_lao, officer, chairman, django_capture_on_commit_callbacks):
    matter = registered(an_lao, gender=Gender.FEMALE, id_issue_date=dt.date(2021, 4, 10),
                        id_issue_place="Cục Cảnh sát QLHC về TTXH")
    matter = _refuse(matter, officer, django_capture_on_commit_callbacks)
    entry = RegisterEntry.objects.select_related("refusal_notice").get(matter=matter)
    notice = entry.refusal_notice
    assert notice is not None and notice.template_key == "refusal_01_tcd"
    assert (notice.symbol, notice.signer_name) == ("01/TB-UBND", "Vũ Văn Chủ Tịch")
    text = docx_text(notice)
    assert "Số: 01/TB-UBND" in text and "THÔNG BÁO" in text.upper()
    assert "Kính gửi: Bà Trần Thị Bình" in text
    assert "031185000101" in text and "10/04/2021" in text and "Thôn Hàm Hy" in text
    assert "Căn cứ khoản 3 Điều 9 Luật Tiếp công dân năm 2013" in text
    assert "Kiến nghị sửa đường" in text
    assert "CHỦ TỊCH" in text.upper()


def test_issuing_it_closes_the_refusal_notice_deadline(
        an_lao, officer, chairman, django_capture_on_commit_callbacks):
    matter = _refuse(registered(an_lao), officer, django_capture_on_commit_callbacks)
    deadline = _deadline(matter)
    assert not deadline.open and deadline.met_at is not None


@pytest.mark.parametrize(("ground", "basis"), [
    pytest.param(RefusalGround.THREATENING, "khoản 2 Điều 9 Luật Tiếp công dân năm 2013",
                 id="law-art9-k2"),
    pytest.param(RefusalGround.REPEAT_NO_NEW_FACTS,
                 "điểm h Điều 4 Nghị định số 154/2026/NĐ-CP", id="decree-art4-h"),
    pytest.param(RefusalGround.WEAPONS, "Điều 4 Nghị định số 154/2026/NĐ-CP", id="decree-art4"),
])
def test_the_notice_cites_the_legal_basis_of_the_ground(
        an_lao, officer, chairman, django_capture_on_commit_callbacks, ground, basis):
    matter = _refuse(registered(an_lao), officer, django_capture_on_commit_callbacks, ground)
    text = docx_text(RegisterEntry.objects.get(matter=matter).refusal_notice)
    assert f"Căn cứ {basis}" in text


def test_a_failed_render_keeps_the_refusal_and_can_be_retried(
        monkeypatch, client, login_staff, an_lao, officer, chairman,
        django_capture_on_commit_callbacks):
    def broken(doc_type, context):
        raise RuntimeError("renderer crashed")

    monkeypatch.setattr("tiepdan.documents.services.render", broken)
    matter = _refuse(registered(an_lao), officer, django_capture_on_commit_callbacks)
    assert matter.status == MatterStatus.REFUSED
    assert RegisterEntry.objects.get(matter=matter).refusal_notice is None
    assert _deadline(matter).open
    # Not lost to a log line: a durable step waits to be retried, with the error.
    step = DurableStep.objects.get(key=f"register.refusal_notice:{matter.pk}")
    assert (step.state, step.attempts) == (StepState.PENDING, 1)
    assert "renderer crashed" in step.last_error

    login_staff(client, officer)
    page = client.get(reverse("intake:matter", args=[an_lao.ward_code, matter.pk]))
    assert "Phát hành thông báo 01/TCD" in page.content.decode()

    monkeypatch.undo()
    response = client.post(reverse("register:issue_notice", args=[an_lao.ward_code, matter.pk]),
                           follow=True)
    notice = RegisterEntry.objects.get(matter=matter).refusal_notice
    # The failed attempt took no number: it was numbered in the transaction that rolled back.
    assert notice is not None and notice.symbol == "01/TB-UBND"
    assert not _deadline(matter).open
    html = response.content.decode()
    assert reverse("documents:download", args=[notice.pk, "pdf"]) in html
    assert "Phát hành thông báo 01/TCD" not in html


def test_retrying_an_issued_notice_gives_the_same_one(
        client, login_staff, an_lao, officer, chairman, django_capture_on_commit_callbacks):
    matter = _refuse(registered(an_lao), officer, django_capture_on_commit_callbacks)
    login_staff(client, officer)
    client.post(reverse("register:issue_notice", args=[an_lao.ward_code, matter.pk]))
    assert IssuedDocument.objects.count() == 1


def test_without_a_chairman_a_vice_chairman_signs_for_the_chairman(
        an_lao, officer, django_capture_on_commit_callbacks):
    from tests.factories import staff_user
    from tiepdan.core.models import Role

    staff_user(Role.VICE_CHAIRMAN, commune=an_lao, last_name="Bùi", first_name="Thị Phó")
    matter = _refuse(registered(an_lao), officer, django_capture_on_commit_callbacks)
    notice = RegisterEntry.objects.get(matter=matter).refusal_notice
    assert notice.signer_name == "Bùi Thị Phó"
    assert notice.context["layout"]["signer"]["authority"] == "KT. Chủ tịch"


def test_without_any_signer_the_refusal_stands_and_waits(
        an_lao, officer, django_capture_on_commit_callbacks):
    matter = _refuse(registered(an_lao), officer, django_capture_on_commit_callbacks)
    assert matter.status == MatterStatus.REFUSED
    assert not IssuedDocument.objects.exists() and _deadline(matter).open


def test_only_a_triage_officer_may_issue_it(
        client, login_staff, an_lao, officer, django_capture_on_commit_callbacks):
    from tests.factories import staff_user
    from tiepdan.core.models import Role

    matter = _refuse(registered(an_lao), officer, django_capture_on_commit_callbacks)
    login_staff(client, staff_user(Role.CITY_OBSERVER, commune=an_lao))
    response = client.post(reverse("register:issue_notice", args=[an_lao.ward_code, matter.pk]))
    assert response.status_code == 403
    assert not IssuedDocument.objects.exists()
