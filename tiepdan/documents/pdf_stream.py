"""A PDF written page by page to a file, in constant memory: for long tables (the Sổ tiếp công
dân of a whole year, 100,000 rows) that WeasyPrint cannot lay out in reasonable time or memory.

WeasyPrint lays out the whole document in memory before writing: 1,000 register rows took
23 s and 400 MB here, so 100,000 would take the better part of an hour. This writer instead
emits each page's content stream (compressed) as soon as the page is drawn and keeps only the
objects' offsets; fonts go at the end, subset to the glyphs used (fontTools, which WeasyPrint
already depends on) and embedded as CID TrueType fonts with a ToUnicode map, so the text
stays searchable and copyable. The face is Liberation Serif, Times New Roman's metric twin
(see ``fonts``), embedded: nothing depends on the reader's fonts.

Only what tables need: text runs in one of the embedded faces, lines, rectangles, grey fills.

    pdf = StreamingPdf(out, title="Sổ tiếp công dân")
    page = pdf.new_page()
    page.text(40, 550, "Xin chào", pdf.fonts["bold"], 12)
    pdf.add_page(page)
    pdf.close()
"""

from __future__ import annotations

import io
import logging
import zlib
from pathlib import Path
from typing import IO

from fontTools import subset
from fontTools.ttLib import TTFont

from tiepdan.core.text import LINE_CHARACTERS, printable

from .fonts import face_path

A4_LANDSCAPE = (841.89, 595.28)  # points
# The subsetter reports every step at INFO; one export would log hundreds of lines.
logging.getLogger("fontTools.subset").setLevel(logging.ERROR)
_WORD_CACHE_LIMIT = 50_000


class EmbeddedFont:
    """One TrueType face: its metrics (for laying out) and the glyphs used so far (to subset
    and map back to Unicode at the end)."""

    def __init__(self, path: Path, resource: str) -> None:
        self.path, self.resource = path, resource
        font = TTFont(str(path), lazy=True)
        self.units = font["head"].unitsPerEm
        hmtx = font["hmtx"]
        order = font.getGlyphOrder()
        gid_of = {name: gid for gid, name in enumerate(order)}
        self._glyph: dict[str, int] = {}
        self._advance: dict[str, float] = {}  # per 1 pt of font size
        for codepoint, name in font.getBestCmap().items():
            char = chr(codepoint)
            self._glyph[char] = gid_of[name]
            self._advance[char] = hmtx[name][0] / self.units
        self._notdef_advance = hmtx[order[0]][0] / self.units
        self._gid_advance = {gid_of[n]: hmtx[n][0] for n in order}  # font units
        head, hhea, os2 = font["head"], font["hhea"], font["OS/2"]
        scale = 1000 / self.units
        self.bbox = [round(v * scale) for v in (head.xMin, head.yMin, head.xMax, head.yMax)]
        self.ascent = round(hhea.ascent * scale)
        self.descent = round(hhea.descent * scale)
        self.cap_height = round(getattr(os2, "sCapHeight", hhea.ascent) * scale)
        self.italic_angle = float(font["post"].italicAngle)
        self.postscript_name = font["name"].getDebugName(6) or path.stem
        font.close()
        self.used: dict[int, str] = {}  # glyph id → the character it was used for
        self._word_widths: dict[str, float] = {}

    def width(self, text: str, size: float) -> float:
        """Width of ``text`` in points at ``size``."""
        cached = self._word_widths.get(text)
        if cached is None:
            advance, notdef = self._advance, self._notdef_advance
            cached = sum(advance.get(char, notdef) for char in text)
            if len(self._word_widths) >= _WORD_CACHE_LIMIT:
                self._word_widths.clear()  # bounded: memory stays constant on any input
            self._word_widths[text] = cached
        return cached * size

    def encode(self, text: str) -> bytes:
        """``text`` as a PDF hex string of 2-byte glyph ids (Identity-H)."""
        glyph, used = self._glyph, self.used
        out = []
        for char in text:
            gid = glyph.get(char, 0)
            if gid not in used:
                used[gid] = char
            out.append(f"{gid:04X}")
        return b"<" + "".join(out).encode("ascii") + b">"

    def subset_program(self) -> bytes:
        """The font file reduced to the glyphs used, glyph ids unchanged."""
        font = TTFont(str(self.path))
        options = subset.Options()
        options.retain_gids = True  # the content streams already name glyphs by id
        options.notdef_outline = True
        options.layout_features = []
        options.name_IDs = ["*"]
        subsetter = subset.Subsetter(options)
        subsetter.populate(gids=sorted({0, *self.used}))
        subsetter.subset(font)
        buffer = io.BytesIO()
        font.save(buffer)
        return buffer.getvalue()

    def widths_array(self) -> bytes:
        scale = 1000 / self.units
        parts = [f"{gid} [{round(self._gid_advance.get(gid, 0) * scale)}]"
                 for gid in sorted(self.used)]
        return ("[" + " ".join(parts) + "]").encode("ascii")

    def to_unicode(self) -> bytes:
        lines = ["/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap",
                 "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
                 "/CMapName /Adobe-Identity-UCS def", "/CMapType 2 def",
                 "1 begincodespacerange", "<0000> <FFFF>", "endcodespacerange"]
        items = sorted(self.used.items())
        for start in range(0, len(items), 100):
            chunk = items[start:start + 100]
            lines.append(f"{len(chunk)} beginbfchar")
            for gid, char in chunk:
                lines.append(f"<{gid:04X}> <{char.encode('utf-16-be').hex().upper()}>")
            lines.append("endbfchar")
        lines += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
        return "\n".join(lines).encode("ascii")


class Page:
    """The drawing operators of one page (PDF coordinates: points, origin bottom left)."""

    def __init__(self, width: float, height: float) -> None:
        self.width, self.height = width, height
        self._ops: list[bytes] = []

    def text(self, x: float, y: float, text: str, font: EmbeddedFont, size: float) -> None:
        text = printable(text)  # a lone surrogate has no UTF-16 form for ToUnicode
        if text:
            self._ops.append(b"BT /%s %.2f Tf %.2f %.2f Td %s Tj ET" % (
                font.resource.encode(), size, x, y, font.encode(text)))

    def line(self, x1: float, y1: float, x2: float, y2: float, width: float = 0.5) -> None:
        self._ops.append(b"%.2f w %.2f %.2f m %.2f %.2f l S" % (width, x1, y1, x2, y2))

    def rect(self, x: float, y: float, w: float, h: float, *, width: float = 0.5,
             fill_grey: float | None = None) -> None:
        if fill_grey is not None:
            self._ops.append(b"%.2f g %.2f %.2f %.2f %.2f re f 0 g" % (fill_grey, x, y, w, h))
        self._ops.append(b"%.2f w %.2f %.2f %.2f %.2f re S" % (width, x, y, w, h))

    def content(self) -> bytes:
        return b"\n".join(self._ops)


class StreamingPdf:
    """Writes a PDF to ``out`` as pages are added; ``close()`` writes fonts, page tree and
    cross-reference table. Memory: one page plus a few integers per page."""

    FACES = {"regular": (False, False), "bold": (True, False), "italic": (False, True)}

    def __init__(self, out: IO[bytes], *, title: str = "",
                 page_size: tuple[float, float] = A4_LANDSCAPE) -> None:
        self.out, self.title, self.page_size = out, printable(title), page_size
        self.fonts = {name: EmbeddedFont(face_path(*style), f"F{index}")
                      for index, (name, style) in enumerate(self.FACES.items(), start=1)}
        self._offsets: dict[int, int] = {}
        self._position = 0
        self._page_ids: list[int] = []
        # Fixed numbers: 1 catalog, 2 page tree, 3 info, then 5 per font; pages come after.
        self._font_ids = {name: 4 + 5 * i for i, name in enumerate(self.fonts)}
        self._next_id = 4 + 5 * len(self.fonts)
        self._write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")

    def new_page(self) -> Page:
        return Page(*self.page_size)

    def add_page(self, page: Page) -> None:
        content_id, page_id = self._allocate(), self._allocate()
        self._stream(content_id, zlib.compress(page.content(), 6), b"/Filter /FlateDecode")
        fonts = b" ".join(b"/%s %d 0 R" % (font.resource.encode(), self._font_ids[name])
                          for name, font in self.fonts.items())
        self._object(page_id, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %.2f %.2f] "
                     b"/Resources << /Font << %s >> >> /Contents %d 0 R >>" % (
                         page.width, page.height, fonts, content_id))
        self._page_ids.append(page_id)

    @property
    def page_count(self) -> int:
        return len(self._page_ids)

    def close(self) -> None:
        for name, font in self.fonts.items():
            self._write_font(self._font_ids[name], font)
        kids = b" ".join(b"%d 0 R" % pid for pid in self._page_ids)
        self._object(2, b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, len(self._page_ids)))
        self._object(1, b"<< /Type /Catalog /Pages 2 0 R >>")
        title = b"<FEFF" + self.title.encode("utf-16-be").hex().upper().encode() + b">"
        self._object(3, b"<< /Title %s /Producer (Tiep Dan) >>" % title)
        xref_at = self._position
        count = self._next_id
        rows = [b"xref\n0 %d\n0000000000 65535 f \n" % count]
        rows += [b"%010d 00000 n \n" % self._offsets[i] for i in range(1, count)]
        rows.append(b"trailer\n<< /Size %d /Root 1 0 R /Info 3 0 R >>\nstartxref\n%d\n%%%%EOF\n"
                    % (count, xref_at))
        self._write(b"".join(rows))

    # Objects -----------------------------------------------------------------------------------
    def _allocate(self) -> int:
        self._next_id += 1
        return self._next_id - 1

    def _write(self, data: bytes) -> None:
        self.out.write(data)
        self._position += len(data)

    def _object(self, number: int, body: bytes) -> None:
        self._offsets[number] = self._position
        self._write(b"%d 0 obj\n%s\nendobj\n" % (number, body))

    def _stream(self, number: int, data: bytes, extra: bytes = b"") -> None:
        self._offsets[number] = self._position
        self._write(b"%d 0 obj\n<< /Length %d %s >>\nstream\n" % (number, len(data), extra))
        self._write(data)
        self._write(b"\nendstream\nendobj\n")

    def _write_font(self, first: int, font: EmbeddedFont) -> None:
        type0, cid, descriptor, program, to_unicode = range(first, first + 5)
        # A subset's name starts with six capital letters and "+" (ISO 32000-1, 9.6.4).
        tag = "".join(chr(65 + (first * 7 + i * 3) % 26) for i in range(6))
        name = f"{tag}+{font.postscript_name}".encode("ascii", "replace")
        raw = font.subset_program()
        self._stream(program, zlib.compress(raw, 6),
                     b"/Filter /FlateDecode /Length1 %d" % len(raw))
        flags = 2 | 32 | (64 if font.italic_angle else 0)  # serif, non-symbolic, italic
        self._object(descriptor, b"<< /Type /FontDescriptor /FontName /%s /Flags %d "
                     b"/FontBBox [%s] /ItalicAngle %.1f /Ascent %d /Descent %d /CapHeight %d "
                     b"/StemV 80 /FontFile2 %d 0 R >>" % (
                         name, flags, " ".join(map(str, font.bbox)).encode(),
                         font.italic_angle, font.ascent, font.descent, font.cap_height,
                         program))
        self._object(cid, b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /%s "
                     b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >>"
                     b" /FontDescriptor %d 0 R /DW 1000 /W %s /CIDToGIDMap /Identity >>" % (
                         name, descriptor, font.widths_array()))
        self._stream(to_unicode, zlib.compress(font.to_unicode(), 6), b"/Filter /FlateDecode")
        self._object(type0, b"<< /Type /Font /Subtype /Type0 /BaseFont /%s "
                     b"/Encoding /Identity-H /DescendantFonts [%d 0 R] /ToUnicode %d 0 R >>" % (
                         name, cid, to_unicode))


def normalise(text: str) -> str:
    """NFC, so that Vietnamese letters use the font's precomposed glyphs; no control chars;
    line breaks and tabs as spaces."""
    text = printable(text)
    if text.isprintable():
        return text
    return "".join(" " if ch in LINE_CHARACTERS else ch for ch in text)


def wrap(text: str, font: EmbeddedFont, size: float, width: float) -> list[str]:
    """Greedy line breaking of ``text`` into lines no wider than ``width`` points; a word
    longer than a line is broken between letters."""
    lines: list[str] = []
    space = font.width(" ", size)
    current, current_width = "", 0.0
    for word in text.split():
        word_width = font.width(word, size)
        if current and current_width + space + word_width <= width:
            current += " " + word
            current_width += space + word_width
            continue
        if current:
            lines.append(current)
        if word_width <= width:
            current, current_width = word, word_width
            continue
        piece = ""
        for char in word:  # a word wider than the column
            if piece and font.width(piece + char, size) > width:
                lines.append(piece)
                piece = ""
            piece += char
        current, current_width = piece, font.width(piece, size)
    if current:
        lines.append(current)
    return lines
