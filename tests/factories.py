"""factory_boy factories shared by every app's tests, and helpers for signed-in staff."""

from __future__ import annotations

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from factory.django import DjangoModelFactory

from tiepdan.core.models import CITY_ROLES, City, Commune, Role, StaffRole

#: The password of every user made by ``UserFactory`` (unless given another).
STAFF_PASSWORD = "mat-khau-thu-nghiem-2025"


class CityFactory(DjangoModelFactory):
    class Meta:
        model = City
        django_get_or_create = ("province_code",)

    province_code = 31
    name = "Thành phố Hải Phòng"


class CommuneFactory(DjangoModelFactory):
    """A commune; pass a real ``ward_code`` and ``name`` where the code is checked."""

    class Meta:
        model = Commune
        django_get_or_create = ("ward_code",)

    ward_code = factory.Sequence(lambda n: 90000 + n)
    name = factory.Sequence(lambda n: f"Xã Thử Nghiệm {n}")
    city = factory.SubFactory(CityFactory)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"canbo{n}")
    # Vietnamese order: family name (last_name) first, e.g. "Nguyễn Văn 3".
    first_name = factory.Sequence(lambda n: f"Văn {n}")
    last_name = "Nguyễn"
    email = factory.LazyAttribute(lambda u: f"{u.username}@tiepdan.test")
    password = factory.django.Password(STAFF_PASSWORD)


class StaffRoleFactory(DjangoModelFactory):
    """A commune role by default; for a city role pass ``city=...`` and ``commune=None``."""

    class Meta:
        model = StaffRole

    user = factory.SubFactory(UserFactory)
    role = Role.OFFICE_OFFICER
    commune = factory.SubFactory(CommuneFactory)
    city = None


class TOTPDeviceFactory(DjangoModelFactory):
    class Meta:
        model = TOTPDevice

    user = factory.SubFactory(UserFactory)
    name = "Ứng dụng xác thực"
    confirmed = True


def staff_user(
    role: Role | str | None,
    commune: Commune | None = None,
    city: City | None = None,
    **user_fields: object,
) -> AbstractBaseUser:
    """A user with a confirmed TOTP device and ``role``: in ``commune`` for commune roles, over
    ``city`` for city roles (defaults: a new commune / the commune's or the default city).
    ``role=None`` gives a user with a device but no role at all."""
    user = UserFactory(**user_fields)
    TOTPDeviceFactory(user=user)
    if role is None:
        return user
    if role in CITY_ROLES:
        city = city or (commune.city if commune else CityFactory())
        StaffRoleFactory(user=user, role=role, commune=None, city=city)
    else:
        StaffRoleFactory(user=user, role=role, commune=commune or CommuneFactory(), city=None)
    return user


def totp_code(device: TOTPDevice) -> str:
    """A code ``device`` accepts now, as an authenticator app would show it.

    django-otp refuses a code twice (``last_t``); when the current one was just used, this
    gives the next step's code, which the device accepts within its one-step tolerance.
    """
    device.refresh_from_db()
    clock = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    if clock.t() <= device.last_t:
        clock.drift += device.last_t + 1 - clock.t()
    return f"{clock.token():0{device.digits}d}"


def device_of(user: AbstractBaseUser) -> TOTPDevice:
    """The user's confirmed TOTP device."""
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).get()
