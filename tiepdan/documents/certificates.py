"""What a signing certificate says about its holder, in the words the pages show."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from asn1crypto import x509 as asn1_x509


@dataclass(frozen=True)
class CertificateInfo:
    common_name: str
    organisation: str
    issuer_name: str
    sha256: str


def _attribute(name: asn1_x509.Name, key: str) -> str:
    value = name.native.get(key, "")
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value)
    return str(value)


def describe(certificate: asn1_x509.Certificate) -> CertificateInfo:
    return CertificateInfo(
        common_name=_attribute(certificate.subject, "common_name"),
        organisation=_attribute(certificate.subject, "organization_name"),
        issuer_name=_attribute(certificate.issuer, "common_name")
        or _attribute(certificate.issuer, "organization_name"),
        sha256=hashlib.sha256(certificate.dump()).hexdigest(),
    )
