"""Administrative units after the 2025 reform (34 provinces, 3,321 communes), read from the
``vietnam-provinces`` package; never a hand-typed list."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from vietnam_provinces import Province, Ward


@dataclass(frozen=True)
class Unit:
    code: int
    name: str


@lru_cache(maxsize=1)
def provinces() -> tuple[Unit, ...]:
    return tuple(
        sorted((Unit(int(p.code), p.name) for p in Province.iter_all()), key=lambda u: u.name)
    )


@lru_cache(maxsize=1)
def _wards_by_province() -> dict[int, tuple[Unit, ...]]:
    grouped: dict[int, list[Unit]] = {}
    for ward in Ward.iter_all():
        grouped.setdefault(int(ward.province_code), []).append(Unit(int(ward.code), ward.name))
    return {code: tuple(sorted(units, key=lambda u: u.name)) for code, units in grouped.items()}


def wards_of(province_code: int) -> tuple[Unit, ...]:
    return _wards_by_province().get(province_code, ())


def province_name(code: int | None) -> str | None:
    return next((p.name for p in provinces() if p.code == code), None)


def ward(code: int | None) -> tuple[Unit, int] | None:
    """The ward/commune with ``code`` and its province code, or ``None`` if it does not exist."""
    for province_code, units in _wards_by_province().items():
        for unit in units:
            if unit.code == code:
                return unit, province_code
    return None


def ward_in_province(ward_code: int, province_code: int) -> bool:
    return any(u.code == ward_code for u in wards_of(province_code))
