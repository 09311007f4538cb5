"""Signing with a key that lives on a PKCS#11 token: SoftHSM v2, a throw-away token per test.

Persona: an agency whose signing keys sit in an HSM; the portal makes the key on the device,
has our CA certify its public half, and asks the device to sign each PDF's digest.
The CA here is the test's own, made with ``cryptography``; nothing goes to the network.
"""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pkcs11 as p11
import pytest
from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from vgp.signatures.pkcs11 import (
    Pkcs11Error,
    check_pkcs11,
    configured,
    generate_key,
    open_signer,
)

from .documents import blank_pdf

_CANDIDATES = (
    "/usr/lib/softhsm/libsofthsm2.so",  # Debian, Ubuntu
    "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
    "/usr/local/lib/softhsm/libsofthsm2.so",
)
SOFTHSM = next((path for path in _CANDIDATES if Path(path).is_file()), None)
SOFTHSM_UTIL = shutil.which("softhsm2-util")
if SOFTHSM is None or SOFTHSM_UTIL is None:
    pytest.skip(
        "SoftHSM (Debian package softhsm2) is not installed: "
        "/usr/lib/softhsm/libsofthsm2.so missing",
        allow_module_level=True,
    )

TOKEN = "vgp-test"
PIN = "1234"
UTC = dt.UTC


@pytest.fixture
def token(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, settings) -> Iterator[str]:
    """An empty SoftHSM token in tmp_path, configured as the project's signing token."""
    assert SOFTHSM is not None and SOFTHSM_UTIL is not None
    (tmp_path / "tokens").mkdir()
    conf = tmp_path / "softhsm2.conf"
    conf.write_text(
        f"directories.tokendir = {tmp_path / 'tokens'}\n"
        "objectstore.backend = file\n"
        "log.level = ERROR\n"
    )
    monkeypatch.setenv("SOFTHSM2_CONF", str(conf))
    subprocess.run(  # noqa: S603  (fixed arguments)
        [
            SOFTHSM_UTIL,
            "--init-token",
            "--free",
            "--label",
            TOKEN,
            "--so-pin",
            "0000",
            "--pin",
            PIN,
        ],
        check=True,
        capture_output=True,
    )
    settings.SIGNATURE_PKCS11_MODULE = SOFTHSM
    settings.SIGNATURE_PKCS11_TOKEN_LABEL = TOKEN
    settings.SIGNATURE_PKCS11_PIN = PIN
    # SoftHSM reads its configuration (and so finds its tokens) when the module is
    # initialised, which python-pkcs11 does once per process: start afresh around each test.
    p11.unload(SOFTHSM)
    yield SOFTHSM
    p11.unload(SOFTHSM)


@contextmanager
def inspection() -> Iterator[p11.Session]:
    """A session of the test's own, to look at what is on the token. A PKCS#11 login is the
    whole process's: open it only while the module under test holds no session."""
    assert SOFTHSM is not None
    opened = p11.lib(SOFTHSM).get_token(token_label=TOKEN).open(user_pin=PIN)
    try:
        yield opened
    finally:
        opened.close()


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _asn1(certificate: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))


@dataclass(frozen=True)
class Ca:
    root: x509.Certificate
    key: ec.EllipticCurvePrivateKey

    @classmethod
    def make(cls) -> Ca:
        key = ec.generate_private_key(ec.SECP256R1())
        now = dt.datetime.now(UTC)
        root = (
            x509.CertificateBuilder()
            .subject_name(_name("VGP PKCS#11 Test Root"))
            .issuer_name(_name("VGP PKCS#11 Test Root"))
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(hours=1))
            .not_valid_after(now + dt.timedelta(days=30))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(_key_usage(cert_sign=True), critical=True)
            .add_extension(
                x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False
            )
            .sign(key, hashes.SHA256())
        )
        return cls(root=root, key=key)

    def certify(self, public_key: asn1_keys.PublicKeyInfo) -> asn1_x509.Certificate:
        subject_key = serialization.load_der_public_key(public_key.dump())
        now = dt.datetime.now(UTC)
        certificate = (
            x509.CertificateBuilder()
            .subject_name(_name("Nguyễn Văn An"))
            .issuer_name(self.root.subject)
            .public_key(subject_key)  # type: ignore[arg-type]
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=7))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(_key_usage(cert_sign=False), critical=True)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(self.key.public_key()),
                critical=False,
            )
            .sign(self.key, hashes.SHA256())
        )
        return _asn1(certificate)


def _key_usage(*, cert_sign: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=not cert_sign,
        content_commitment=not cert_sign,  # nonRepudiation
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=cert_sign,
        crl_sign=cert_sign,
        encipher_only=False,
        decipher_only=False,
    )


def _sign(key_label: str, certificate: asn1_x509.Certificate, ca: Ca) -> bytes:
    with open_signer(
        key_label=key_label, certificate=certificate, other_certs=[_asn1(ca.root)]
    ) as signer:
        pdf_signer = signers.PdfSigner(
            signers.PdfSignatureMetadata(
                field_name="Signature1", subfilter=fields.SigSeedSubFilter.PADES
            ),
            signer=signer,
        )
        output = pdf_signer.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(blank_pdf())))
    assert isinstance(output, io.BytesIO)
    return output.getvalue()


@pytest.mark.parametrize(
    ("algorithm", "key_algorithm", "signature_algorithm"),
    [
        ("ec-p256", "ec", "ecdsa"),
        ("rsa-2048", "rsa", "rsassa_pkcs1v15"),
    ],
)
def test_a_key_made_on_the_token_signs_a_pdf_that_validates(
    token, algorithm, key_algorithm, signature_algorithm
):
    assert configured()
    public_key = generate_key(key_label="agency-1", algorithm=algorithm)
    assert public_key.algorithm == key_algorithm
    if key_algorithm == "ec":
        assert public_key.curve == ("named", "secp256r1")
    else:
        assert public_key.bit_size == 2048
    ca = Ca.make()
    certificate = ca.certify(public_key)

    signed = _sign("agency-1", certificate, ca)

    (embedded,) = PdfFileReader(io.BytesIO(signed)).embedded_signatures
    assert embedded.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
    assert embedded.signer_cert.dump() == certificate.dump()
    status = validate_pdf_signature(
        embedded, ValidationContext(trust_roots=[_asn1(ca.root)], allow_fetching=False)
    )
    assert status.intact and status.valid and status.trusted, status.pretty_print_details()
    assert status.bottom_line
    assert status.md_algorithm == "sha256"
    assert embedded.signer_info["signature_algorithm"].signature_algo == signature_algorithm


@pytest.mark.parametrize(
    ("algorithm", "secret"),
    [("ec-p256", p11.Attribute.VALUE), ("rsa-2048", p11.Attribute.PRIVATE_EXPONENT)],
)
def test_the_private_key_never_leaves_the_token(token, algorithm, secret):
    generate_key(key_label="agency-1", algorithm=algorithm)

    with inspection() as session:
        key = session.get_key(object_class=p11.ObjectClass.PRIVATE_KEY, label="agency-1")
        assert key[p11.Attribute.SENSITIVE] is True
        assert key[p11.Attribute.EXTRACTABLE] is False
        assert key[p11.Attribute.ALWAYS_SENSITIVE] is True
        assert key[p11.Attribute.NEVER_EXTRACTABLE] is True
        assert key[p11.Attribute.TOKEN] is True
        assert key[p11.Attribute.SIGN] is True
        with pytest.raises(p11.AttributeSensitive):
            key[secret]


def test_a_wrong_pin_is_refused_without_showing_it(token, settings):
    generate_key(key_label="agency-1")
    settings.SIGNATURE_PKCS11_PIN = "9876"

    with pytest.raises(Pkcs11Error, match="refused the PIN") as raised:
        _open(key_label="agency-1", certificate=_any_certificate(), other_certs=[])
    assert "9876" not in str(raised.value)
    assert isinstance(raised.value.__cause__, p11.PinIncorrect)


def test_an_unknown_key_label_is_an_error(token):
    with pytest.raises(Pkcs11Error, match="no private key labelled 'absent'") as raised:
        _open(key_label="absent", certificate=_any_certificate(), other_certs=[])
    assert isinstance(raised.value.__cause__, p11.NoSuchKey)


def test_a_certificate_for_another_key_is_refused(token):
    generate_key(key_label="agency-1")
    other = Ca.make().certify(generate_key(key_label="agency-2"))

    with pytest.raises(Pkcs11Error, match="not for the key 'agency-1'"):
        _open(key_label="agency-1", certificate=other, other_certs=[])


def test_an_existing_label_is_not_overwritten(token):
    first = generate_key(key_label="agency-1", algorithm="ec-p256")

    with pytest.raises(Pkcs11Error, match="already has an object labelled 'agency-1'"):
        generate_key(key_label="agency-1", algorithm="rsa-2048")

    with inspection() as session:
        assert len(list(session.get_objects({p11.Attribute.LABEL: "agency-1"}))) == 2
        public = session.get_key(object_class=p11.ObjectClass.PUBLIC_KEY, label="agency-1")
        assert public.key_type == p11.KeyType.EC  # the first pair, untouched
    assert first.algorithm == "ec"


def test_an_unknown_algorithm_is_refused(token):
    with pytest.raises(Pkcs11Error, match="Unknown key algorithm"):
        generate_key(key_label="agency-1", algorithm="dsa-1024")


def test_another_token_label_is_not_found(token, settings):
    settings.SIGNATURE_PKCS11_TOKEN_LABEL = "no-such-token"

    with pytest.raises(Pkcs11Error, match="No token labelled 'no-such-token'"):
        generate_key(key_label="agency-1")


def test_nothing_configured_is_an_error(settings):
    settings.SIGNATURE_PKCS11_MODULE = ""

    assert not configured()
    assert check_pkcs11() == []
    with pytest.raises(Pkcs11Error, match="not configured"):
        generate_key(key_label="agency-1")


def test_the_system_check_names_a_missing_module(settings, tmp_path):
    missing = tmp_path / "libvendor-pkcs11.so"
    settings.SIGNATURE_PKCS11_MODULE = str(missing)

    (problem,) = check_pkcs11()
    assert problem.id == "signatures.E010"
    assert str(missing) in problem.msg
    with pytest.raises(Pkcs11Error, match="does not exist"):
        generate_key(key_label="agency-1")

    settings.SIGNATURE_PKCS11_MODULE = SOFTHSM
    assert check_pkcs11() == []


def _open(*, key_label: str, certificate: asn1_x509.Certificate, other_certs: list) -> None:
    with open_signer(key_label=key_label, certificate=certificate, other_certs=other_certs):
        pass


def _any_certificate() -> asn1_x509.Certificate:
    key = ec.generate_private_key(ec.SECP256R1())
    public_key = asn1_keys.PublicKeyInfo.load(
        key.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    return Ca.make().certify(public_key)


# --- Through the CA and the signing service --------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("algorithm", ["ec-p256", "rsa-2048"])
def test_the_ca_issues_a_token_key_and_an_official_signs_with_it(token, algorithm):
    """Anh Tuấn (IT) issues ông Minh a certificate whose key is made on the token; ông Minh's
    signature is made by the token and verifies; nothing of the key is stored here."""
    from vgp.accounts.roles import Role
    from vgp.signatures import actions, signing
    from vgp.signatures.models import CertificateKind, KeyStorage
    from vgp.signatures.tests.documents import blank_pdf
    from vgp.signatures.verification import Verdict, verify_pdf
    from vgp.testing.factories import AgencyFactory, UserFactory

    agency = AgencyFactory(code="000.00.01.H01", name_vi="Văn phòng Chính phủ")
    tuan = UserFactory(username="tuan", agency=agency, roles=[Role.IT_ADMIN])
    minh = UserFactory(username="minh", agency=agency, roles=[Role.LEADER])
    signing.forget_cached()
    actions.create_authority(tuan, agency=agency, root_name="Root", issuing_name="Issuing")
    certificate = actions.issue_certificate(
        tuan, kind=CertificateKind.PERSONAL, holder=minh, algorithm=algorithm, on_token=True
    )
    assert certificate.key_storage == KeyStorage.PKCS11
    assert bytes(certificate.private_key) == b"" and certificate.token_key_label
    signed = signing.sign_pdf(minh, blank_pdf(), certificate=certificate, level="B-T")
    assert verify_pdf(signed).verdict == Verdict.VALID
    renewed = actions.renew(tuan, certificate)
    assert renewed.key_storage == KeyStorage.PKCS11
    assert renewed.token_key_label != certificate.token_key_label
