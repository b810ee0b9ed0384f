"""Synthetic demo data: Hải Phòng with two real communes, staff of every role, a few matters.

Every person here is invented; identity numbers follow the CCCD structure but belong to no one.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from tiepdan.core.lists import list_key
from tiepdan.core.models import City, Commune, Role, StaffProfile, StaffRole
from tiepdan.core.names import split_full_name
from tiepdan.demo import pki
from tiepdan.documents.dates import place_from_unit_name
from tiepdan.documents.models import OrganisationSeal, SealBackend
from tiepdan.followup.models import Body
from tiepdan.hearings import planning, selection
from tiepdan.intake.models import Channel, Matter
from tiepdan.intake.registration.forms import RegistrationForm
from tiepdan.intake.registration.services import register_matter
from tiepdan.intake.triage import state_machine as triage
from tiepdan.intake.triage.fields import seed_standard_fields
from tiepdan.workdays.deadlines import VN_TZ
from tiepdan.workdays.services import current_calendar

DEMO_PASSWORD = "TiepDan@2026"  # noqa: S105 - published demo credential
#: The passphrase of the demo officials' personal certificates (var/keys/demo-pki/*.p12).
DEMO_SIGNING_PASSPHRASE = "demo-ky-so"  # noqa: S105 - synthetic certificates, no legal value
HAI_PHONG = 31
COMMUNES = {
    11629: ("Xã An Lão", "Phòng tiếp công dân, trụ sở UBND xã An Lão", "anlao"),
    11140: ("Xã Lạc Phượng", "Phòng họp trực tuyến, thôn Hàm Hy, xã Lạc Phượng, cơ sở 1",
            "lacphuong"),
}
COMMUNE_STAFF = [
    (Role.OFFICE_OFFICER, "vanphong", "Đỗ Thị Hồng Nhung", "Công chức Văn phòng HĐND-UBND"),
    (Role.CHAIRMAN, "chutich", "Vũ Văn Chủ", "Chủ tịch UBND xã"),
    (Role.VICE_CHAIRMAN, "phochutich", "Bùi Thị Phương", "Phó Chủ tịch UBND xã"),
    (Role.DEPARTMENT_REP, "phong", "Hoàng Văn Bình", "Trưởng phòng Kinh tế"),
    (Role.TECHNICAL_OPERATOR, "kythuat", "Ngô Văn Kiên", "Cán bộ công nghệ thông tin"),
    (Role.COMMUNE_POLICE, "congan", "Đặng Văn Quân", "Trưởng Công an xã"),
    (Role.VILLAGE_HEAD, "truongthon", "Lý Văn Thịnh", "Trưởng thôn Hàm Hy"),
]
#: Bodies that carry out conclusions (cơ quan, đơn vị), per commune; the demo department
#: representative acts for the first one.
BODIES = [
    ("Phòng Kinh tế", "kinhte"),
    ("Phòng Văn hóa – Xã hội", "vanhoa"),
    ("Văn phòng HĐND và UBND xã", "vanphong"),
    ("Công an xã", "congan"),
    ("Ban Chỉ huy Quân sự xã", "quansu"),
    ("Công chức Địa chính – Xây dựng", "diachinh"),
]
#: The commune's list of fields (lĩnh vực) that triage picks from.
FIELDS = ("Đất đai", "Xây dựng", "Môi trường", "Giao thông", "Nông nghiệp",
          "Chính sách xã hội", "Tư pháp, hộ tịch", "Cán bộ, công chức", "An ninh, trật tự",
          "Khác")
CITY_STAFF = [
    (Role.CITY_OBSERVER, "hp.bantiepdan", "Trịnh Thị Lan", "Ban Tiếp công dân thành phố"),
    (Role.CITY_OBSERVER, "hp.thanhtra", "Mai Văn Thành", "Thanh tra thành phố"),
    (Role.SYSTEM_ADMIN, "quantri", "Phan Minh Quang", "Quản trị hệ thống"),
]


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    scope: str
    totp_key: str


def _demo_totp_key(username: str) -> str:
    # A fixed, published key per demo account (20 bytes, hex) so the demo can be signed into.
    return (username.encode().hex() * 4)[:40]


def _user(username: str, full_name: str, phone: str = "") -> tuple[User, str]:
    user_model = get_user_model()
    last, first = split_full_name(full_name)
    # Every demo account has a mailbox (example.org): the office's mails (a matter whose tasks
    # are all done, a failed delivery) reach someone.
    email = f"{username}@example.org"
    user, created = user_model.objects.get_or_create(
        username=username, defaults={"first_name": first, "last_name": last, "email": email})
    if not user.email:
        user.email = email
        user.save(update_fields=["email"])
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    elif (user.last_name, user.first_name) != (last, first):
        # Demo data of an older release (names split the wrong way): rewrite it as written.
        user.last_name, user.first_name = last, first
        user.save(update_fields=["last_name", "first_name"])
    if phone:
        StaffProfile.objects.get_or_create(user=user, defaults={"phone": phone})
    key = _demo_totp_key(username)
    TOTPDevice.objects.get_or_create(
        user=user, name="demo", defaults={"key": key, "confirmed": True})
    return user, key


SAMPLE_MATTERS = [
    {"full_name": "Phạm Thị Mai", "id_type": "cccd", "id_number": "031185000101",
     "gender": "female", "date_of_birth": "1985-03-12", "address": "Thôn Hàm Hy",
     "phone": "0912000101", "kind": "kien_nghi",
     "summary": "Kiến nghị sửa chữa đường liên thôn bị sạt lở",
     "content": "Đoạn đường liên thôn dài khoảng 200 m bị sạt lở sau mưa lớn, đi lại nguy hiểm.",
     "wants_online": True, "online_reason": "far_away", "join_point": "commune_hall"},
    {"full_name": "Trần Văn Thọ", "id_type": "cccd", "id_number": "031052000202",
     "gender": "male", "date_of_birth": "1952-07-01", "address": "Thôn Đông",
     "phone": "0987000202", "kind": "khieu_nai",
     "summary": "Khiếu nại việc thu hồi đất làm đường",
     "content": "Tôi không đồng ý với mức bồi thường khi thu hồi đất nông nghiệp của gia đình.",
     "complained_decision": "Quyết định thu hồi đất số 12/QĐ-UBND (dữ liệu mẫu)",
     "complained_by": "Chủ tịch UBND xã",
     "wants_online": True, "online_reason": "elderly", "join_point": "other_point",
     "join_point_detail": "Nhà văn hóa thôn Đông"},
    {"full_name": "Lê Minh Dũng", "id_type": "cccd", "id_number": "031090000303",
     "gender": "male", "date_of_birth": "1990-05-01", "address": "Tổ dân phố 3",
     "phone": "0903000303", "kind": "phan_anh",
     "summary": "Phản ánh ô nhiễm tiếng ồn từ xưởng gỗ ban đêm",
     "content": "Xưởng gỗ hoạt động sau 22 giờ gây ồn ảnh hưởng sinh hoạt của các hộ dân.",
     "is_group": True, "group_size": 7, "rep_1_name": "Lê Minh Dũng",
     "rep_1_phone": "0903000303", "rep_2_name": "Cao Thị Diệu"},
    {"full_name": "Hà Thị Hạnh", "id_type": "cccd", "id_number": "031178000404",
     "gender": "female", "date_of_birth": "1978-11-20", "address": "Thôn Tây",
     "phone": "0868000404", "kind": "to_cao",
     "summary": "Tố cáo hành vi vi phạm trong quản lý đất công (dữ liệu mẫu)",
     "content": "Nội dung tố cáo mẫu, dùng để thử nghiệm hệ thống.",
     "identity_protection": True, "wants_online": True, "online_reason": "other",
     "online_reason_text": "Bận công việc", "join_point": "commune_hall"},
]


@transaction.atomic
def load(now: dt.datetime | None = None) -> list[DemoLogin]:
    """Create the demo city, communes, staff and matters (idempotent)."""
    city, _ = City.objects.get_or_create(
        province_code=HAI_PHONG, defaults={"name": "Thành phố Hải Phòng"})
    logins: list[DemoLogin] = []
    for ward_code, (name, address, prefix) in COMMUNES.items():
        commune, _ = Commune.objects.get_or_create(
            ward_code=ward_code,
            defaults={"city": city, "name": name, "reception_address": address})
        for number, (role, suffix, full_name, position) in enumerate(COMMUNE_STAFF, 1):
            username = f"{prefix}.{suffix}"
            user, key = _user(username, full_name, phone=f"0912{ward_code % 1000:03d}{number:03d}")
            StaffRole.objects.get_or_create(user=user, role=role, commune=commune,
                                            defaults={"position": position})
            logins.append(DemoLogin(username, str(Role(role).label), name, key))
        _bodies(commune, prefix)
        seed_standard_fields(commune, FIELDS)
        _demo_seal(commune, prefix)
        if not Matter.objects.filter(commune=commune).exists():
            _sample_matters(commune)
            _sample_workflow(commune, prefix, now)
    for role, username, full_name, position in CITY_STAFF:
        user, key = _user(username, full_name)
        if role == Role.SYSTEM_ADMIN and not user.is_superuser:
            user.is_staff = user.is_superuser = True
            user.save()
        StaffRole.objects.get_or_create(user=user, role=role, city=city,
                                        defaults={"position": position})
        logins.append(DemoLogin(username, str(Role(role).label), city.name, key))
    return logins


def demo_pki_folder() -> Path:
    return Path(settings.VAR_DIR) / "keys" / "demo-pki"


def demo_authority() -> pki.Authority:
    """The demo CA (made once), whose root is among the trust roots of a demo deployment."""
    folder = demo_pki_folder()
    authority = pki.load_authority(folder)
    if authority is None:
        authority = pki.new_authority()
        pki.save_authority(authority, folder)
    for root in settings.SIGNATURE_TRUST_ROOTS[:1]:
        target = Path(root)
        if not target.suffix:  # a folder of trust roots
            pki.write_authority(authority, target)
    return authority


def _demo_seal(commune: Commune, prefix: str) -> None:
    """A demo organisation certificate (PKCS#12, no legal value) for ``commune``, and personal
    certificates for its Chairman and Vice-Chairman (``tiepdan sign_demo``)."""
    if OrganisationSeal.objects.filter(commune=commune).exists():
        return
    authority = demo_authority()
    folder = demo_pki_folder()
    secret = folder / f"{prefix}-seal.pass"
    secret.write_text(secrets.token_urlsafe(16), encoding="utf-8")
    secret.chmod(0o600)
    holder = pki.issue(authority, commune.committee_name, commune.committee_name)
    bundle = folder / f"{prefix}-seal.p12"
    bundle.write_bytes(holder.pkcs12(secret.read_text(encoding="utf-8").encode()))
    bundle.chmod(0o600)
    for role, suffix, full_name, _position in COMMUNE_STAFF:
        if role in (Role.CHAIRMAN, Role.VICE_CHAIRMAN):
            person = pki.issue(authority, full_name, commune.committee_name)
            path = folder / f"{prefix}.{suffix}.p12"
            path.write_bytes(person.pkcs12(DEMO_SIGNING_PASSPHRASE.encode()))
            path.chmod(0o600)
    OrganisationSeal.objects.create(
        commune=commune, backend=SealBackend.PKCS12, pkcs12_path=str(bundle),
        secret_file=str(secret), location=place_from_unit_name(commune.name))


def _bodies(commune: Commune, prefix: str) -> None:
    for position, (name, key) in enumerate(BODIES):
        body, _ = Body.objects.get_or_create(
            commune=commune, name_key=list_key(name),
            defaults={"name": name, "email": f"{key}.{prefix}@example.org"})
        if position == 0:
            body.members.add(get_user_model().objects.get(username=f"{prefix}.phong"))


def _sample_matters(commune: Commune) -> None:
    for raw in SAMPLE_MATTERS:
        data = {"province": HAI_PHONG, "ward": commune.ward_code, "consent": True, **raw}
        form = RegistrationForm(data=data)
        if not form.is_valid():
            raise ValueError(f"demo matter invalid: {form.errors.as_json()}")
        register_matter(commune, form.cleaned_data, channel=Channel.ONLINE_FORM)


def _sample_workflow(commune: Commune, prefix: str, now: dt.datetime | None) -> None:
    """Take the sample matters through the product's own services, as the office would: one
    accepted and chosen for an online hearing planned in about two weeks (left in preparation
    for the demo user to confirm), one forwarded, one refused (its 01/TCD is issued after
    commit).  Every step lands in the register and the audit trail like real work."""
    users = get_user_model().objects
    officer = users.get(username=f"{prefix}.vanphong")
    chairman = users.get(username=f"{prefix}.chutich")
    road, land, noise, _denunciation = Matter.objects.filter(commune=commune).order_by("pk")
    triage.classify(road, kind="kien_nghi", field_of_law="Giao thông",
                    actor=officer, reason="Kiến nghị về hạ tầng giao thông của xã")
    triage.decide(road, outcome="accept", within_competence=True, actor=officer,
                  reason="Thuộc thẩm quyền của UBND xã (đường liên thôn)")
    chosen = selection.propose(Matter.objects.get(pk=road.pk), ground="b", actor=officer,
                               note="Công dân ở xa, đi lại khó khăn")
    selection.decide(chosen, approve=True, actor=chairman, reason="Đồng ý tiếp trực tuyến")
    triage.classify(land, kind="khieu_nai", field_of_law="Đất đai", complaint_round="first",
                    actor=officer, reason="Khiếu nại quyết định thu hồi đất")
    triage.decide(land, outcome="forward", within_competence=False,
                  competent_body="UBND thành phố Hải Phòng", letter_number="15/PC-UBND",
                  actor=officer, reason="Quyết định thu hồi đất do UBND thành phố ban hành")
    triage.refuse(noise, ground="repeat_no_new_facts", actor=officer,
                  reason="Đã trả lời bằng văn bản số 20/UBND-VP, không có tình tiết mới")
    today = (now or dt.datetime.now(VN_TZ)).astimezone(VN_TZ).date()
    day = current_calendar().add_working_days(today, 10)
    hearing = planning.create_hearing(
        commune, starts_at=dt.datetime.combine(day, dt.time(8, 0), VN_TZ),
        duration_minutes=120, chair=chairman, actor=officer,
        title="Tiếp công dân định kỳ của Chủ tịch UBND xã (dữ liệu mẫu)",
        matters=[Matter.objects.get(pk=road.pk)])
    planning.add_bridge_point(
        hearing, actor=officer, kind="commune_hall", is_central=True,
        name="Hội trường UBND xã", address=commune.reception_address or commune.name,
        responsible_user=officer, technical_contact=users.get(username=f"{prefix}.kythuat"))
    # The citizens' point: the petitioner of the matter on the agenda joins the participants
    # by themself (hearings.people), with the phone of the registration.
    village_head = users.get(username=f"{prefix}.truongthon")
    planning.add_bridge_point(
        hearing, actor=officer, kind="citizen", name="Nhà văn hóa thôn Hàm Hy",
        address="Thôn Hàm Hy", responsible_user=village_head, technical_contact=village_head)
