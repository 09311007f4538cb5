"""An independent check of our signatures: Poppler's ``pdfsig``, which validates with NSS.

pyHanko makes and checks our signatures; a second implementation sharing none of its code must
accept them too, as a reader's PDF viewer would (Okular, Evince and other Poppler viewers show
what ``pdfsig`` prints). Each PDF is signed with the project's own CA and given to ``pdfsig``
with that CA's root, and only it, trusted in a throw-away NSS database.

Poppler 22.12 (Debian 12) misreports a chain that NSS accepts as "Unknown issue with
Certificate or corrupted data." when the signer's certificate has no extended key usage: it
ignores the result of ``CERT_PKIXVerifyCert`` (which succeeds) and reads NSS's last error code
instead, a stale ``SEC_ERROR_EXTENSION_NOT_FOUND`` left by NSS looking that extension up. Our
personal and seal certificates carry no extended key usage today, so :func:`assert_trusted`
then asks NSS itself (``vfychain``, the same ``CERT_PKIXVerifyCert`` call, for the
e-mail-signer usage that pdfsig uses) and marks the test as an expected failure only if NSS
accepts the chain. With an extended key usage that includes e-mail protection on the signer's
certificate, pdfsig reports "Certificate is Trusted." and these tests assert it strictly.

Personas: ông Minh, a leader who signs; chị Hoa, the clerk who then puts the organisation's
seal on the same file.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.x509.oid import ExtendedKeyUsageOID
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.fields import enumerate_sig_fields

from vgp.signatures import actions, signing
from vgp.signatures.models import CertificateKind, KeyAlgorithm, SigningCertificate

from .documents import blank_pdf, byte_range, flip_one_byte

PDFSIG = shutil.which("pdfsig")
CERTUTIL = shutil.which("certutil")
VFYCHAIN = shutil.which("vfychain")

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        PDFSIG is None or CERTUTIL is None or VFYCHAIN is None,
        reason="needs Poppler's pdfsig and NSS's certutil and vfychain "
        "(Debian: apt-get install -y poppler-utils libnss3-tools)",
    ),
]

# The exact lines of Poppler 22.12's report.
VALID = "- Signature Validation: Signature is Valid."
TRUSTED = "- Certificate Validation: Certificate is Trusted."
DIGEST_MISMATCH = "- Signature Validation: Digest Mismatch."

# The appearance of the issue: ông Minh's title and name in the lower right of the page.
APPEARANCE = signing.Appearance(
    box=(0.55, 0.1, 0.9, 0.22), lines=("Phó Chủ nhiệm", "", "Trần Văn Minh")
)


@pytest.fixture
def nss(root, tmp_path: Path) -> str:
    """A throw-away NSS database (no password) trusting our root CA, and nothing else, to
    issue certificates for signing ("CT,C,C": trusted CA for TLS clients, e-mail and code)."""
    folder = tmp_path / "nss"
    folder.mkdir()
    pem = x509.load_der_x509_certificate(bytes(root.certificate)).public_bytes(
        serialization.Encoding.PEM
    )
    (tmp_path / "root.pem").write_bytes(pem)
    database = f"sql:{folder}"
    for command in (
        [CERTUTIL, "-N", "-d", database, "--empty-password"],
        [
            CERTUTIL,
            "-A",
            "-d",
            database,
            "-n",
            "vgp-root",
            "-t",
            "CT,C,C",
            "-i",
            tmp_path / "root.pem",
        ],
    ):
        done = run(command)
        assert done.returncode == 0, done.stderr
    return database


def run(command: list[object]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - fixed tools, files of this test
        [str(part) for part in command],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def pdfsig(nss: str, tmp_path: Path, content: bytes) -> str:
    """pdfsig's report on ``content``.

    ``-no-ocsp``: our certificates name an OCSP responder at SIGNATURE_PKI_BASE_URL
    (http://127.0.0.1:8000 in the tests, where nothing answers) and pdfsig would ask it about
    every signer's certificate; the check must not depend on a server or the network. Without
    ``-aia`` pdfsig fetches no issuer certificates (ours are in the signature), and it never
    fetches CRLs nor reads the ones B-LT embeds: revocation is not part of this check.
    """
    path = tmp_path / "signed.pdf"
    path.write_bytes(content)
    done = run([PDFSIG, "-nssdir", nss, "-no-ocsp", path])
    return done.stdout + done.stderr


def signatures_in(report: str) -> list[str]:
    """The report split per signature ("Signature #1:", "Signature #2:", ...)."""
    return re.split(r"^Signature #\d+:\s*$", report, flags=re.MULTILINE)[1:]


def signed_end(part: str) -> int:
    """Where the last signed range of one signature's report ends."""
    ranges = re.findall(r"\[(\d+) - (\d+)\]", part.split("- Signed Ranges:", 1)[1].split("\n")[0])
    assert len(ranges) == 2, part
    return int(ranges[-1][1])


def assert_covers_all_but_validation_data(part: str, content: bytes) -> None:
    """The signature covers the file up to its end, or (B-LT) up to the incremental update
    that adds the validation data (/DSS) after it: pdfsig then says "Not total document
    signed", which is what PAdES B-LT looks like."""
    end = signed_end(part)
    if end == len(content):
        assert "- Total document signed" in part, part
    else:
        assert "- Not total document signed" in part, part
        assert b"/DSS" in content[end:], part


def has_email_protection_usage(certificate: SigningCertificate) -> bool:
    try:
        usage = x509.load_der_x509_certificate(
            bytes(certificate.certificate)
        ).extensions.get_extension_for_class(x509.ExtendedKeyUsage)
    except x509.ExtensionNotFound:
        return False
    return ExtendedKeyUsageOID.EMAIL_PROTECTION in usage.value


def nss_accepts(nss: str, tmp_path: Path, certificate: SigningCertificate) -> str:
    """What NSS's own ``CERT_PKIXVerifyCert`` says of the signer's chain for the e-mail
    signer usage (``vfychain -pp -u 4``), the call pdfsig makes."""
    paths = []
    for index, der in enumerate(
        [bytes(certificate.certificate), bytes(certificate.issuer.certificate)]
    ):
        path = tmp_path / f"chain-{certificate.pk}-{index}.der"
        path.write_bytes(der)
        paths.append(path)
    done = run([VFYCHAIN, "-d", nss, "-pp", "-u", "4", *paths])
    return done.stdout + done.stderr


def assert_trusted(
    report: str,
    certificates: list[SigningCertificate],
    nss: str,
    tmp_path: Path,
) -> None:
    """Every signature valid and its certificate trusted; on a failure, what NSS itself says
    of the chain is shown."""
    parts = signatures_in(report)
    assert len(parts) == len(certificates), report
    for part in parts:
        assert VALID in part, report
    for part, certificate in zip(parts, certificates, strict=True):
        # Poppler 22.12 reads a stale NSS error for a signer without an extended key usage;
        # ours carry emailProtection and documentSigning (ADR 0016), so nothing excuses this.
        assert has_email_protection_usage(certificate), certificate.subject
        assert TRUSTED in part, report + nss_accepts(nss, tmp_path, certificate)


# --- Signatures pdfsig must accept ------------------------------------------------------------


@pytest.mark.parametrize("level", ["B-B", "B-T", "B-LT"])
def test_pdfsig_accepts_a_personal_signature(level, minh, minh_certificate, nss, tmp_path):
    signed = signing.sign_pdf(minh, blank_pdf(), certificate=minh_certificate, level=level)
    report = pdfsig(nss, tmp_path, signed)
    (part,) = signatures_in(report)
    assert "- Signature Type: ETSI.CAdES.detached" in part, report
    assert "- Signer Certificate Common Name: Trần Văn Minh" in part, report
    assert_covers_all_but_validation_data(part, signed)
    assert_trusted(report, [minh_certificate], nss, tmp_path)


def test_pdfsig_accepts_an_rsa_signature(tuan, minh, root, nss, tmp_path):
    certificate = actions.issue_certificate(
        tuan, kind=CertificateKind.PERSONAL, holder=minh, algorithm=KeyAlgorithm.RSA_2048
    )
    signed = signing.sign_pdf(minh, blank_pdf(), certificate=certificate, level="B-LT")
    assert_trusted(pdfsig(nss, tmp_path, signed), [certificate], nss, tmp_path)


def test_pdfsig_accepts_a_signature_then_the_seal_both_visible(
    minh, hoa, minh_certificate, seal, nss, tmp_path
):
    signed = signing.sign_pdf(
        minh, blank_pdf(), certificate=minh_certificate, level="B-LT", appearance=APPEARANCE
    )
    sealed = signing.sign_pdf(
        hoa,
        signed,
        certificate=seal,
        level="B-LT",
        appearance=APPEARANCE,
    )
    report = pdfsig(nss, tmp_path, sealed)
    first, second = signatures_in(report)
    assert "- Signer Certificate Common Name: Trần Văn Minh" in first, report
    assert "- Signer Certificate Common Name: Văn phòng Chính phủ" in second, report
    # Ông Minh's signature covers his revision only; the seal covers the file after it.
    assert signed_end(first) < signed_end(second), report
    assert_covers_all_but_validation_data(second, sealed)
    # Both are visible: each field's widget has an area on the page.
    reader = PdfFileReader(io.BytesIO(sealed))
    for _name, _value, field in enumerate_sig_fields(reader):
        x1, y1, x2, y2 = (float(n) for n in field.get_object()["/Rect"])
        assert x2 - x1 > 100 and y2 - y1 > 50
    assert_trusted(report, [minh_certificate, seal], nss, tmp_path)


# --- A file changed after signing -------------------------------------------------------------


def test_pdfsig_rejects_a_byte_changed_inside_the_signed_range(
    minh, minh_certificate, nss, tmp_path
):
    signed = signing.sign_pdf(minh, blank_pdf(), certificate=minh_certificate, level="B-B")
    assert VALID in pdfsig(nss, tmp_path, signed)
    start, length, _second, _second_length = byte_range(signed)
    # A byte of the page's content stream, well inside the first signed range: the file still
    # opens and the signature is still found, only its digest no longer matches.
    offset = signed.index(b"stream", start, start + length) + len(b"stream") + 4
    assert start <= offset < start + length
    report = pdfsig(nss, tmp_path, flip_one_byte(signed, offset))
    (part,) = signatures_in(report)
    assert VALID not in part, report
    assert DIGEST_MISMATCH in part, report
