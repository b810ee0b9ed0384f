"""Every SMS of the catalogue fits ONE segment in the alphabet it declares, with the longest
values it can meet: the longest commune name of the country, the longest link, long codes."""

from __future__ import annotations

import pytest
from vietnam_provinces import Ward

from tests.factories import CommuneFactory
from tiepdan.core import short_links
from tiepdan.notify import sms_templates
from tiepdan.notify.sms_templates import CATALOGUE, SmsTemplate, commune_short_name, gsm7
from tiepdan.notify.sms_text import SmsEncoding, cost, is_gsm7

pytestmark = pytest.mark.django_db

#: A public address as long as a commune's own domain makes it.
LONG_SITE_URL = "https://tiepcongdan.haiphong.gov.vn"
assert len(LONG_SITE_URL) == sms_templates.TESTED_SITE_URL_LENGTH
CODE = "7K2M-9Q4X-WXYZ"  # the tracking code is always 3 groups of 4 characters
#: The longest value each placeholder can take.
WORST = {
    "code": CODE,
    "group": CODE,
    "codes": ", ".join([CODE] * 6),
    "when": "08:00 15/12/2026",
    "date": "31/12/2026",
    "symbol": "9999/TB-UBND",
    "otp": "999999",
    "reason": "Trùng lịch họp đột xuất của Thành ủy về phòng chống lụt bão — dời để bảo đảm "
    "thành phần; “kính mong” Ông/Bà thông cảm…",
}


@pytest.fixture
def longest_commune(city):
    ward = max(Ward.iter_all(), key=lambda w: len(w.name))
    return CommuneFactory(ward_code=int(ward.code), name=ward.name, city=city)


@pytest.fixture
def longest_link(settings):
    settings.SITE_URL = LONG_SITE_URL
    return short_links.short_url("h", 62**5 - 1)  # an id of 5 base62 digits: 916 million


def _values(template: SmsTemplate) -> dict[str, str]:
    return {name: value for name, value in WORST.items() if f"%({name})s" in str(template.text)}


def test_the_catalogue_has_every_message_the_product_sends():
    assert set(CATALOGUE) == {
        "intake.receipt_sms",
        "intake.merge",
        "intake.split",
        "hearings.invitation",
        "hearings.change",
        "hearings.cancel",
        "hearings.participant_reminder",
        "minutes.conclusion_notice",
        "minutes.confirmation",
        "minutes.confirmation_code",
        "followup.final_outcome",
    }


@pytest.mark.parametrize("key", sorted(CATALOGUE))
def test_each_message_fits_one_segment_in_its_declared_alphabet(key, longest_commune, longest_link):
    template = CATALOGUE[key]
    sms = template.render(commune=longest_commune, link=longest_link, **_values(template))
    measured = cost(sms.text)
    assert measured.encoding == template.encoding, sms.text
    assert measured.segments == 1, (measured.units, sms.text)
    if template.encoding == SmsEncoding.GSM7:
        assert is_gsm7(sms.text)
        assert sms.text.isascii(), "unaccented: nothing that reads as a half-accented text"


@pytest.mark.parametrize("key", sorted(CATALOGUE))
def test_each_message_names_the_commune_and_carries_the_short_link(
    key, longest_commune, longest_link
):
    template = CATALOGUE[key]
    sms = template.render(commune=longest_commune, link=longest_link, **_values(template))
    assert "UBND phuong Van Mieu - Quoc Tu Giam" in sms.text
    assert sms.text.endswith(longest_link)


@pytest.mark.parametrize("key", sorted(CATALOGUE))
def test_no_template_mixes_accented_and_unaccented_text(key):
    # Declared GSM-7: written in real Vietnamese, stripped whole when rendered; declared UCS-2:
    # it must fit 70 units as written.
    template = CATALOGUE[key]
    if template.encoding == SmsEncoding.UCS2:
        assert cost(str(template.text)).encoding == SmsEncoding.UCS2


def test_a_long_reason_is_shortened_to_keep_one_segment(longest_commune, longest_link):
    sms = sms_templates.CANCELLED.render(
        commune=longest_commune, link=longest_link, when=WORST["when"], reason=WORST["reason"]
    )
    assert cost(sms.text).segments == 1
    assert "(ly do: Trung lich" in sms.text and "...). Xem: " in sms.text
    # ZNS gets the whole reason, accented: its template has its own limits.
    assert sms.params["reason"] == WORST["reason"]


def test_a_short_reason_is_kept_whole(an_lao, settings):
    sms = sms_templates.CANCELLED.render(
        commune=an_lao, link="http://x.vn/s/h1abcdefgh", when=WORST["when"], reason="Mưa bão"
    )
    assert sms.text == (
        "UBND xa An Lao: HUY buoi tiep cong dan 08:00 15/12/2026 (ly do: Mua bao). "
        "Xem: http://x.vn/s/h1abcdefgh"
    )


def test_the_zns_parameters_are_the_accented_values(an_lao):
    sms = sms_templates.RECEIPT.render(commune=an_lao, link="http://x.vn/s/h1abcdefgh", code=CODE)
    assert sms.params == {
        "commune": "UBND xã An Lão",
        "link": "http://x.vn/s/h1abcdefgh",
        "code": CODE,
    }
    assert (
        sms.text == "UBND xa An Lao da nhan don, ma ho so 7K2M-9Q4X-WXYZ. Theo doi: "
        "http://x.vn/s/h1abcdefgh"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("Đặc khu Bạch Long Vĩ", "Dac khu Bach Long Vi", id="diacritics-and-d-stroke"),
        pytest.param("“Trùng lịch” — dời…", '"Trung lich" - doi...', id="typographic-marks"),
        pytest.param("Lý do: 会议 🙏", "Ly do: ?? ?", id="other-scripts-become-question-marks"),
        pytest.param("NFD: Nguyễn", "NFD: Nguyen", id="decomposed-accents"),
    ],
)
def test_gsm7_text_is_in_the_alphabet(text, expected):
    assert gsm7(text) == expected
    assert is_gsm7(gsm7(text))


def test_a_ucs2_template_keeps_its_accents(an_lao):
    template = SmsTemplate("test.ucs2", "%(commune)s: đã nhận. %(link)s", encoding=SmsEncoding.UCS2)
    sms = template.render(commune=an_lao, link="http://x.vn/s/h1")
    assert sms.text == "UBND xã An Lão: đã nhận. http://x.vn/s/h1"
    assert cost(sms.text).encoding == SmsEncoding.UCS2 and cost(sms.text).segments == 1


def test_the_commune_is_named_by_its_committee(an_lao):
    assert commune_short_name(an_lao) == "UBND xã An Lão"


def test_a_longer_public_address_is_warned_about(settings):
    settings.SITE_URL = "https://" + "x" * sms_templates.TESTED_SITE_URL_LENGTH
    [warning] = sms_templates.check_site_url_fits_sms()
    assert warning.id == "notify.W001"
    settings.SITE_URL = LONG_SITE_URL
    assert sms_templates.check_site_url_fits_sms() == []
