"""The exports read plain records, not model instances: every cell must be the same as the
page's (``row_of`` over the model), for every kind of entry."""

import pytest

from tiepdan.intake.models import MatterKind
from tiepdan.intake.register.columns import row_of
from tiepdan.intake.register.selectors import RegisterFilter, export_records, register_entries
from tiepdan.intake.triage import state_machine as triage

from .conftest import decided, registered

pytestmark = pytest.mark.django_db


def test_export_records_give_the_same_cells_as_the_entries(an_lao, officer, chairman,
                                                           django_capture_on_commit_callbacks):
    decided(an_lao, officer, "accept")
    decided(an_lao, officer, "forward", kind=MatterKind.TO_CAO)  # identity masked
    decided(an_lao, officer, "return", kind=MatterKind.KHIEU_NAI)
    with django_capture_on_commit_callbacks(execute=True):  # the 01/TCD notice is issued
        triage.refuse(registered(an_lao), ground="persistent", actor=officer,
                      reason="Đã giải quyết đúng pháp luật")
    flt = RegisterFilter(year=registered(an_lao).received_at.year)
    expected = [row_of(entry).cells for entry in register_entries(an_lao, flt)]
    assert len(expected) == 4
    assert any("TB-UBND" in cell for cells in expected for cell in map(str, cells))
    assert [row_of(record).cells for record in export_records(an_lao, flt, chunk_size=2)
            ] == expected
