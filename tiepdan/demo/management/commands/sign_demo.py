"""``tiepdan sign_demo IN OUT --user U``: sign a PDF as a demo official's token tool would
(synthetic certificates of ``make run``, no legal value)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tiepdan.demo import pki
from tiepdan.demo.data import DEMO_SIGNING_PASSPHRASE, demo_pki_folder
from tiepdan.documents.signature_fields import PERSONAL_FIELD


class Command(BaseCommand):
    help = "Sign a PDF with a demo official's certificate (no legal value)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("input", type=Path)
        parser.add_argument("output", type=Path)
        parser.add_argument("--user", required=True, help="a demo login, e.g. anlao.chutich")

    def handle(self, *args: Any, **options: Any) -> None:
        source: Path = options["input"]
        target: Path = options["output"]
        username: str = options["user"]
        bundle = demo_pki_folder() / f"{username}.p12"
        if not bundle.exists():
            raise CommandError(f"no demo certificate for {username} (only the demo Chairmen and "
                               "Vice-Chairmen have one; run `tiepdan load_demo`)")
        key, certificate, chain = pkcs12.load_key_and_certificates(
            bundle.read_bytes(), DEMO_SIGNING_PASSPHRASE.encode())
        if not isinstance(key, ec.EllipticCurvePrivateKey) or certificate is None:
            raise CommandError(f"{bundle} holds no demo signing key")
        holder = pki.Holder(key, certificate, list(chain))
        target.write_bytes(pki.sign_pdf_as(holder, source.read_bytes(), PERSONAL_FIELD))
        self.stdout.write(f"signed as {certificate.subject.rfc4514_string()} → {target}")
