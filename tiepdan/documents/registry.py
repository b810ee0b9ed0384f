"""One registry of document renderers, one class per document type.

    @register(DocType.INVITATION)
    class InvitationRenderer(Renderer): ...

    rendered = render(DocType.INVITATION, context)  # RenderedDocument(docx_bytes, pdf_bytes)

A type may have more than one kind of document, told apart by a *template key*: the
schedule notice and the refusal notice 01/TCD are both "TB" (one NĐ 30 number sequence), so
the refusal notice registers as ``@register(DocType.NOTICE, template_key="refusal_01_tcd")``.
The default kind of a type has the empty key.  The built-in types (``renderers``) register when
the app is ready (``DocumentsConfig.ready``).

``context`` is what ``composer.compose`` builds (and ``IssuedDocument.context`` keeps): the
final text of the document under ``"layout"``, the caller's data under ``"data"`` and the
template key under ``"template_key"``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

from django.utils import translation

from .docx_writer import write_docx
from .layout import Layout
from .models import DocType
from .pdf_writer import write_pdf


@dataclass(frozen=True)
class RenderedDocument:
    docx_bytes: bytes
    pdf_bytes: bytes


class Renderer:
    """What one document type needs: its title, the variables its templates may use (name →
    description; required ones must be given), and how they are derived from the caller's
    data. Layout and writing are shared (NĐ 30 Phụ lục I)."""

    doc_type: ClassVar[DocType]
    template_key: ClassVar[str] = ""
    type_title: ClassVar[str]
    required: ClassVar[dict[str, str]] = {}
    optional: ClassVar[dict[str, str]] = {}
    #: A line under the signatures for someone to confirm (e.g. the citizen, on a Biên bản).
    confirmation: ClassVar[str] = ""

    def variables(self, data: dict[str, Any]) -> dict[str, Any]:
        """Template variables from the caller's data (derived texts added by subclasses)."""
        return dict(data)

    def addressee(self, variables: dict[str, Any]) -> str:
        """The "Kính gửi: …" line (none by default)."""
        return ""

    def layout(self, context: dict[str, Any]) -> Layout:
        return Layout.from_dict(context["layout"])

    def render(self, context: dict[str, Any]) -> RenderedDocument:
        layout = self.layout(context)
        with translation.override(context.get("language", "vi")):
            return RenderedDocument(docx_bytes=write_docx(layout), pdf_bytes=write_pdf(layout))

    def render_docx(self, context: dict[str, Any]) -> bytes:
        with translation.override(context.get("language", "vi")):
            return write_docx(self.layout(context))

    def render_pdf(self, context: dict[str, Any]) -> bytes:
        with translation.override(context.get("language", "vi")):
            return write_pdf(self.layout(context))


_RENDERERS: dict[tuple[str, str], type[Renderer]] = {}


def register(doc_type: DocType | str, template_key: str = ""
             ) -> Callable[[type[Renderer]], type[Renderer]]:
    def decorate(cls: type[Renderer]) -> type[Renderer]:
        key = (DocType(doc_type).value, template_key)
        if key in _RENDERERS:
            raise ValueError(f"a renderer for {key} is already registered")
        cls.doc_type = DocType(doc_type)
        cls.template_key = template_key
        _RENDERERS[key] = cls
        return cls

    return decorate


def renderer_for(doc_type: DocType | str, template_key: str = "") -> Renderer:
    """The renderer of ``doc_type`` (and ``template_key``); ``LookupError`` if none is
    registered."""
    try:
        return _RENDERERS[(DocType(doc_type).value, template_key or "")]()
    except (KeyError, ValueError) as exc:
        raise LookupError(
            f"no renderer for document type {doc_type!r} ({template_key!r})") from exc


def registered_types() -> list[DocType]:
    return sorted({DocType(doc_type) for doc_type, _key in _RENDERERS})


def render(doc_type: DocType | str, context: dict[str, Any]) -> RenderedDocument:
    return renderer_for(doc_type, context.get("template_key", "")).render(context)


def json_ready(value: Any) -> Any:
    """Dates and times as ISO strings, for ``IssuedDocument.context``."""
    if isinstance(value, dict):
        return {str(k): json_ready(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_ready(v) for v in value]
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return value
