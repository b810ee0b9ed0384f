"""A local test CA and the commune's organisation certificate, as PKCS#12 and on a SoftHSM2
token (PKCS#11), for the signature tests."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from tiepdan.demo import pki
from tiepdan.documents.models import OrganisationSeal, SealBackend

SOFTHSM_MODULE = "/usr/lib/softhsm/libsofthsm2.so"
TOKEN_LABEL = "seal-anlao"
TOKEN_PIN = "246810"
KEY_LABEL = "con-dau-so"


@dataclass
class TestPki:
    authority: pki.Authority
    root_file: Path
    chairman: pki.Holder
    folder: Path


def make_pki(folder: Path) -> TestPki:
    authority = pki.new_authority("Tiếp Dân Test CA")
    folder.mkdir(parents=True, exist_ok=True)
    root = folder / "test-root.pem"
    root.write_bytes(authority.pem())
    chairman = pki.issue(authority, "Vũ Văn Chủ", "UBND xã An Lão")
    return TestPki(authority, root, chairman, folder)


@pytest.fixture
def test_pki(tmp_path, settings) -> TestPki:
    made = make_pki(tmp_path / "pki")
    settings.SIGNATURE_TRUST_ROOTS = [str(made.root_file)]
    return made


@pytest.fixture
def pkcs12_seal(test_pki: TestPki, an_lao) -> OrganisationSeal:
    holder = pki.issue(test_pki.authority, "UBND xã An Lão", "Ủy ban nhân dân xã An Lão")
    secret = test_pki.folder / "seal.pass"
    secret.write_text("mat-khau-p12", encoding="utf-8")
    bundle = test_pki.folder / "seal.p12"
    bundle.write_bytes(holder.pkcs12(b"mat-khau-p12"))
    return OrganisationSeal.objects.create(commune=an_lao, backend=SealBackend.PKCS12,
                                           pkcs12_path=str(bundle), secret_file=str(secret),
                                           location="An Lão")


@pytest.fixture(scope="session")
def softhsm_token(tmp_path_factory) -> Path:
    """A SoftHSM2 token holding a fresh EC key; its certificate is issued per test (below).
    SOFTHSM2_CONF is read when the module is loaded: one token per test process."""
    if shutil.which("softhsm2-util") is None or not Path(SOFTHSM_MODULE).exists():
        pytest.fail("softhsm2 is not installed (scripts/ensure-debian-packages installs it)")
    folder = tmp_path_factory.mktemp("softhsm")
    (folder / "tokens").mkdir()
    conf = folder / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {folder / 'tokens'}\nobjectstore.backend = file\n"
                    "log.level = ERROR\n", encoding="utf-8")
    os.environ["SOFTHSM2_CONF"] = str(conf)
    subprocess.run(["softhsm2-util", "--init-token", "--free", "--label", TOKEN_LABEL,
                    "--pin", TOKEN_PIN, "--so-pin", "13579"], check=True, capture_output=True)
    return conf


def put_key_and_certificate_on_token(authority: pki.Authority) -> str:
    """Generate the organisation's key on the token (it never leaves it) and store the
    certificate the test CA issues for it; returns the certificate's common name."""
    import pkcs11
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.serialization import load_der_public_key
    from pkcs11 import Attribute, KeyType, ObjectClass
    from pkcs11.util.ec import encode_ec_public_key, encode_named_curve_parameters

    token = pkcs11.lib(SOFTHSM_MODULE).get_token(token_label=TOKEN_LABEL)
    common_name = f"UBND xã An Lão (HSM {dt.datetime.now():%H%M%S%f})"
    with token.open(rw=True, user_pin=TOKEN_PIN) as session:
        for obj in session.get_objects({Attribute.LABEL: KEY_LABEL}):
            obj.destroy()
        parameters = session.create_domain_parameters(
            KeyType.EC, {Attribute.EC_PARAMS: encode_named_curve_parameters("secp256r1")},
            local=True)
        public, _private = parameters.generate_keypair(store=True, label=KEY_LABEL, id=b"\x01")
        public_key = load_der_public_key(encode_ec_public_key(public))
        holder = pki.issue(authority, common_name, "Ủy ban nhân dân xã An Lão",
                           public_key=public_key)  # type: ignore[arg-type]
        session.create_object({
            Attribute.CLASS: ObjectClass.CERTIFICATE,
            Attribute.CERTIFICATE_TYPE: pkcs11.CertificateType.X_509,
            Attribute.LABEL: KEY_LABEL, Attribute.ID: b"\x01", Attribute.TOKEN: True,
            Attribute.SUBJECT: holder.certificate.subject.public_bytes(),
            Attribute.VALUE: holder.certificate.public_bytes(serialization.Encoding.DER),
        })
    return common_name


@pytest.fixture
def pkcs11_seal(softhsm_token, test_pki: TestPki, an_lao) -> tuple[OrganisationSeal, str]:
    common_name = put_key_and_certificate_on_token(test_pki.authority)
    pin = test_pki.folder / "token.pin"
    pin.write_text(TOKEN_PIN, encoding="utf-8")
    seal = OrganisationSeal.objects.create(
        commune=an_lao, backend=SealBackend.PKCS11, pkcs11_module=SOFTHSM_MODULE,
        token_label=TOKEN_LABEL, key_label=KEY_LABEL, secret_file=str(pin))
    return seal, common_name
