"""The documents of "after the hearing": the Biên bản (BB) of finalised minutes and the Thông
báo kết luận việc tiếp công dân (TB) of a conclusion, with the messages that carry the notice
to the citizen and to the bodies concerned.

A sealed denunciation (``Matter.identity_sealed``) is only ever described from its columns,
which hold masks: nothing here decrypts an identity for a document or for a body.  Only the
citizen's own message reads the sealed contact, and that message names nobody.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core import signing
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tiepdan.core.errors import NotFound
from tiepdan.core.public_urls import absolute_reverse
from tiepdan.documents.dates import short_date
from tiepdan.documents.wording import labelled, without_leading
from tiepdan.hearings.models import Hearing
from tiepdan.hearings.paperwork import signer_for
from tiepdan.intake.identity.sealing import open_sealed
from tiepdan.intake.models import Gender, Matter
from tiepdan.intake.status import status_short_url
from tiepdan.media import custody
from tiepdan.media.models import HearingRoom
from tiepdan.notify import sms_templates
from tiepdan.notify.services import queue_email, queue_template_sms

from .models import Conclusion, Minutes

MINUTES_TEMPLATE_KEY = "hearing_minutes"
NOTICE_TEMPLATE_KEY = "conclusion_notice"
NOTICE_SALT = "tiepdan.minutes.conclusion_notice"
#: How long a download link of a conclusion notice stays valid.
NOTICE_LINK_MAX_AGE = dt.timedelta(days=365)


# -- Biên bản ----------------------------------------------------------------------------------

def _people(point: dict[str, Any]) -> str:
    people = []
    for person in point["participants"]:
        text = ", ".join(filter(None, [person["name"], person["position"],
                                       person["organisation"]]))
        if person["substitutes_for"]:
            text += f" (thay {person['substitutes_for']})"
        if person.get("joined"):
            text += " (có mặt trong phòng trực tuyến)"
        people.append(text)
    people += [f"{name} (có mặt trong phòng trực tuyến)"
               for name in point.get("others_joined", [])]
    return "; ".join(people) or "không có người tham dự"


def point_title(point: dict[str, Any]) -> str:
    """"Điểm cầu trung tâm (Trụ sở UBND xã)", "Điểm cầu Nhà văn hóa thôn Đông" — a name that
    already says "Điểm cầu …" is not prefixed again."""
    name = " ".join(str(point["name"]).split())
    if point["is_central"]:
        if "điểm cầu" in name.casefold():
            return name
        return f"Điểm cầu trung tâm ({name})"
    return labelled("Điểm cầu", name)


def floor_grants(minutes: Minutes) -> list[dict[str, str]]:
    """Lượt phát biểu: every grant of the floor, from the timeline."""
    return [{"clock": t["clock"], "text": t["text"]} for t in minutes.timeline
            if t.get("kind") == "grant"]


def minutes_data(minutes: Minutes, replaces: str = "") -> dict[str, Any]:
    hearing = minutes.hearing
    points = [{"title": point_title(p), "people": _people(p)} for p in minutes.attendance]
    return {
        "hearing_date": timezone.localdate(hearing.starts_at),
        "opening": minutes.opening, "chair": minutes.chair, "points": points,
        # "(Kiến nghị): sửa đường", not "(Kiến nghị): Kiến nghị sửa đường".
        "matters": [{**m, "summary": without_leading(m["summary"], m["kind"])}
                    for m in minutes.matters],
        "proceedings": minutes.proceedings,
        "timeline": [{"clock": t["clock"], "text": t["text"]} for t in minutes.timeline],
        "floor_grants": floor_grants(minutes),
        "citizen_opinions": minutes.citizen_opinions,
        "chair_conclusion": minutes.chair_conclusion,
        "secretary_name": minutes.secretary_name, "replaces": replaces,
        "recordings": recordings_data(hearing),
    }


def recordings_data(hearing: Hearing) -> dict[str, Any] | None:
    """The signed manifest of the hearing's recordings, for the Biên bản: its SHA-256, who
    signed it, and each file with its SHA-256 (None before the recordings are processed)."""
    room = HearingRoom.objects.filter(hearing=hearing).first()
    if room is None or not room.manifest or not room.manifest_signature:
        return None
    return {
        "manifest_sha256": custody.manifest_sha256(room),
        "signed_by": custody.signer_of(room),
        "files": [{"label": f.get("label", ""), "file": f.get("name", "").rsplit("/", 1)[-1],
                   "sha256": f.get("sha256", "")} for f in room.manifest.get("files", [])],
    }


# -- Thông báo kết luận ----------------------------------------------------------------------

def _salutation(matter: Matter) -> str:
    if matter.identity_sealed:
        return ""
    return {Gender.MALE: "Ông", Gender.FEMALE: "Bà"}.get(matter.gender, "Ông/Bà")


def deadline_text(conclusion: Conclusion) -> str:
    if not conclusion.due_date:
        return ""
    return _("%(days)02d ngày làm việc kể từ ngày buổi tiếp, hạn chót ngày %(due)s") % {
        "days": conclusion.deadline_working_days, "due": short_date(conclusion.due_date)}


def notice_data(conclusion: Conclusion) -> dict[str, Any]:
    """The variables of the notice: the matter's columns only (masks when sealed)."""
    hearing, matter = conclusion.hearing, conclusion.matter
    signer = signer_for(hearing)
    central = hearing.central_point
    with translation.override("vi"):
        return {
            "citizen_name": matter.full_name, "salutation": _salutation(matter),
            "hearing_start": hearing.starts_at, "chair": signer.name,
            "chair_position": signer.position,
            "location": f"{central.name}, {central.address}" if central else "",
            "matter_code": matter.tracking_code, "summary": matter.summary,
            "outcome_label": str(conclusion.get_outcome_display()),
            "directions": conclusion.directions, "bodies": conclusion.body_names,
            "deadline_text": deadline_text(conclusion),
            "contact_person": conclusion.contact_person,
        }


def notice_token(conclusion: Conclusion, recipient: str) -> str:
    """A signed link token for one recipient ("citizen" or "body:<n>") of the notice."""
    return signing.dumps({"c": conclusion.pk, "n": conclusion.notice_id, "r": recipient},
                         salt=NOTICE_SALT, compress=True)


def notice_url(conclusion: Conclusion, recipient: str) -> str:
    return absolute_reverse("minutes:notice_download",
                            args=[notice_token(conclusion, recipient)])


def conclusion_from_token(token: str) -> tuple[Conclusion, str]:
    """The conclusion (with its notice) and the recipient a valid link was made for."""
    message = _("Đường dẫn tải thông báo không hợp lệ hoặc đã hết hạn.")
    try:
        data = signing.loads(token, salt=NOTICE_SALT, max_age=NOTICE_LINK_MAX_AGE)
    except signing.BadSignature:
        raise NotFound(message) from None
    conclusion = (Conclusion.objects.select_related("notice", "hearing__commune", "matter")
                  .filter(pk=data.get("c"), notice_id=data.get("n")).first())
    if conclusion is None or conclusion.notice is None:
        raise NotFound(message)
    return conclusion, str(data.get("r", ""))


def send_notice(conclusion: Conclusion) -> int:
    """Queue the notice to the citizen (e-mail with a download link, else SMS with the
    tracking code) and to every body with an e-mail address; sent after commit."""
    matter, commune = conclusion.matter, conclusion.hearing.commune
    document = conclusion.notice
    phone, email, name = matter.phone, matter.email, matter.full_name
    if matter.identity_sealed:
        # The citizen's own contact, for their own message; the delivery names nobody.
        identity = open_sealed(matter)
        phone, email, name = identity.phone, identity.email, ""
    count = 0
    with translation.override("vi"):
        subject = _("Thông báo kết luận việc tiếp công dân số %(symbol)s") % {
            "symbol": document.symbol}
        if email:
            greeting = (_("Kính gửi ông/bà %(name)s,") % {"name": name}) if name \
                else _("Kính gửi ông/bà,")
            text = "\n".join([
                commune.committee_name, "", greeting, "",
                _("%(committee)s ban hành Thông báo kết luận việc tiếp công dân số %(symbol)s "
                  "về hồ sơ %(code)s của ông/bà.") % {
                    "committee": commune.committee_name, "symbol": document.symbol,
                    "code": matter.tracking_code},
                _("Tải thông báo (PDF) tại: %(url)s") % {
                    "url": notice_url(conclusion, "citizen")},
            ])
            queue_email(commune=commune, to=email, subject=subject, text=text,
                        purpose="minutes.conclusion_notice", obj=conclusion)
            count += 1
        elif phone:
            queue_template_sms(sms_templates.CONCLUSION_NOTICE, commune=commune, to=phone,
                               link=status_short_url(matter), obj=conclusion,
                               symbol=document.symbol, code=matter.tracking_code)
            count += 1
        for index, body in enumerate(conclusion.responsible_bodies):
            if not body.get("email"):
                continue
            text = "\n".join([
                commune.committee_name, "",
                _("Kính gửi: %(body)s,") % {"body": body["name"]}, "",
                _("%(committee)s gửi Thông báo kết luận việc tiếp công dân số %(symbol)s về hồ "
                  "sơ %(code)s để quý cơ quan, đơn vị biết và thực hiện.") % {
                    "committee": commune.committee_name, "symbol": document.symbol,
                    "code": matter.tracking_code},
                _("Hướng xử lý: %(outcome)s.") % {"outcome": conclusion.get_outcome_display()},
                *([_("Thời hạn thực hiện: %(deadline)s.") % {
                    "deadline": deadline_text(conclusion)}] if conclusion.due_date else []),
                _("Tải thông báo (PDF) tại: %(url)s") % {
                    "url": notice_url(conclusion, f"body:{index}")},
            ])
            queue_email(commune=commune, to=body["email"], subject=subject, text=text,
                        purpose="minutes.conclusion_notice_body", obj=conclusion)
            count += 1
    return count
