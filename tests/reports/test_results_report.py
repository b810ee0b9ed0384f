"""Báo cáo kết quả: the office writes its narrative next to the generated figures and issues
it as a BC report to the city People's Committee (DOCX and PDF), signed by the Chairman."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from tests.document_text import docx_text
from tiepdan.core.errors import Forbidden, InvalidInput
from tiepdan.documents.models import DocType, IssuedDocument
from tiepdan.reports.narrative import Narrative, issue_results_report
from tiepdan.reports.periods import Period

from .conftest import TODAY, at, decided_on, received

pytestmark = pytest.mark.django_db

NARRATIVE = Narrative(
    achievements="Tổ chức 2 buổi tiếp công dân trực tuyến đúng lịch.\nKhông có đơn tồn đọng.",
    difficulties="Đường truyền tại điểm cầu thôn Đông chưa ổn định.",
    proposals="Đề nghị Sở Khoa học và Công nghệ hỗ trợ nâng cấp đường truyền.",
)


@pytest.fixture
def quarter(an_lao):
    # A complaint accepted in time (its 2 deadlines met); a recommendation whose deadline to
    # notify the outcome (10 working days) is not due yet.
    first = received(an_lao, at("2026-10-05"), kind="khieu_nai", field_of_law="Đất đai")
    decided_on(first, at("2026-10-14"), "accepted")
    received(an_lao, at("2026-11-25"), kind="kien_nghi", channel="assisted")
    return Period.of("quarter", 2026, 4, today=TODAY)




def test_the_report_carries_the_figures_and_the_narrative(an_lao, officer, chairman, quarter,
                                                          clock):
    document = issue_results_report(an_lao, quarter, NARRATIVE, actor=officer)

    assert document.doc_type == DocType.REPORT and document.template_key == "results_report"
    assert document.symbol == "01/BC-UBND"
    text = docx_text(document)
    assert "Kính gửi: Ủy ban nhân dân thành phố Hải Phòng" in text
    assert "Kết quả công tác tiếp công dân quý IV năm 2026" in text
    assert "Tổng số đơn tiếp nhận: 2 đơn (số liệu tính đến ngày 01/12/2026)" in text
    assert "khiếu nại 1, tố cáo 0, kiến nghị 1, phản ánh 0" in text
    assert "trực tuyến 1 đơn; trực tiếp (cán bộ tiếp nhận) 1 đơn" in text
    assert "bảo đảm đúng hạn 2 (100,0%)" in text
    for heading in ("II. KẾT QUẢ ĐẠT ĐƯỢC", "III. KHÓ KHĂN, VƯỚNG MẮC",
                    "IV. ĐỀ XUẤT, KIẾN NGHỊ"):
        assert heading in text
    assert "Không có đơn tồn đọng." in text  # the second line of the narrative, its own line
    assert "Đường truyền tại điểm cầu thôn Đông chưa ổn định." in text
    assert "Vũ Văn Chủ Tịch" in text  # signed by the Chairman
    with document.pdf_file.open("rb") as stored:
        pdf_text = PdfReader(io.BytesIO(stored.read())).pages[0].extract_text()
    assert "BÁO CÁO" in pdf_text


def test_a_missing_part_of_the_narrative_is_refused_before_a_number_is_taken(
        an_lao, officer, chairman, quarter, clock):
    with pytest.raises(InvalidInput) as caught:
        issue_results_report(an_lao, quarter, Narrative("Đạt kết quả tốt.", "  ", ""),
                             actor=officer)

    assert set(caught.value.field_errors) == {"difficulties", "proposals"}
    assert not IssuedDocument.objects.exists()


def test_a_city_observer_cannot_issue_the_commune_report(an_lao, observer, chairman, quarter,
                                                         clock):
    with pytest.raises(Forbidden):
        issue_results_report(an_lao, quarter, NARRATIVE, actor=observer)
    assert not IssuedDocument.objects.exists()


def test_the_office_issues_it_from_the_page(client, login_staff, an_lao, officer, chairman,
                                            quarter, clock):
    login_staff(client, officer)
    url = reverse("reports:results", args=[an_lao.ward_code])
    page = client.get(url, quarter.as_query()).content.decode()
    assert "Tổng số đơn tiếp nhận: 2 đơn" in page  # the generated figures beside the form

    response = client.post(url, {**quarter.as_query(), "achievements": NARRATIVE.achievements,
                                 "difficulties": NARRATIVE.difficulties,
                                 "proposals": NARRATIVE.proposals})

    assert response.status_code == 302
    document = IssuedDocument.objects.get()
    assert "quý IV năm 2026" in document.subject
    listed = client.get(response["Location"]).content.decode()
    assert "01/BC-UBND" in listed
    assert reverse("documents:download", args=[document.pk, "docx"]) in listed


def test_the_page_shows_what_is_missing(client, login_staff, an_lao, officer, chairman,
                                        quarter, clock):
    login_staff(client, officer)
    response = client.post(reverse("reports:results", args=[an_lao.ward_code]),
                           {**quarter.as_query(), "achievements": "Tốt", "difficulties": "",
                            "proposals": "Không có"})

    assert response.status_code == 422
    assert "Nhập phần &quot;Khó khăn, vướng mắc&quot;" in response.content.decode()
    assert not IssuedDocument.objects.exists()


def test_the_observer_cannot_open_the_issuing_page(client, login_staff, an_lao, observer,
                                                   clock):
    login_staff(client, observer)

    assert client.get(reverse("reports:results", args=[an_lao.ward_code])).status_code == 403
