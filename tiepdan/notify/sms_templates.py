"""Every SMS the product sends, in one catalogue: one template per message, each in ONE segment.

A network bills a text by segment: 160 characters when every character is in the GSM-7
alphabet, 70 as soon as one is not (UCS-2 for the whole text; ``sms_text``).  Vietnamese
diacritics are outside GSM-7, so a template is declared either fully unaccented GSM-7 (the
rendered text, names and values included, is stripped of diacritics with
``core.text.strip_diacritics`` and of any other character outside the alphabet) or fully
accented UCS-2 within 70 — never mixed, which would pay UCS-2 prices for a text that reads as
unaccented.

Every message names its commune ("UBND xa An Lao": the citizen knows who writes) and carries the
short personal link (``core.short_links``) to the page that tells more.  The commune's name (up to
35 characters: "UBND phuong Van Mieu - Quoc Tu Giam") and the link (about 50) take 85 characters
before a word is said, more than a UCS-2 segment holds: so every template of today is GSM-7, and
the tests render each one with the longest values it can meet.  A template may name one free
value (a reason, a list of codes) as ``elastic``: it is shortened with "..." so that the text
stays within one segment; everything else is fixed-width.

The template's key is the delivery's ``purpose`` and the key of its Zalo ZNS template
(``ZNS_TEMPLATES``); its values, accented, are the ZNS template's parameters.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core import checks
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from tiepdan.core.models import Commune
from tiepdan.core.text import nfc, strip_diacritics

from .sms_text import SmsEncoding, cost, is_gsm7

log = logging.getLogger(__name__)

#: The longest public address (``SITE_URL``) the tests render every template with: a longer one
#: may push a message with the longest commune name into a second segment (a system warning).
TESTED_SITE_URL_LENGTH = len("https://tiepcongdan.haiphong.gov.vn")

#: How many units one segment holds in each encoding.
SEGMENT_UNITS = {SmsEncoding.GSM7: 160, SmsEncoding.UCS2: 70}

# Typographic characters Vietnamese text often carries, in their GSM-7 form.
_GSM7_LOOKALIKES = str.maketrans(
    {
        "“": '"',
        "”": '"',
        "„": '"',
        "‘": "'",
        "’": "'",
        "–": "-",
        "—": "-",
        "‑": "-",
        "…": "...",
        "\u00a0": " ",
        "\u202f": " ",
        "·": ".",
        "•": "-",
        "«": '"',
        "»": '"',
    }
)
ELLIPSIS = "..."


def gsm7(text: str) -> str:
    """``text`` in the GSM-7 alphabet: unaccented, typographic marks in their plain form, any
    other character (a letter of another script, an emoji) as "?"."""
    plain = strip_diacritics(text).translate(_GSM7_LOOKALIKES)
    return "".join(ch if is_gsm7(ch) else "?" for ch in plain)


def commune_short_name(commune: Commune) -> str:
    """How an SMS names the commune: "UBND xã An Lão" (the committee, abbreviated)."""
    name = commune.name
    return f"UBND {name[:1].lower()}{name[1:]}"


@dataclass(frozen=True)
class RenderedSms:
    text: str
    params: dict[str, str]  # the ZNS template parameters (accented)


@dataclass(frozen=True)
class SmsTemplate:
    key: str
    text: Promise | str  # Vietnamese, accented; ``%(name)s`` placeholders
    encoding: SmsEncoding = SmsEncoding.GSM7
    elastic: str | None = None

    def _text(self, values: dict[str, str]) -> str:
        with translation.override("vi"):
            text = nfc(str(self.text) % values)
        return gsm7(text) if self.encoding == SmsEncoding.GSM7 else text

    def render(self, *, commune: Commune, link: str, **values: Any) -> RenderedSms:
        """The text of this message for ``commune`` with ``link``, shortened to one segment at
        its elastic value where needed."""
        values = {
            "commune": commune_short_name(commune),
            "link": link,
            **{name: nfc(str(value)) for name, value in values.items()},
        }
        text, shown = self._text(values), values
        if self.elastic:
            value = values[self.elastic]
            keep = len(value)
            # Extension characters count twice: shorten again until the text fits.
            while keep > 0 and (over := cost(text).units - SEGMENT_UNITS[self.encoding]) > 0:
                keep = max(min(keep, len(value) - len(ELLIPSIS)) - over, 0)
                shown = {**values, self.elastic: value[:keep].rstrip(" ,.;") + ELLIPSIS}
                text = self._text(shown)
        if cost(text).segments > 1:
            log.warning("SMS %s takes %d segments: %s", self.key, cost(text).segments, text)
        return RenderedSms(text=text, params=values)


def _template(key: str, text: Promise, **options: Any) -> SmsTemplate:
    template = SmsTemplate(key, text, **options)
    CATALOGUE[key] = template
    return template


CATALOGUE: dict[str, SmsTemplate] = {}

# Luật Tiếp công dân Đ28 and NĐ 154/2026: the citizen learns that their petition was received,
# with the tracking code (on registration, when they gave a phone).
RECEIPT = _template(
    "intake.receipt_sms", _("%(commune)s đã nhận đơn, mã hồ sơ %(code)s. Theo dõi: %(link)s")
)
MERGED = _template(
    "intake.merge", _("%(commune)s: đơn %(code)s được gộp vào hồ sơ nhóm %(group)s. Xem: %(link)s")
)
SPLIT = _template(
    "intake.split",
    _("%(commune)s: đơn %(code)s được tách thành hồ sơ %(codes)s. Xem: %(link)s"),
    elastic="codes",
)
INVITATION = _template(
    "hearings.invitation", _("%(commune)s mời Ông/Bà dự tiếp công dân %(when)s. Xác nhận: %(link)s")
)
RESCHEDULED = _template(
    "hearings.change",
    _("%(commune)s: lịch tiếp công dân dời sang %(when)s. Xác nhận lại: %(link)s"),
)
CANCELLED = _template(
    "hearings.cancel",
    _("%(commune)s: HỦY buổi tiếp công dân %(when)s (lý do: %(reason)s). Xem: %(link)s"),
    elastic="reason",
)
# The day before the hearing: the time, and the page with the room and the readiness test.
REMINDER = _template(
    "hearings.participant_reminder",
    _("%(commune)s nhắc lịch tiếp công dân %(when)s. Kiểm tra thiết bị: %(link)s"),
)
CONCLUSION_NOTICE = _template(
    "minutes.conclusion_notice",
    _("%(commune)s: có Thông báo kết luận %(symbol)s, hồ sơ %(code)s. Xem: %(link)s"),
)
FINAL_OUTCOME = _template(
    "followup.final_outcome",
    _("%(commune)s: hồ sơ %(code)s đã có kết quả cuối cùng (%(date)s). Xem: %(link)s"),
)
# Issue 15 §4: the citizen reads the final Biên bản and confirms it, or states a disagreement.
MINUTES_CONFIRMATION = _template(
    "minutes.confirmation",
    _("%(commune)s: đã có biên bản buổi tiếp %(date)s. Đọc và xác nhận: %(link)s"),
)
# The one-time code of that confirmation (10 minutes): it ends with the same page's link.
MINUTES_CONFIRMATION_CODE = _template(
    "minutes.confirmation_code",
    _("%(commune)s: mã xác nhận biên bản %(otp)s, hiệu lực 10 phút, không đưa ai. Nhập tại: "
      "%(link)s"),
)


@checks.register()
def check_site_url_fits_sms(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    if len(settings.SITE_URL) <= TESTED_SITE_URL_LENGTH:
        return []
    return [
        checks.Warning(
            f"SITE_URL has {len(settings.SITE_URL)} characters; the SMS templates are checked to "
            f"fit one segment with up to {TESTED_SITE_URL_LENGTH}: some messages may cost two.",
            hint="Use a shorter public address for the links in SMS.",
            id="notify.W001",
        )
    ]
