"""A renderer that fails, registered in the documents' renderer registry in place of the real
one of a type until it is repaired (the database, storage and writers stay real)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from tiepdan.documents import registry
from tiepdan.documents.models import DocType


@dataclass
class Breakdown:
    key: tuple[str, str]
    real: type[registry.Renderer]
    attempts: int = 0

    def repair(self) -> None:
        registry._RENDERERS[self.key] = self.real


@contextmanager
def failing_renderer(doc_type: DocType | str, template_key: str = "") -> Iterator[Breakdown]:
    """Every render of ``doc_type`` (and ``template_key``) fails, as the DOCX writer did on a
    control character, until ``repair()`` or the end of the block."""
    key = (DocType(doc_type).value, template_key)
    breakdown = Breakdown(key, registry._RENDERERS[key])

    class Failing(breakdown.real):  # type: ignore[misc,valid-type]
        def render(self, context: dict[str, Any]) -> registry.RenderedDocument:
            breakdown.attempts += 1
            raise ValueError(
                "All strings must be XML compatible: Unicode or ASCII, no NULL "
                "bytes or control characters"
            )

    registry._RENDERERS[key] = Failing
    try:
        yield breakdown
    finally:
        breakdown.repair()
