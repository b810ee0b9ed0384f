"""Templates the administrator edits: seeded defaults, one active per type, syntax checked."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tests.factories import staff_user
from tiepdan.documents.layout import recipient_lines
from tiepdan.documents.models import DocType, DocumentTemplate

pytestmark = pytest.mark.django_db


def test_it_seeds_an_active_vietnamese_template_per_reception_document():
    active = {t.doc_type: t for t in DocumentTemplate.objects.filter(is_active=True,
                                                                      template_key="")}
    assert set(active) == {DocType.INVITATION, DocType.NOTICE, DocType.REPORT}
    # A second kind of "TB" (the refusal notice 01/TCD) has its own template key.
    refusal = DocumentTemplate.objects.get(is_active=True, template_key="refusal_01_tcd")
    assert refusal.doc_type == DocType.NOTICE and "từ chối tiếp" in refusal.body
    assert "trân trọng kính mời" in active[DocType.INVITATION].body
    assert "tiếp công dân trực tuyến" in active[DocType.NOTICE].subject
    assert "báo cáo" in active[DocType.REPORT].body


def test_it_allows_only_one_active_template_per_type():
    with pytest.raises(IntegrityError), transaction.atomic():
        DocumentTemplate.objects.create(doc_type=DocType.INVITATION, name="Khác",
                                        subject="x", body="y", is_active=True)


def test_it_rejects_a_template_with_a_syntax_error():
    template = DocumentTemplate(doc_type=DocType.PLAN, name="Lỗi", subject="{% if %}",
                                body="{{ issuer }}", is_active=False)
    with pytest.raises(ValidationError) as caught:
        template.full_clean()
    assert "subject" in caught.value.message_dict


@pytest.mark.parametrize(("lines", "expected"), [
    pytest.param(["Như trên", "- Thanh tra Thành phố;"],
                 ["- Như trên;", "- Thanh tra Thành phố;", "- Lưu: VT, VP."], id="normalised"),
    pytest.param(["Như trên", "Lưu: VT, TP."], ["- Như trên;", "- Lưu: VT, VP."],
                 id="archive-line-replaced"),
    pytest.param(["", "  "], ["- Lưu: VT, VP."], id="empty-lines-dropped"),
])
def test_it_ends_the_recipients_with_the_archive_line(lines, expected):
    assert recipient_lines(lines, "VP") == expected


def test_it_lists_the_templates_in_the_admin(client, login_staff):
    login_staff(client, staff_user(None, is_staff=True, is_superuser=True))
    response = client.get("/quan-tri/documents/documenttemplate/")
    assert response.status_code == 200
    assert "Giấy mời dự buổi tiếp công dân trực tuyến" in response.content.decode()
