"""Issue 15 §4: once the Biên bản is final and issued, each citizen of the agenda (and each
group representative) gets a personal short link by SMS; on the page they read the Biên bản
and confirm it with a one-time code sent by SMS, or state their disagreement.  The answer is
recorded once (time, phone digest, the SHA-256 of the PDF read), shown to staff and printed
on the Phiếu xác nhận.  A sealed denouncer is reached through the sealed contact and named
nowhere.  Every bad input gets a Vietnamese message and changes nothing."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
from collections.abc import Iterator

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.test import TestCase
from django.urls import reverse
from pypdf import PdfReader

from tests.fixtures.held_hearing import DENOUNCER, ENDED
from tests.module_data import built_once
from tiepdan.core.models import AuditEntry
from tiepdan.documents.signing import official_sha256
from tiepdan.hearings.models import Hearing
from tiepdan.intake.digests import citizen_digests
from tiepdan.intake.models import Representative
from tiepdan.minutes import confirmation, services
from tiepdan.minutes.models import ConfirmationRequest, Minutes, MinutesConfirmation
from tiepdan.notify.models import Delivery

pytestmark = pytest.mark.django_db

SECTIONS = {
    "proceedings": "Công dân Trần Thị Bình trình bày kiến nghị sửa đường liên thôn.",
    "citizen_opinions": "Đề nghị sửa trước mùa mưa.",
    "chair_conclusion": "Giao Phòng Kinh tế kiểm tra, báo cáo trong 10 ngày làm việc.",
}
#: The recommendation's petitioner, as the registration form stores the number (E.164).
CITIZEN_PHONE = "+84912000101"
REP_PHONE = "0912000555"
SEALED_PHONE = "+84" + DENOUNCER[3][1:]
SEALED_LABEL = "Người tố cáo (danh tính được giữ bí mật)"


@pytest.fixture(scope="module")
def issued_world(held_world, django_db_blocker, module_folder) -> Iterator[int]:
    """The module's hearing with the petitioner's representative and its minutes finalised
    (the Biên bản issued after commit, the SMS links sent): the minutes' primary key."""

    def build() -> int:
        with time_machine.travel(ENDED, tick=False):
            officer = get_user_model().objects.get(pk=held_world.officer)
            Representative.objects.create(
                matter_id=held_world.recommendation, position=1, full_name="Ngô Văn Đại Diện",
                phone=REP_PHONE)
            minutes = services.draft_minutes(Hearing.objects.get(pk=held_world.hearing),
                                             actor=officer)
            services.update_sections(minutes, actor=officer, **SECTIONS)
            with TestCase.captureOnCommitCallbacks(execute=True):
                services.finalise(minutes, actor=officer)
        return minutes.pk

    with built_once(django_db_blocker, module_folder, build) as pk:
        yield pk


@pytest.fixture
def representative(recommendation) -> Representative:
    """The petitioner's representative (the one of ``issued_world`` when the test has it)."""
    return Representative.objects.get_or_create(
        matter=recommendation, position=1,
        defaults={"full_name": "Ngô Văn Đại Diện", "phone": REP_PHONE})[0]


@pytest.fixture
def issued(world, issued_world, representative) -> Minutes:
    minutes = Minutes.objects.select_related("document").get(pk=issued_world)
    assert minutes.document is not None
    return minutes


def _sms(phone: str, purpose: str) -> list[Delivery]:
    return list(Delivery.objects.filter(channel="sms", recipient=phone, purpose=purpose)
                .order_by("id"))


def _link_of(phone: str) -> str:
    """The path of the short link in the last confirmation SMS to ``phone``."""
    [sms] = _sms(phone, "minutes.confirmation")
    return re.search(r"https?://[^/\s]+(/s/\S+)$", sms.body_text).group(1)


def _page(client, phone: str) -> str:
    response = client.get(_link_of(phone))
    assert response.status_code == 302
    return response["Location"]


def _code_of(phone: str) -> str:
    sms = _sms(phone, "minutes.confirmation_code")[-1]
    return re.search(r"ma xac nhan bien ban (\d{6})", sms.body_text).group(1)


def _send_code(client, url: str, phone: str) -> str:
    response = client.post(url, {"action": "send"})
    assert response.status_code == 302, response.content.decode()
    return _code_of(phone)


def _answer(client, url: str, code: str, kind: str = "confirmed", disagreement: str = "",
            sha: str | None = None):
    if sha is None:
        sha = re.search(r'name="document_sha256" value="([0-9a-f]{64})"',
                        client.get(url).content.decode()).group(1)
    return client.post(url, {"code": code, "kind": kind, "disagreement": disagreement,
                             "document_sha256": sha})


def _counts() -> tuple[int, int]:
    return MinutesConfirmation.objects.count(), AuditEntry.objects.filter(
        object_type="minutes.minutesconfirmation").count()


def _message(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


# -- Links -------------------------------------------------------------------------------------

def test_each_citizen_and_representative_gets_one_sms_naming_the_commune(issued):
    refs = set(ConfirmationRequest.objects.values_list("participant_ref", flat=True))
    assert len(refs) == 3  # the petitioner, their representative, the sealed denouncer
    for phone in (CITIZEN_PHONE, REP_PHONE, SEALED_PHONE):
        [sms] = _sms(phone, "minutes.confirmation")
        assert sms.body_text.startswith("UBND xa An Lao: da co bien ban buoi tiep 15/12/2026.")
        assert len(sms.body_text) <= 160 and sms.body_text.isascii()
    # Issuing again changes nothing: no second request, no second SMS.
    services.issue_minutes_document(issued, actor=None)
    assert ConfirmationRequest.objects.count() == 3
    assert Delivery.objects.filter(purpose="minutes.confirmation").count() == 3


# -- Happy path ----------------------------------------------------------------------------------

def test_a_citizen_reads_and_confirms_with_the_code_from_the_sms(client, issued, clock):
    url = _page(client, CITIZEN_PHONE)
    html = client.get(url).content.decode()
    assert "Biên bản số 01/BB-UBND" in html and SECTIONS["chair_conclusion"] in html
    pdf = client.get(url + "bien-ban.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    read_sha = hashlib.sha256(pdf.content).hexdigest()
    assert read_sha == official_sha256(issued.document) and read_sha in html

    code = _send_code(client, url, CITIZEN_PHONE)
    stored = ConfirmationRequest.objects.get(participant_ref__startswith="matter:",
                                             sealed=False)
    # Hashed at rest: a 64-digit HMAC, not the 6 digits.
    assert re.fullmatch(r"[0-9a-f]{64}", stored.code_digest) and stored.code_digest != code
    response = _answer(client, url, code, sha=read_sha)
    assert response.status_code == 302
    [answer] = MinutesConfirmation.objects.all()
    assert answer.kind == "confirmed" and answer.document_sha256 == read_sha
    assert answer.phone_digest == citizen_digests("", CITIZEN_PHONE)[1]
    assert CITIZEN_PHONE not in answer.phone_digest
    assert "Đã ghi nhận: Xác nhận nội dung biên bản" in _message(client.get(url))
    assert AuditEntry.objects.filter(object_type="minutes.minutesconfirmation",
                                     type="minutes.confirmation.recorded",
                                     data__symbol__startswith="01/BB-UBND",
                                     data__digest=read_sha[:12]).exists()


def test_a_citizen_states_a_disagreement_in_writing(client, issued):
    url = _page(client, REP_PHONE)
    code = _send_code(client, url, REP_PHONE)
    assert _answer(client, url, code, kind="disagreed",
                   disagreement="Biên bản ghi thiếu ý kiến về thời hạn sửa đường."
                   ).status_code == 302
    answer = MinutesConfirmation.objects.get()
    assert answer.kind == "disagreed"
    assert answer.disagreement == "Biên bản ghi thiếu ý kiến về thời hạn sửa đường."
    assert answer.phone_digest == citizen_digests("", REP_PHONE)[1]


def test_staff_see_the_answers_on_the_minutes_and_document_pages_and_the_sheet(
        client, login_staff, officer, issued):
    url = _page(client, CITIZEN_PHONE)
    _answer(client, url, _send_code(client, url, CITIZEN_PHONE))
    login_staff(client, officer)
    ward = issued.hearing.commune.ward_code
    for page in (reverse("minutes:page", args=[ward, issued.hearing_id]),
                 reverse("documents:detail", args=[issued.document_id])):
        html = _message(client.get(page))
        assert "Xác nhận của công dân" in html
        assert 'data-kind="confirmed"' in html and "Ngô Văn Đại Diện (người đại diện)" in html
        assert SEALED_LABEL in html and DENOUNCER[0] not in html
    sheet = client.get(reverse("minutes:confirmation_sheet",
                               args=[ward, issued.hearing_id, issued.pk]))
    assert sheet.status_code == 200 and sheet["Content-Type"] == "application/pdf"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(sheet.content)).pages)
    text = re.sub(r"\s+", " ", text)
    assert "PHIẾU XÁC NHẬN CỦA CÔNG DÂN" in text and "01/BB-UBND" in text
    assert "Xác nhận nội dung biên bản" in text
    assert official_sha256(issued.document) in text.replace(" ", "")
    assert DENOUNCER[0] not in text


# -- The sealed denouncer ------------------------------------------------------------------------

def test_a_sealed_denouncer_confirms_through_the_sealed_contact_named_nowhere(client, issued):
    request = ConfirmationRequest.objects.get(sealed=True)
    assert request.label == SEALED_LABEL and DENOUNCER[0] not in request.label
    url = _page(client, SEALED_PHONE)  # the SMS went to the sealed phone
    html = client.get(url).content.decode()
    assert DENOUNCER[0] not in html and SEALED_PHONE not in html and DENOUNCER[3] not in html
    code = _send_code(client, url, SEALED_PHONE)
    assert _answer(client, url, code).status_code == 302
    answer = MinutesConfirmation.objects.get()
    assert answer.request == request
    assert answer.phone_digest == citizen_digests("", SEALED_PHONE)[1]
    audit = AuditEntry.objects.get(object_type="minutes.minutesconfirmation")
    assert audit.type == "minutes.confirmation.recorded" and audit.data["who"] == SEALED_LABEL
    assert audit.text.startswith(SEALED_LABEL) and DENOUNCER[0] not in audit.text
    assert DENOUNCER[0] not in str(audit.data)


# -- Bad input -----------------------------------------------------------------------------------

def test_a_wrong_code_is_refused_and_counts_a_try(client, issued):
    url = _page(client, CITIZEN_PHONE)
    code = _send_code(client, url, CITIZEN_PHONE)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    before = _counts()
    response = _answer(client, url, wrong)
    assert response.status_code == 422
    assert "Mã xác nhận không đúng. Bạn còn 4 lần thử." in _message(response)
    assert _counts() == before


def test_an_expired_code_is_refused(client, issued, clock):
    url = _page(client, CITIZEN_PHONE)
    code = _send_code(client, url, CITIZEN_PHONE)
    clock.shift(dt.timedelta(minutes=10, seconds=1))
    before = _counts()
    response = _answer(client, url, code)
    assert response.status_code == 422
    assert "Mã xác nhận đã hết hạn (mã có hiệu lực 10 phút)." in _message(response)
    assert _counts() == before


def test_after_five_wrong_tries_even_the_right_code_is_refused(client, issued):
    url = _page(client, CITIZEN_PHONE)
    code = _send_code(client, url, CITIZEN_PHONE)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    before = _counts()
    for _try in range(5):
        assert _answer(client, url, wrong).status_code == 422
    response = _answer(client, url, code)
    assert response.status_code == 422
    assert "Bạn đã nhập sai mã 5 lần; mã này không còn dùng được." in _message(response)
    assert _counts() == before


def test_a_code_of_another_matters_link_does_not_open_this_one(client, issued):
    other_url = _page(client, SEALED_PHONE)
    other_code = _send_code(client, other_url, SEALED_PHONE)
    url = _page(client, CITIZEN_PHONE)
    _send_code(client, url, CITIZEN_PHONE)
    before = _counts()
    response = _answer(client, url, other_code)
    assert response.status_code == 422 and "Mã xác nhận không đúng." in _message(response)
    assert _counts() == before


def test_a_tampered_link_is_refused(client, issued):
    url = _page(client, CITIZEN_PHONE)
    token = url.rstrip("/").rsplit("/", 1)[1]
    forged = reverse("minutes:confirm", args=[token[:-2] + ("AA" if token[-2:] != "AA"
                                                            else "BB")])
    before = _counts()
    response = client.post(forged, {"action": "send"})
    assert response.status_code == 404
    assert "Đường dẫn xác nhận biên bản không đúng hoặc đã hết hạn." in _message(response)
    assert _counts() == before
    assert not _sms(CITIZEN_PHONE, "minutes.confirmation_code")


def test_a_second_answer_is_refused(client, issued, clock):
    url = _page(client, CITIZEN_PHONE)
    _answer(client, url, _send_code(client, url, CITIZEN_PHONE))
    before = _counts()
    clock.shift(dt.timedelta(minutes=2))
    response = client.post(url, {"action": "send"})
    assert response.status_code == 422
    assert "mỗi người chỉ xác nhận một lần" in _message(response)
    assert not confirmation.MinutesConfirmation.objects.exclude(kind="confirmed").exists()
    assert _counts() == before


def test_a_second_answer_with_the_code_is_refused(client, issued):
    url = _page(client, CITIZEN_PHONE)
    code = _send_code(client, url, CITIZEN_PHONE)
    sha = official_sha256(issued.document)
    assert _answer(client, url, code, sha=sha).status_code == 302
    before = _counts()
    response = _answer(client, url, code, kind="disagreed", disagreement="Đổi ý.", sha=sha)
    assert response.status_code == 422
    assert "mỗi người chỉ xác nhận một lần" in _message(response)
    assert MinutesConfirmation.objects.get().kind == "confirmed"
    assert _counts() == before


def test_a_superseded_version_can_no_longer_be_confirmed(client, officer, issued,
                                                        django_capture_on_commit_callbacks):
    url = _page(client, CITIZEN_PHONE)
    code = _send_code(client, url, CITIZEN_PHONE)
    corrected = services.new_version(issued, actor=officer)
    with django_capture_on_commit_callbacks(execute=True):
        services.finalise(corrected, actor=officer)
    assert "Biên bản này đã được thay bằng phiên bản sửa đổi" in _message(client.get(url))
    before = _counts()
    response = _answer(client, url, code, sha=official_sha256(issued.document))
    assert response.status_code == 422
    assert "Biên bản này đã được thay bằng phiên bản sửa đổi" in _message(response)
    assert _counts() == before
    # The corrected version asks everyone again, with new links.
    assert ConfirmationRequest.objects.filter(minutes=corrected).count() == 3


def test_a_disagreement_without_text_is_refused(client, issued):
    url = _page(client, CITIZEN_PHONE)
    code = _send_code(client, url, CITIZEN_PHONE)
    before = _counts()
    response = _answer(client, url, code, kind="disagreed", disagreement="  ")
    assert response.status_code == 422
    assert "Ghi rõ nội dung bạn không đồng ý." in _message(response)
    assert _counts() == before


def test_control_characters_in_a_disagreement_are_refused(client, issued):
    url = _page(client, CITIZEN_PHONE)
    code = _send_code(client, url, CITIZEN_PHONE)
    before = _counts()
    response = _answer(client, url, code, kind="disagreed", disagreement="Sai\x1b[2J")
    assert response.status_code == 422
    assert "ký tự điều khiển không hợp lệ" in _message(response)
    assert _counts() == before


def test_a_code_asked_again_within_a_minute_is_refused(client, issued):
    url = _page(client, CITIZEN_PHONE)
    _send_code(client, url, CITIZEN_PHONE)
    response = client.post(url, {"action": "send"})
    assert response.status_code == 422
    assert "Mã vừa được gửi; vui lòng chờ" in _message(response)
    assert len(_sms(CITIZEN_PHONE, "minutes.confirmation_code")) == 1


def test_codes_are_limited_per_hour(client, issued, clock):
    url = _page(client, CITIZEN_PHONE)
    for _n in range(confirmation.MAX_CODES_PER_HOUR):
        _send_code(client, url, CITIZEN_PHONE)
        clock.shift(dt.timedelta(seconds=61))
    response = client.post(url, {"action": "send"})
    assert response.status_code == 422
    assert "Bạn đã yêu cầu quá nhiều mã trong một giờ" in _message(response)
    assert len(_sms(CITIZEN_PHONE, "minutes.confirmation_code")) == 5


def test_codes_asked_from_one_address_are_limited_across_links(client, issued, monkeypatch):
    from tiepdan.minutes import confirmation_views

    monkeypatch.setattr(confirmation_views, "SEND_RATE", "2/h")
    _send_code(client, _page(client, CITIZEN_PHONE), CITIZEN_PHONE)
    _send_code(client, _page(client, REP_PHONE), REP_PHONE)
    response = client.post(_page(client, SEALED_PHONE), {"action": "send"})
    assert response.status_code == 429
    assert "Bạn đã yêu cầu quá nhiều mã; vui lòng thử lại sau." in _message(response)
    assert not _sms(SEALED_PHONE, "minutes.confirmation_code")


def test_the_old_code_stops_working_when_a_new_one_is_sent(client, issued, clock):
    url = _page(client, CITIZEN_PHONE)
    first = _send_code(client, url, CITIZEN_PHONE)
    clock.shift(dt.timedelta(seconds=61))
    second = _send_code(client, url, CITIZEN_PHONE)
    if first != second:
        before = _counts()
        assert _answer(client, url, first).status_code == 422
        assert _counts() == before
    assert _answer(client, url, second).status_code == 302


def test_an_answer_for_a_version_not_read_is_refused(client, issued):
    url = _page(client, CITIZEN_PHONE)
    code = _send_code(client, url, CITIZEN_PHONE)
    before = _counts()
    response = _answer(client, url, code, sha="0" * 64)
    assert response.status_code == 422
    assert "vui lòng đọc lại bản mới rồi xác nhận" in _message(response)
    assert _counts() == before


# -- English -------------------------------------------------------------------------------------

def test_the_page_and_messages_are_in_english_too(client, issued, settings):
    url = _page(client, CITIZEN_PHONE)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(url).content.decode()
    assert "Citizen&#x27;s confirmation" in html or "Citizen's confirmation" in html
    code = _send_code(client, url, CITIZEN_PHONE)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    assert "The confirmation code is wrong. You have 4 tries left." in _message(
        _answer(client, url, wrong))


def test_an_answer_without_a_choice_says_so_by_the_field(client, issued):
    url = _page(client, CITIZEN_PHONE)
    code = _send_code(client, url, CITIZEN_PHONE)
    before = _counts()
    response = _answer(client, url, code, kind="")
    assert response.status_code == 422
    assert 'id="id_kind_error"' in response.content.decode()
    assert "Chọn xác nhận hoặc không đồng ý." in _message(response)
    assert _counts() == before
