"""The PDF of a Giấy mời: one A4 page, Liberation Serif embedded, Vietnamese text, a real page
when rasterised."""

import io
import shutil
import subprocess

import pypdf
import pytest
from PIL import Image

from tiepdan.documents import pdf_writer
from tiepdan.documents.layout import Layout
from tiepdan.documents.models import DocType

from .conftest import invitation_values, sample_context


@pytest.fixture(scope="module")
def pdf(rendered_invitation):
    return pypdf.PdfReader(io.BytesIO(rendered_invitation.pdf_bytes))


def _fonts(page):
    fonts = page["/Resources"]["/Font"]
    return [fonts[name].get_object() for name in fonts]


def test_it_has_one_a4_page(pdf):
    assert len(pdf.pages) >= 1
    box = pdf.pages[0].mediabox
    assert abs(float(box.width) - 595) <= 1 and abs(float(box.height) - 842) <= 1


def test_it_embeds_liberation_serif_and_no_other_face(pdf):
    fonts = _fonts(pdf.pages[0])
    names = {str(font["/BaseFont"]) for font in fonts}
    # A face lacking Vietnamese letters would pull in a fallback (DejaVu) for them.
    assert names and all("LiberationSerif" in n.replace("-", "") for n in names), names
    for font in fonts:
        descriptor = (font.get("/FontDescriptor")
                      or font["/DescendantFonts"][0].get_object()["/FontDescriptor"])
        assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))


def test_it_contains_the_vietnamese_title_and_the_number(pdf):
    text = pdf.pages[0].extract_text()
    for expected in ("GIẤY MỜI", "Số: 05/GM-UBND", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                     "An Lão, ngày 05 tháng 01 năm 2026", "trân trọng kính mời", "Nơi nhận:",
                     "Nguyễn Phú Trung"):
        assert expected in text, expected


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils not installed")
def test_it_rasterises_to_a_real_a4_page(rendered_invitation, tmp_path):
    source = tmp_path / "giay-moi.pdf"
    source.write_bytes(rendered_invitation.pdf_bytes)
    subprocess.run(["pdftoppm", "-r", "50", "-png", "-f", "1", "-l", "1", "-singlefile",
                    str(source), str(tmp_path / "page")], check=True, timeout=60)
    image = Image.open(tmp_path / "page.png").convert("L")
    width, height = image.size
    assert abs(height / width - 297 / 210) < 0.02
    dark = sum(image.histogram()[:128])
    assert 0.005 < dark / (width * height) < 0.2, "blank or solid page"


def test_it_never_fetches_remote_resources():
    fetcher = pdf_writer.offline_url_fetcher()
    with pytest.raises(ValueError, match="disallowed protocol"):
        fetcher.fetch("https://example.com/logo.png")


def test_it_escapes_text_into_the_html():
    context = sample_context(DocType.INVITATION, {
        **invitation_values(), "invitees": "<img src='https://example.com/x.png'>",
    })
    html = pdf_writer.html_of(Layout.from_dict(context["layout"]))
    assert "<img" not in html and "&lt;img" in html
