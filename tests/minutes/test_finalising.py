"""Finalising refuses minutes without their required parts; final minutes are immutable and
issued as a numbered Biên bản (BB); a correction is a new version, the old one stays."""

from __future__ import annotations

import pytest

from tests.document_text import docx_text
from tiepdan.core.errors import Forbidden, InvalidInput
from tiepdan.core.models import AuditEntry
from tiepdan.minutes import services
from tiepdan.minutes.errors import MinutesStateError
from tiepdan.minutes.models import Minutes, MinutesStatus

pytestmark = pytest.mark.django_db

SECTIONS = {
    "proceedings": "Công dân Trần Thị Bình trình bày kiến nghị sửa đường liên thôn.",
    "citizen_opinions": "Đề nghị sửa trước mùa mưa.",
    "chair_conclusion": "Giao Phòng Kinh tế kiểm tra, báo cáo trong 10 ngày làm việc.",
}


@pytest.fixture
def draft(hearing, officer):
    return services.draft_minutes(hearing, actor=officer)


def _finalise(minutes, actor, capture):
    with capture(execute=True):
        services.finalise(minutes, actor=actor)
    return Minutes.objects.select_related("document").get(pk=minutes.pk)


def test_finalising_refuses_missing_parts_with_every_message(draft, officer):
    services.update_sections(draft, actor=officer, secretary_name="")
    with pytest.raises(InvalidInput) as caught:
        services.finalise(draft, actor=officer)
    errors = caught.value.field_errors
    assert set(errors) == {"proceedings", "chair_conclusion", "secretary_name"}
    assert errors["proceedings"][0]["message"] == "Ghi diễn biến buổi tiếp."
    assert errors["chair_conclusion"][0]["message"] == "Ghi kết luận của người chủ trì."
    draft.refresh_from_db()
    assert draft.status == MinutesStatus.DRAFT and draft.finalised_at is None


def test_finalising_refuses_minutes_without_any_matter(draft, officer):
    services.update_sections(draft, actor=officer, **SECTIONS)
    # A second line of defence: drafting always lists the agenda's matters; only a damaged or
    # imported row could have none.
    Minutes.objects.filter(pk=draft.pk).update(matters=[])
    draft.refresh_from_db()
    with pytest.raises(InvalidInput) as caught:
        services.finalise(draft, actor=officer)
    assert caught.value.field_errors["matters"][0]["message"] == \
        "Biên bản chưa có vụ việc nào được tiếp."


def test_final_minutes_are_issued_as_a_numbered_bb(draft, officer, recommendation,
                                                     django_capture_on_commit_callbacks):
    services.update_sections(draft, actor=officer, **SECTIONS)
    final = _finalise(draft, officer, django_capture_on_commit_callbacks)
    assert final.status == MinutesStatus.FINAL and final.finalised_by == officer
    document = final.document
    assert (document.symbol, document.doc_type, document.template_key) == (
        "01/BB-UBND", "BB", "hearing_minutes")
    assert document.signer_name == "Vũ Văn Chủ Tịch"
    text = docx_text(document)
    assert "BIÊN BẢN" in text and "Số: 01/BB-UBND" in text
    assert "Buổi tiếp công dân trực tuyến ngày 15/12/2026" in text
    assert "Điểm cầu Nhà văn hóa thôn Đông: Trần Thị Bình" in text
    assert "Bùi Thị Thay, Phó Trưởng phòng, Phòng Kinh tế (thay Phạm Văn Địa)" in text
    assert "Hoàng Văn Vắng" not in text  # declined
    assert f"Hồ sơ {recommendation.tracking_code}" in text
    assert "- 00:05:12: Vũ Văn Chủ Tịch cho Trần Thị Bình" in text
    for value in SECTIONS.values():
        assert value in text
    assert "Người ghi biên bản: Đỗ Thị Văn Phòng." in text


def test_final_minutes_are_immutable(draft, officer, django_capture_on_commit_callbacks):
    services.update_sections(draft, actor=officer, **SECTIONS)
    final = _finalise(draft, officer, django_capture_on_commit_callbacks)
    with pytest.raises(MinutesStateError, match="không thể sửa"):
        services.update_sections(final, actor=officer, proceedings="Sửa lén")
    with pytest.raises(MinutesStateError):
        services.finalise(final, actor=officer)
    with pytest.raises(MinutesStateError, match="Sửa biên bản"):
        services.draft_minutes(final.hearing, actor=officer)
    final.proceedings = "Sửa thẳng vào bản ghi"
    with pytest.raises(MinutesStateError):
        final.save()
    final.refresh_from_db()
    assert final.proceedings == SECTIONS["proceedings"]


def test_a_correction_is_a_new_version_and_the_old_stays(
        draft, officer, django_capture_on_commit_callbacks):
    services.update_sections(draft, actor=officer, **SECTIONS)
    first = _finalise(draft, officer, django_capture_on_commit_callbacks)
    second = services.new_version(first, actor=officer)
    assert (second.version, second.status) == (2, MinutesStatus.DRAFT)
    assert second.proceedings == SECTIONS["proceedings"] and second.document is None
    with pytest.raises(MinutesStateError):
        services.new_version(first, actor=officer)  # a draft is already open
    services.update_sections(second, actor=officer, chair_conclusion="Kết luận đã sửa.")
    second = _finalise(second, officer, django_capture_on_commit_callbacks)
    first.refresh_from_db()
    assert first.status == MinutesStatus.FINAL
    assert first.chair_conclusion == SECTIONS["chair_conclusion"]
    assert second.document.symbol == "02/BB-UBND"
    text = docx_text(second.document)
    assert "sửa đổi, thay thế Biên bản số 01/BB-UBND" in text
    assert "Kết luận đã sửa." in text
    assert services.current_minutes(first.hearing) == second


def test_every_change_is_audited(draft, officer, django_capture_on_commit_callbacks):
    services.update_sections(draft, actor=officer, **SECTIONS)
    final = _finalise(draft, officer, django_capture_on_commit_callbacks)
    services.new_version(final, actor=officer)
    entries = list(AuditEntry.objects.filter(object_type="minutes.minutes").order_by("seq"))
    assert [e.type for e in entries] == [
        "minutes.minutes.drafted", "minutes.minutes.edited", "minutes.minutes.completed",
        "minutes.confirmation_links.sent", "minutes.minutes.revised"]
    assert [e.text.split(" ")[0] for e in entries] == ["Lập", "Sửa", "Hoàn", "Gửi", "Lập"]
    assert AuditEntry.objects.filter(object_type="documents.issueddocument",
                                     type="documents.document.issued",
                                     data__symbol="01/BB-UBND").exists()


def test_only_the_office_edits_and_finalises(draft, an_lao):
    from tests.factories import staff_user
    from tiepdan.core.models import Role

    vice = staff_user(Role.VICE_CHAIRMAN, commune=an_lao)
    with pytest.raises(Forbidden):
        services.update_sections(draft, actor=vice, **SECTIONS)
    with pytest.raises(Forbidden):
        services.finalise(draft, actor=vice)
