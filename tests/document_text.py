"""The text of an issued document's DOCX as a reader sees it: its paragraphs, then those of its
tables (python-docx reads the file the product stored)."""

from __future__ import annotations

import io

from docx import Document

from tiepdan.documents.models import IssuedDocument


def docx_text(document: IssuedDocument) -> str:
    with document.docx_file.open("rb") as stored:
        docx = Document(io.BytesIO(stored.read()))
    paragraphs = list(docx.paragraphs)
    for table in docx.tables:
        for row in table.rows:
            for cell in row.cells:
                paragraphs.extend(cell.paragraphs)
    return "\n".join(p.text for p in paragraphs)
