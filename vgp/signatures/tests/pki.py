"""A small certification authority of the tests' own, to sign PDFs the samples do not cover:
a signature with a time-stamp, revocation data carried in the file.

Keys are ECDSA P-256 (made in a millisecond; the TSA's is RSA, the only kind pyHanko's test
TSA signs with), certificates and CRLs are made with
``cryptography`` and read back with asn1crypto for pyHanko, which signs (pyHanko's signer and
its test TSA, ``DummyTimeStamper``: no network). The signer's certificate, like the samples',
was valid in 2020 and 2021 only, and names a CRL and an OCSP responder on hosts that do not
exist, so that any attempt to fetch would show.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

import time_machine
from asn1crypto import crl as asn1_crl
from asn1crypto import keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
from pyhanko.sign.validation.dss import DocumentSecurityStore
from pyhanko_certvalidator.registry import SimpleCertificateStore

from .documents import blank_pdf

UTC = dt.UTC
CRL_URL = "http://crl.vgp-test.invalid/root.crl"
OCSP_URL = "http://ocsp.vgp-test.invalid/"


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Ban Cơ yếu Chính phủ (thử nghiệm)"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


@dataclass(frozen=True)
class Party:
    certificate: x509.Certificate
    key: ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey

    @property
    def asn1(self) -> asn1_x509.Certificate:
        return asn1_x509.Certificate.load(self.certificate.public_bytes(serialization.Encoding.DER))

    @property
    def asn1_key(self) -> keys.PrivateKeyInfo:
        return keys.PrivateKeyInfo.load(
            self.key.private_bytes(
                serialization.Encoding.DER,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )

    def pem(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.PEM)


def _issue(
    common_name: str,
    issuer: Party | None,
    *,
    not_before: dt.datetime,
    not_after: dt.datetime,
    ca: bool = False,
    time_stamping: bool = False,
    revocation_urls: bool = False,
    serial: int,
) -> Party:
    key: ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey = (
        rsa.generate_private_key(public_exponent=65537, key_size=2048)
        if time_stamping
        else ec.generate_private_key(ec.SECP256R1())
    )
    subject = _name(common_name)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer.certificate.subject if issuer else subject)
        .public_key(key.public_key())
        .serial_number(serial)
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    )
    if issuer is not None:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key()),
            critical=False,
        )
    builder = builder.add_extension(
        x509.KeyUsage(
            digital_signature=not ca,
            content_commitment=not ca and not time_stamping,
            key_encipherment=False,
            data_encipherment=False,
            key_agreement=False,
            key_cert_sign=ca,
            crl_sign=ca,
            encipher_only=False,
            decipher_only=False,
        ),
        critical=True,
    )
    if time_stamping:
        builder = builder.add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True
        )
    if revocation_urls:
        builder = builder.add_extension(
            x509.CRLDistributionPoints(
                [
                    x509.DistributionPoint(
                        full_name=[x509.UniformResourceIdentifier(CRL_URL)],
                        relative_name=None,
                        reasons=None,
                        crl_issuer=None,
                    )
                ]
            ),
            critical=False,
        ).add_extension(
            x509.AuthorityInformationAccess(
                [
                    x509.AccessDescription(
                        x509.oid.AuthorityInformationAccessOID.OCSP,
                        x509.UniformResourceIdentifier(OCSP_URL),
                    )
                ]
            ),
            critical=False,
        )
    signing_key = issuer.key if issuer else key
    return Party(builder.sign(signing_key, hashes.SHA256()), key)


@dataclass(frozen=True)
class Authority:
    root: Party
    signer: Party
    tsa_root: Party
    tsa: Party

    def crl(self, *, this_update: dt.datetime, revoked_at: dt.datetime | None = None) -> bytes:
        """The root's CRL (DER), listing the signer when ``revoked_at`` is given."""
        builder = (
            x509.CertificateRevocationListBuilder()
            .issuer_name(self.root.certificate.subject)
            .last_update(this_update)
            .next_update(this_update + dt.timedelta(days=180))
            .add_extension(x509.CRLNumber(1), critical=False)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(self.root.key.public_key()),
                critical=False,
            )
        )
        if revoked_at is not None:
            builder = builder.add_revoked_certificate(
                x509.RevokedCertificateBuilder()
                .serial_number(self.signer.certificate.serial_number)
                .revocation_date(revoked_at)
                .add_extension(x509.CRLReason(x509.ReasonFlags.key_compromise), critical=False)
                .build()
            )
        return builder.sign(self.root.key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)

    def write_roots(self, folder: Path) -> tuple[Path, Path]:
        root, tsa_root = folder / "test-root.pem", folder / "test-tsa-root.pem"
        root.write_bytes(self.root.pem())
        tsa_root.write_bytes(self.tsa_root.pem())
        return root, tsa_root

    def sign(
        self,
        *,
        at: dt.datetime,
        time_stamp: bool = False,
        crls: list[bytes] | None = None,
    ) -> bytes:
        """A blank PDF signed (PAdES) by the signer at ``at``, with a time-stamp of that time
        when asked, and ``crls`` put in the document's security store afterwards."""
        registry = SimpleCertificateStore.from_certs([self.root.asn1])
        signer = signers.SimpleSigner(
            signing_cert=self.signer.asn1,
            signing_key=self.signer.asn1_key,
            cert_registry=registry,
        )
        timestamper = (
            DummyTimeStamper(
                tsa_cert=self.tsa.asn1,
                tsa_key=self.tsa.asn1_key,
                certs_to_embed=SimpleCertificateStore.from_certs([self.tsa_root.asn1]),
                fixed_dt=at,
            )
            if time_stamp
            else None
        )
        output = io.BytesIO()
        with time_machine.travel(at, tick=False):
            signers.sign_pdf(
                IncrementalPdfFileWriter(io.BytesIO(blank_pdf())),
                signers.PdfSignatureMetadata(
                    field_name="ChuKy1", subfilter=fields.SigSeedSubFilter.PADES
                ),
                signer=signer,
                timestamper=timestamper,
                output=output,
            )
        content = output.getvalue()
        if crls is not None:
            signature = PdfFileReader(io.BytesIO(content)).embedded_signatures[0]
            output = io.BytesIO(content)
            DocumentSecurityStore.add_dss(
                output,
                signature.pkcs7_content,
                certs=[self.root.asn1, self.signer.asn1],
                crls=[asn1_crl.CertificateList.load(data) for data in crls],
            )
            content = output.getvalue()
        return content

    def document_time_stamp(self, content: bytes, *, at: dt.datetime) -> bytes:
        """The file with a document time-stamp of ``at`` added (what makes B-LT into B-LTA:
        a proof that the validation data before it existed then)."""
        timestamper = DummyTimeStamper(
            tsa_cert=self.tsa.asn1,
            tsa_key=self.tsa.asn1_key,
            certs_to_embed=SimpleCertificateStore.from_certs([self.tsa_root.asn1]),
            fixed_dt=at,
        )
        output = io.BytesIO()
        with time_machine.travel(at, tick=False):
            signers.PdfTimeStamper(timestamper).timestamp_pdf(
                IncrementalPdfFileWriter(io.BytesIO(content)), md_algorithm="sha256", output=output
            )
        return output.getvalue()


def make_authority() -> Authority:
    forever = dt.datetime(2040, 1, 1, tzinfo=UTC)
    start = dt.datetime(2020, 1, 1, tzinfo=UTC)
    root = _issue("VGP Test Root CA", None, not_before=start, not_after=forever, ca=True, serial=1)
    signer = _issue(
        "Nguyễn Văn An",
        root,
        not_before=start,
        not_after=dt.datetime(2022, 1, 1, tzinfo=UTC),
        revocation_urls=True,
        serial=1001,
    )
    tsa_root = _issue(
        "VGP Test TSA Root", None, not_before=start, not_after=forever, ca=True, serial=2
    )
    tsa = _issue(
        "VGP Test TSA",
        tsa_root,
        not_before=start,
        not_after=forever,
        time_stamping=True,
        serial=2001,
    )
    return Authority(root=root, signer=signer, tsa_root=tsa_root, tsa=tsa)
