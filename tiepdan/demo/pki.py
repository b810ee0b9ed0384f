"""A synthetic certificate authority for the demo and the tests: organisation certificates for
the demo communes and personal certificates for their officials, with no legal value.

Real deployments configure the commune's certificate from its CA (``OrganisationSeal``) and
the trust roots of the Vietnamese state's CAs (``SIGNATURE_TRUST_ROOTS``).
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

#: Where the demo CA would publish its revocation list (nothing answers there: a deployment
#: without a route to its CA copies the lists to SIGNATURE_CRL_FILES).
CRL_URL = "http://pki.tiepdan.invalid/demo-ca.crl"


def name(common_name: str, organisation: str = "") -> x509.Name:
    attributes = [x509.NameAttribute(NameOID.COUNTRY_NAME, "VN")]
    if organisation:
        attributes.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation))
    attributes.append(x509.NameAttribute(NameOID.COMMON_NAME, common_name))
    return x509.Name(attributes)


@dataclass
class Authority:
    key: ec.EllipticCurvePrivateKey
    certificate: x509.Certificate

    def pem(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.PEM)


@dataclass
class Holder:
    key: ec.EllipticCurvePrivateKey | None
    certificate: x509.Certificate
    chain: list[x509.Certificate]

    def pkcs12(self, passphrase: bytes) -> bytes:
        return pkcs12.serialize_key_and_certificates(
            b"tiepdan", self.key, self.certificate, self.chain,
            serialization.BestAvailableEncryption(passphrase))


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def new_authority(common_name: str = "Tiếp Dân Demo CA (không có giá trị pháp lý)",
                  *, days: int = 3650) -> Authority:
    key = ec.generate_private_key(ec.SECP256R1())
    subject = name(common_name, "Tiếp Dân Demo")
    certificate = _builder(subject, key.public_key(), subject, _now() - dt.timedelta(days=1),
                           _now() + dt.timedelta(days=days), ca=True).sign(key, hashes.SHA256())
    return Authority(key, certificate)


def issue(authority: Authority, common_name: str, organisation: str = "", *,
          public_key: ec.EllipticCurvePublicKey | None = None,
          not_before: dt.datetime | None = None, not_after: dt.datetime | None = None
          ) -> Holder:
    """A signing certificate from ``authority`` (for ``public_key``, e.g. one on a token, or a
    new key)."""
    key = None if public_key is not None else ec.generate_private_key(ec.SECP256R1())
    # key is None only when public_key was given.
    public = public_key if public_key is not None else key.public_key()  # type: ignore[union-attr]
    certificate = _builder(
        name(common_name, organisation), public, authority.certificate.subject,
        not_before or _now() - dt.timedelta(days=1), not_after or _now() + dt.timedelta(days=730),
        ca=False, issuer_key=authority.key.public_key(),
    ).add_extension(x509.CRLDistributionPoints([x509.DistributionPoint(
        full_name=[x509.UniformResourceIdentifier(CRL_URL)], relative_name=None, reasons=None,
        crl_issuer=None)]), critical=False).sign(authority.key, hashes.SHA256())
    return Holder(key, certificate, [authority.certificate])


def _builder(subject: x509.Name, public_key: ec.EllipticCurvePublicKey, issuer: x509.Name,
             not_before: dt.datetime, not_after: dt.datetime, *, ca: bool,
             issuer_key: ec.EllipticCurvePublicKey | None = None) -> x509.CertificateBuilder:
    builder = (
        x509.CertificateBuilder().subject_name(subject).issuer_name(issuer)
        .public_key(public_key).serial_number(x509.random_serial_number())
        .not_valid_before(not_before).not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(
            digital_signature=True, content_commitment=not ca, key_encipherment=False,
            data_encipherment=False, key_agreement=False, key_cert_sign=ca, crl_sign=ca,
            encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
    )
    if issuer_key is not None:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key), critical=False)
    return builder


def write_authority(authority: Authority, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "demo-root.pem"
    path.write_bytes(authority.pem())
    return path


def load_authority(folder: Path) -> Authority | None:
    key_path, cert_path = folder / "demo-root.key", folder / "demo-root.pem"
    if not (key_path.exists() and cert_path.exists()):
        return None
    key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise ValueError(f"{key_path} is not the demo CA's EC key")
    return Authority(key, x509.load_pem_x509_certificate(cert_path.read_bytes()))


def save_authority(authority: Authority, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    key_path = folder / "demo-root.key"
    key_path.write_bytes(authority.key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()))
    key_path.chmod(0o600)
    write_authority(authority, folder)


def sign_pdf_as(holder: Holder, pdf: bytes, field_name: str) -> bytes:
    """Sign ``pdf`` into ``field_name`` as an official's token tool would (an incremental
    update; used by the demo's ``tiepdan sign_demo`` and the tests)."""
    from asn1crypto import keys as asn1_keys
    from asn1crypto import x509 as asn1_x509
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    # A holder made here always has its private key (one on a token is never exported).
    key_der = holder.key.private_bytes(  # type: ignore[union-attr]
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption())
    signer = signers.SimpleSigner(
        signing_cert=asn1_x509.Certificate.load(
            holder.certificate.public_bytes(serialization.Encoding.DER)),
        signing_key=asn1_keys.PrivateKeyInfo.load(key_der),
        cert_registry=SimpleCertificateStore.from_certs([
            asn1_x509.Certificate.load(c.public_bytes(serialization.Encoding.DER))
            for c in holder.chain]))
    out = io.BytesIO()
    signers.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(pdf)),
                     signers.PdfSignatureMetadata(field_name=field_name), signer=signer,
                     output=out)
    return out.getvalue()
