"""Walking the step-by-step registration with Django's test client."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests import samples

PERSON = {
    "full_name": "Trần Thị Bình", "id_type": "cccd", "id_number": "031185000101",
    "gender": "female", "date_of_birth": "1985-03-12", "province": "31", "ward": "11629",
    "address": "Thôn Hàm Hy", "phone": "0912 000 101", "email": "binh@example.org",
}
MATTER = {"summary": "Khiếu nại quyết định thu hồi đất", "content": "Quyết định không đúng.",
          "complained_decision": "Quyết định 12/QĐ-UBND", "complained_by": "UBND xã"}


def step_url(commune, slug: str) -> str:
    return reverse("intake:step", args=[commune.ward_code, slug])


def check_url(commune) -> str:
    return reverse("intake:check", args=[commune.ward_code])


def pdf(name: str = "don.pdf", pages: int = 1) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, samples.pdf_bytes(pages), content_type="application/pdf")


def fill_all(client, commune, *, kind: str = "khieu_nai", matter: dict | None = None,
             files: tuple = ()) -> None:
    """Answer every step validly (status 302 each)."""
    answers = [
        ("loai-don", {"kind": kind}),
        ("nguoi-gui", PERSON),
        ("noi-dung", matter or MATTER),
        ("nhieu-nguoi", {}),
        ("tai-lieu", {"attachments": list(files)} if files else {}),
        ("truc-tuyen", {}),
        ("dong-y", {"consent": "on"}),
    ]
    for slug, data in answers:
        response = client.post(step_url(commune, slug), data)
        assert response.status_code == 302, (slug, response.content.decode()[:3000])


def draft_id(client, commune) -> str:
    response = client.get(check_url(commune))
    return response.context["draft"].pk
