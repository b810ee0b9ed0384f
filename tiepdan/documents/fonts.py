"""The serif font of the documents: Times New Roman in DOCX (NĐ 30), and in PDF its metric twin
Liberation Serif, embedded in the file.

Liberation 2.x (Debian fonts-liberation2) is needed: 1.07 (fonts-liberation) lacks most
Vietnamese letters (ư, ơ, ạ, ủ …), which would then come from another face.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from PIL import ImageFont

DOCX_FONT = "Times New Roman"
PDF_FONT = "Liberation Serif"
FONT_DIRS = (
    Path("/usr/share/fonts/truetype/liberation2"),  # fonts-liberation2: full Vietnamese
    Path("/usr/share/fonts/truetype/liberation"),  # fonts-liberation 1.07: fallback only
)
FACES = {  # (bold, italic) → file
    (False, False): "LiberationSerif-Regular.ttf",
    (True, False): "LiberationSerif-Bold.ttf",
    (False, True): "LiberationSerif-Italic.ttf",
    (True, True): "LiberationSerif-BoldItalic.ttf",
}


@cache
def font_dir() -> Path:
    for directory in FONT_DIRS:
        if all((directory / name).is_file() for name in FACES.values()):
            return directory
    return FONT_DIRS[0]


def face_path(bold: bool = False, italic: bool = False) -> Path:
    return font_dir() / FACES[(bold, italic)]


def faces_available() -> bool:
    return face_path().is_file()


@cache
def _font(size: float, bold: bool, italic: bool) -> ImageFont.FreeTypeFont | None:
    path = face_path(bold, italic)
    return ImageFont.truetype(str(path), size=int(size * 10)) if path.is_file() else None


def text_width_pt(text: str, size: float, *, bold: bool = False, italic: bool = False) -> float:
    """Width of one line of ``text`` in points (the metrics equal Times New Roman's)."""
    font = _font(size, bold, italic)
    if font is None:
        return len(text) * size * 0.55  # rough average advance of a serif face
    return font.getlength(text) / 10


def issuer_lines(issuer: str, size: float, max_width_pt: float) -> list[str]:
    """The issuing body's name (uppercase), on two lines when one would not fit the column:
    "ỦY BAN NHÂN DÂN" / "XÃ LẠC PHƯỢNG", as commune documents write it."""
    head = "ỦY BAN NHÂN DÂN "
    if text_width_pt(issuer, size, bold=True) <= max_width_pt or not issuer.startswith(head):
        return [issuer]
    return [head.strip(), issuer[len(head):]]
