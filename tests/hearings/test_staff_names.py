"""A staff member's name is shown as written, "Họ đệm Tên" (Vũ Văn Chủ), in the header, the
hearing pages, the invitation e-mail and the signature block of the Giấy mời — never given
name first ("Chủ Vũ Văn") nor doubled ("Vũ Văn Chủ Tịch")."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import staff_user
from tiepdan.core.models import Role
from tiepdan.core.names import full_name, set_full_name, split_full_name
from tiepdan.hearings import paperwork, planning
from tiepdan.hearings.models import HearingDocumentPurpose

pytestmark = pytest.mark.django_db

WRITTEN, WRONG = "Vũ Văn Chủ", "Chủ Vũ Văn"


@pytest.fixture
def chairman(an_lao):
    return staff_user(Role.CHAIRMAN, commune=an_lao, last_name="Vũ Văn", first_name="Chủ",
                      email="chu.tich@example.org")


@pytest.mark.parametrize("name", ["Vũ Văn Chủ", "Nguyễn Thị Minh Khai", "Lê Na"])
def test_a_name_round_trips_as_written(chairman, name):
    set_full_name(chairman, f"  {name} ")
    assert full_name(chairman) == name
    assert " ".join(split_full_name(name)) == name


def test_without_a_name_the_username_is_shown(an_lao):
    user = staff_user(Role.OFFICE_OFFICER, commune=an_lao, last_name="", first_name="")
    assert full_name(user) == user.get_username()


def test_the_header_and_the_hearing_page_show_the_name_as_written(
        client, login_staff, chairman, ready_hearing):
    login_staff(client, chairman)
    page = client.get(reverse("hearings:detail", args=[ready_hearing.commune.ward_code,
                                                       ready_hearing.pk])).content.decode()
    assert f'<span class="staff-name">{WRITTEN}</span>' in page
    assert f"Chủ trì: {WRITTEN}" in " ".join(page.split())
    assert WRONG not in page


def test_the_invitation_mail_and_the_giay_moi_sign_with_the_name_as_written(
        ready_hearing, officer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        planning.confirm_hearing(ready_hearing, actor=officer)
    [message] = mail.outbox
    assert f"Chủ trì: {WRITTEN}" in message.body and WRONG not in message.body
    docs = {d.purpose: d.document for d in paperwork.current_documents(ready_hearing)}
    invitation = docs[HearingDocumentPurpose.INVITATION]
    assert invitation.signer_name == WRITTEN
    block = _signature_block(invitation)
    assert block[-1] == WRITTEN, block  # the signer's full name closes the block
    assert WRONG not in "\n".join(block)


def _signature_block(document) -> list[str]:
    """The lines of the cell of the DOCX that holds the signing authority (CHỦ TỊCH)."""
    import io

    from docx import Document

    with document.docx_file.open("rb") as handle:
        docx = Document(io.BytesIO(handle.read()))
    for table in docx.tables:
        for row in table.rows:
            for cell in row.cells:
                lines = [p.text.strip() for p in cell.paragraphs if p.text.strip()]
                if any(_is_authority(line) for line in lines):
                    return lines
    lines = [p.text.strip() for p in docx.paragraphs if p.text.strip()]
    start = max(i for i, line in enumerate(lines) if _is_authority(line))
    return lines[start:]


def _is_authority(line: str) -> bool:
    text = line.upper()
    return text in ("CHỦ TỊCH", "PHÓ CHỦ TỊCH") or text.startswith(("TM.", "KT."))
