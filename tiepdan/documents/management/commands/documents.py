"""``tiepdan documents verify FILE``: is this PDF a document the product issued, with intact,
trusted signatures?  (Signing as a demo official is the demo's: ``tiepdan sign_demo``.)"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tiepdan.documents.comparison import compare
from tiepdan.documents.models import DocumentSignature, IssuedDocument
from tiepdan.documents.signature_check import check_pdf
from tiepdan.documents.verification import find


class Command(BaseCommand):
    help = "Verify an issued document's PDF."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help="check a PDF against the issued documents")
        verify.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc.strerror}") from exc
        document = self._document_of(data)
        if document is None:
            check = check_pdf(data)
            if check.error:
                raise CommandError(check.error)
            for s in check.signatures:
                self.stdout.write(f"signature {s.field_name}: {s.certificate.common_name}: "
                                  f"{'valid' if s.valid else s.problem}")
            raise CommandError("not a document issued by this product (no issued version "
                               "matches its content)")
        comparison = compare(document, data)
        self.stdout.write(f"{document.symbol} ({document.year}) · {document.commune.committee_name}"
                          f" · {document.issued_on:%d/%m/%Y} · code {document.verification_code}")
        for s in comparison.check.signatures if comparison.check else []:
            when = f" {s.signed_at:%Y-%m-%d %H:%M}" if s.signed_at else ""
            self.stdout.write(f"signature {s.field_name}: {s.certificate.common_name}{when}: "
                              f"{'valid' if s.valid else s.problem}")
        for line in comparison.differences:
            self.stdout.write(f"differs: {line}")
        if not comparison.matches:
            raise CommandError(comparison.verdict)
        self.stdout.write(self.style.SUCCESS(comparison.verdict))

    @staticmethod
    def _document_of(data: bytes) -> IssuedDocument | None:
        """The issued document this file is a version of, else the one whose verification
        code it carries (a changed copy)."""
        import hashlib

        digest = hashlib.sha256(data).hexdigest()
        found = (IssuedDocument.objects.filter(pdf_sha256=digest).first()
                 or IssuedDocument.objects.filter(
                     pk__in=DocumentSignature.objects.filter(pdf_sha256=digest)
                     .values("document_id")).first())
        return found or _by_text_code(data)


def _by_text_code(data: bytes) -> IssuedDocument | None:
    """A changed file no longer starts with the issued bytes: find its document by the
    verification code printed on it, so the differences can be shown."""
    import io
    import re

    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        text = " ".join((page.extract_text() or "") for page in PdfReader(io.BytesIO(data)).pages)
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError):
        return None
    match = re.search(r"Mã xác thực:\s*([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})", text)
    return find(match.group(1)) if match else None
