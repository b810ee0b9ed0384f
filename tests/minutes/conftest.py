"""The minutes tests share one held hearing per module (tests.module_data): the same rows the
``hearing`` fixture of tests/fixtures/held_hearing.py builds through the services, built once
instead of once per test (planning, confirmation and holding render and issue documents).
Each test reads them afresh and its changes are rolled back."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.db.models import Model

from tests.factories import CityFactory, CommuneFactory
from tests.fixtures.clock import NOW
from tests.fixtures.held_hearing import (
    ENDED,
    denunciation_of,
    held_hearing_of,
    recommendation_of,
)
from tests.fixtures.staff import chairman_of, officer_of
from tests.module_data import built_once
from tiepdan.core.models import City, Commune
from tiepdan.hearings.models import Hearing
from tiepdan.intake.models import Matter


@dataclass(frozen=True)
class HeldWorld:
    """Primary keys of the module's rows."""

    city: int
    an_lao: int
    officer: int
    chairman: int
    recommendation: int
    denunciation: int
    hearing: int


@pytest.fixture(scope="module")
def module_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("minutes-module")


@pytest.fixture(scope="module")
def held_world(django_db_setup, django_db_blocker, module_folder: Path) -> Iterator[HeldWorld]:
    def build() -> HeldWorld:
        with time_machine.travel(NOW, tick=False) as traveller:
            city = CityFactory()
            an_lao = CommuneFactory(ward_code=11629, name="Xã An Lão", city=city)
            officer, chairman = officer_of(an_lao), chairman_of(an_lao)
            recommendation = recommendation_of(an_lao, officer, chairman)
            denunciation = denunciation_of(an_lao, officer, chairman)
            hearing = held_hearing_of(an_lao, officer, chairman, recommendation, denunciation,
                                      traveller)
        return HeldWorld(city.pk, an_lao.pk, officer.pk, chairman.pk, recommendation.pk,
                         denunciation.pk, hearing.pk)

    with built_once(django_db_blocker, module_folder, build) as world:
        yield world


@pytest.fixture
def files_folder(module_folder: Path) -> Path:
    """The module's folder for every test (its rows' files and keys), not the test's own."""
    return module_folder


# The shared fixtures, read from the module's rows, at the time the rows were left: the
# hearing ended at ``ENDED`` and the clock stands there (a later hearing or matter of a test
# is built on from there, not in the real present before it).

@pytest.fixture
def world(db, held_world: HeldWorld, clock) -> HeldWorld:
    clock.move_to(ENDED)
    return held_world


def _row_of(name: str, model: type[Model]) -> Any:
    """A fixture ``name``: the module's row of that name, read afresh for each test."""

    @pytest.fixture(name=name)
    def row(world: HeldWorld) -> Model:
        return model._default_manager.get(pk=getattr(world, name))

    return row


city = _row_of("city", City)
an_lao = _row_of("an_lao", Commune)
officer = _row_of("officer", get_user_model())
chairman = _row_of("chairman", get_user_model())
recommendation = _row_of("recommendation", Matter)
denunciation = _row_of("denunciation", Matter)
#: The hearing as the chair left it: ended at ``ENDED``, where the clock stands.
hearing = _row_of("hearing", Hearing)
