"""The trust roots and revocation settings every signature check uses.

``SIGNATURE_TRUST_ROOTS``: PEM or DER certificate files, or folders of them (the national root
of the Vietnamese government CA, the public CAs the state recognises …).  Revocation:
``SIGNATURE_REVOCATION`` is pyHanko's mode ("soft-fail" by default; "hard-fail" refuses a
certificate whose status cannot be learnt), and CRL/OCSP sources are fetched only when
``SIGNATURE_FETCH_REVOCATION`` is on (an intranet may have no route to them); CRLs copied to the
machine are read from ``SIGNATURE_CRL_FILES``.
"""

from __future__ import annotations

from pathlib import Path

from asn1crypto import x509 as asn1_x509
from django.conf import settings
from pyhanko.keys import load_cert_from_pemder
from pyhanko_certvalidator import ValidationContext

CERT_SUFFIXES = {".pem", ".crt", ".cer", ".der"}


def trust_root_files() -> list[Path]:
    files: list[Path] = []
    for entry in settings.SIGNATURE_TRUST_ROOTS:
        path = Path(entry)
        if path.is_dir():
            files += sorted(p for p in path.iterdir() if p.suffix.lower() in CERT_SUFFIXES)
        elif path.is_file():
            files.append(path)
    return files


def trust_roots() -> list[asn1_x509.Certificate]:
    return [load_cert_from_pemder(str(path)) for path in trust_root_files()]


def revocation_lists() -> list[bytes]:
    """The CRLs kept on this machine (``SIGNATURE_CRL_FILES``, DER or PEM): on an intranet
    with no route to the CAs, the operator copies the CAs' lists here."""
    lists: list[bytes] = []
    for entry in settings.SIGNATURE_CRL_FILES:
        path = Path(entry)
        for file in (sorted(path.iterdir()) if path.is_dir() else [path]):
            if not file.is_file():
                continue
            data = file.read_bytes()
            if data.lstrip().startswith(b"-----BEGIN"):
                from asn1crypto import pem

                data = pem.unarmor(data)[2]
            lists.append(data)
    return lists


def validation_context(*, extra_certs: list[asn1_x509.Certificate] | None = None
                       ) -> ValidationContext:
    crls = revocation_lists()
    return ValidationContext(
        trust_roots=trust_roots(), other_certs=extra_certs or [], crls=crls,
        allow_fetching=settings.SIGNATURE_FETCH_REVOCATION,
        # soft-fail still refuses a certificate a list names as revoked.
        revocation_mode=settings.SIGNATURE_REVOCATION,
    )
