"""The conclusion notice on the citizen's status page: its date, the deadline and the download
link, once the notice is issued; and the timeline shows the conclusion."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from tiepdan.intake.status import status_path

from .test_conclusions import _conclude, _issue

pytestmark = pytest.mark.django_db


def _section(html: str) -> str:
    return html.split('id="status-conclusion-section"')[1].split("</section>")[0]


def test_the_status_page_shows_the_issued_notice(hearing, chairman, recommendation,
                                                 django_capture_on_commit_callbacks):
    conclusion = _issue(_conclude(hearing, recommendation, chairman), chairman,
                        django_capture_on_commit_callbacks)
    html = Client().get(status_path(recommendation)).content.decode()
    section = _section(html)
    issued = timezone.localtime(conclusion.notice_issued_at)
    assert f"đã được ban hành ngày {issued:%d/%m/%Y}." in section
    assert f"Hạn thực hiện: {conclusion.due_date:%d/%m/%Y}." in section
    link = section.split('href="')[1].split('"')[0]
    assert "/thong-bao-ket-luan/" in link
    pdf = Client().get(link[link.index("/thong-bao-ket-luan/"):])
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert "Có kết luận" in html.split('id="timeline"')[1]


def test_no_notice_before_it_is_issued(hearing, chairman, recommendation):
    _conclude(hearing, recommendation, chairman)
    html = Client().get(status_path(recommendation)).content.decode()
    assert 'id="status-conclusion-section"' not in html
