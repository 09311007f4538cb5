"""The certification authority and signing (ADR 0016).

Personas: anh Tuấn, the IT administrator who runs the CA; ông Minh, a leader who signs; chị Hoa,
the clerk who puts the organisation's seal; bà Thu, another leader, who must not be able to use
ông Minh's key.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
import time_machine
from asn1crypto import crl as asn1_crl
from asn1crypto import tsp
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509 import ocsp
from cryptography.x509.oid import NameOID
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.signers import pdf_signer
from pyhanko.sign.validation.dss import DocumentSecurityStore

from vgp.audit.models import AuditRecord
from vgp.signatures import actions, keystore, pki_views, signing
from vgp.signatures.models import (
    CertificateAuthority,
    CertificateKind,
    CertificateStatus,
    KeyAlgorithm,
    RevocationReason,
    SigningCertificate,
)
from vgp.signatures.verification import Verdict, verify_pdf

from .documents import blank_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    # The refusals are matched by their English text (their Vietnamese is the catalogue's).
    with translation.override("en"):
        yield


# --- The authority -------------------------------------------------------------------------


def test_the_administrator_creates_a_root_an_issuing_ca_and_a_tsa(root, tuan):
    issuing = actions.active_issuing()
    assert issuing is not None and issuing.parent == root
    tsa = signing.current_tsa()
    assert tsa is not None and tsa.issuer == issuing
    tsa_cert = x509.load_der_x509_certificate(bytes(tsa.certificate))
    usage = tsa_cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage)
    assert usage.critical and x509.oid.ExtendedKeyUsageOID.TIME_STAMPING in usage.value
    assert root.crl and issuing.crl
    actions_done = set(AuditRecord.objects.values_list("action", flat=True))
    assert {"signatures.create_authority", "signatures.create_issuing_authority"} <= actions_done


def test_a_clerk_cannot_create_a_ca(hoa, agency):
    with pytest.raises(PermissionDenied):
        actions.create_authority(hoa, agency=agency, root_name="X", issuing_name="Y")
    assert not CertificateAuthority.objects.exists()


def test_private_keys_are_encrypted_at_rest(root, minh_certificate, settings):
    blob = bytes(minh_certificate.private_key)
    with pytest.raises(TypeError):
        serialization.load_der_private_key(blob, password=None)
    keystore._cache.clear()
    settings.SIGNATURE_KEY_PASSPHRASE = "another passphrase entirely"
    with pytest.raises(keystore.KeyUnavailable):
        keystore.open_key(blob)


def test_certificates_name_their_crl_ocsp_and_issuer(minh_certificate, minh):
    certificate = x509.load_der_x509_certificate(bytes(minh_certificate.certificate))
    assert (
        certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value
        == minh.get_full_name()
    )
    points = certificate.extensions.get_extension_for_class(x509.CRLDistributionPoints).value
    assert points[0].full_name[0].value.endswith(f"/pki/crl/{minh_certificate.issuer_id}.crl")
    access = certificate.extensions.get_extension_for_class(x509.AuthorityInformationAccess).value
    assert {entry.access_location.value.split("/pki/")[1] for entry in access} == {
        f"ocsp/{minh_certificate.issuer_id}/",
        f"ca/{minh_certificate.issuer_id}.crt",
    }
    usage = certificate.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.content_commitment and usage.digital_signature


def test_the_subject_reads_with_short_names(minh_certificate, minh):
    # "T=Phó Chủ nhiệm", not "2.5.4.12=…", in the stored subject and the audit summaries.
    assert minh_certificate.subject.startswith("CN=Trần Văn Minh,T=Phó Chủ nhiệm,O=")
    assert "2.5.4" not in minh_certificate.subject


def test_an_issuing_authority_needs_a_name_and_a_known_algorithm(root, tuan, agency):
    with pytest.raises(ValidationError) as refused:
        actions.create_issuing_authority(tuan, root=root, name="  ")
    assert "name" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        actions.create_issuing_authority(tuan, root=root, name="CA 2", algorithm="dsa-1024")
    assert "algorithm" in refused.value.message_dict
    issuing = actions.create_issuing_authority(tuan, root=root, name="VPCP Issuing CA 2")
    certificate = x509.load_der_x509_certificate(bytes(issuing.certificate))
    # Its organisation is the root's organisation (the agency), not the root's name.
    assert certificate.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value == (
        agency.name_vi
    )
    assert actions.active_issuing() == issuing


def test_revoking_asks_for_the_permission_before_the_reason(hoa, minh_certificate):
    with pytest.raises(PermissionDenied):
        actions.revoke(hoa, minh_certificate, reason="nonsense")


def test_only_an_administrator_issues_certificates(root, hoa, minh):
    with pytest.raises(PermissionDenied):
        actions.issue_certificate(hoa, kind=CertificateKind.PERSONAL, holder=minh)
    assert not SigningCertificate.objects.filter(holder=minh).exists()


def test_renewal_keeps_the_old_certificate_and_makes_a_new_key(tuan, minh_certificate):
    renewed = actions.renew(tuan, minh_certificate)
    assert renewed.renewal_of == minh_certificate
    assert renewed.fingerprint != minh_certificate.fingerprint
    assert bytes(renewed.private_key) != bytes(minh_certificate.private_key)
    assert actions.current_certificate(minh_certificate.holder) in (renewed, minh_certificate)


# --- Signing -------------------------------------------------------------------------------


@pytest.mark.parametrize("level", ["B-B", "B-T", "B-LT"])
def test_signing_round_trip(level, minh, minh_certificate):
    signed = signing.sign_pdf(minh, blank_pdf(), certificate=minh_certificate, level=level)
    report = verify_pdf(signed)
    assert report.verdict == Verdict.VALID, report
    (signature,) = report.signatures
    assert signature.verdict == Verdict.VALID
    assert (signature.timestamp is not None) == (level != "B-B")
    if level == "B-LT":
        assert signature.revocation == "good"
    used = AuditRecord.objects.filter(action="signatures.sign").latest("id")
    assert used.changes["level"] == level
    assert used.changes["certificate"] == minh_certificate.fingerprint


@pytest.mark.parametrize("level", ["B-B", "B-T"])
def test_later_signatures_reserve_the_measured_size(level, minh, minh_certificate, monkeypatch):
    signing.forget_cached()
    first = signing.sign_pdf(minh, blank_pdf(), certificate=minh_certificate, level=level)
    (reserved,) = signing._reserved.values()
    assert reserved == signing._signature_size(first)
    # The next signature reserves that size: pyHanko makes no trial signature to measure.
    estimated = []
    original = pdf_signer.PdfSigningSession.estimate_signature_container_size

    async def spy(self, *args, **kwargs):
        estimated.append(True)
        return await original(self, *args, **kwargs)

    monkeypatch.setattr(pdf_signer.PdfSigningSession, "estimate_signature_container_size", spy)
    second = signing.sign_pdf(minh, first, certificate=minh_certificate, level=level)
    assert not estimated
    # A reservation found too small is dropped and the signature made again, measured.
    key = next(iter(signing._reserved))
    signing._reserved[key] = 200
    third = signing.sign_pdf(minh, second, certificate=minh_certificate, level=level)
    assert estimated
    assert signing._reserved[key] > 200
    report = verify_pdf(third)
    assert report.verdict == Verdict.VALID, report
    assert len(report.signatures) == 3


def test_rsa_keys_sign_too(tuan, minh, root):
    certificate = actions.issue_certificate(
        tuan, kind=CertificateKind.PERSONAL, holder=minh, algorithm=KeyAlgorithm.RSA_2048
    )
    signed = signing.sign_pdf(minh, blank_pdf(), certificate=certificate, level="B-LT")
    assert verify_pdf(signed).verdict == Verdict.VALID


def test_an_official_cannot_sign_with_someone_elses_key(thu, minh_certificate):
    with pytest.raises(PermissionDenied):
        signing.sign_pdf(thu, blank_pdf(), certificate=minh_certificate, level="B-B")
    with pytest.raises(PermissionDenied):
        signing.sign_pdf(None, blank_pdf(), certificate=minh_certificate, level="B-B")
    assert not AuditRecord.objects.filter(action="signatures.sign").exists()


def test_the_seal_needs_the_clerks_permission(hoa, minh, seal):
    with pytest.raises(PermissionDenied):
        signing.sign_pdf(minh, blank_pdf(), certificate=seal, level="B-B")
    signed = signing.sign_pdf(hoa, blank_pdf(), certificate=seal, level="B-B")
    assert verify_pdf(signed).verdict == Verdict.VALID


def test_revoked_and_suspended_certificates_do_not_sign(tuan, minh, minh_certificate):
    actions.suspend(minh, minh_certificate)
    with pytest.raises(ValidationError, match="suspended"):
        signing.sign_pdf(minh, blank_pdf(), certificate=minh_certificate, level="B-B")
    actions.reinstate(tuan, minh_certificate)
    signing.sign_pdf(minh, blank_pdf(), certificate=minh_certificate, level="B-B")
    actions.revoke(tuan, minh_certificate, reason=RevocationReason.KEY_COMPROMISE)
    with pytest.raises(ValidationError, match="revoked"):
        signing.sign_pdf(minh, blank_pdf(), certificate=minh_certificate, level="B-B")


def test_an_expired_certificate_does_not_sign(minh, minh_certificate):
    later = minh_certificate.not_after + dt.timedelta(days=1)
    with time_machine.travel(later, tick=False), pytest.raises(ValidationError, match="expired"):
        signing.sign_pdf(minh, blank_pdf(), certificate=minh_certificate, level="B-B")


def test_a_revocation_published_after_signing_is_flagged(tuan, minh, minh_certificate):
    signed = signing.sign_pdf(minh, blank_pdf(), certificate=minh_certificate, level="B-B")
    actions.revoke(tuan, minh_certificate, reason=RevocationReason.KEY_COMPROMISE)
    issuing = CertificateAuthority.objects.get(pk=minh_certificate.issuer_id)
    revoked_serials = {
        entry["user_certificate"].native
        for entry in asn1_crl.CertificateList.load(bytes(issuing.crl))["tbs_cert_list"][
            "revoked_certificates"
        ]
    }
    assert int(minh_certificate.serial, 16) in revoked_serials
    # Someone adds the CRL to the file (an LTV update): the check then knows.
    signature = PdfFileReader(io.BytesIO(signed)).embedded_signatures[0]
    out = io.BytesIO(signed)
    DocumentSecurityStore.add_dss(
        out,
        signature.pkcs7_content,
        certs=signing.chain_of(minh_certificate),
        crls=[asn1_crl.CertificateList.load(bytes(issuing.crl))],
    )
    report = verify_pdf(out.getvalue())
    assert report.verdict != Verdict.VALID
    assert report.signatures[0].revocation == "revoked"


def test_a_byte_changed_inside_the_signed_range_is_invalid(minh, minh_certificate):
    signed = bytearray(
        signing.sign_pdf(minh, blank_pdf(), certificate=minh_certificate, level="B-T")
    )
    at = signed.index(b"Test" if b"Test" in signed else b"/Type")
    signed[at + 1] ^= 0x01
    assert verify_pdf(bytes(signed)).verdict == Verdict.INVALID


def test_a_second_signature_keeps_the_first_valid(hoa, minh, minh_certificate, seal):
    first = signing.sign_pdf(
        minh,
        blank_pdf(),
        certificate=minh_certificate,
        level="B-T",
        appearance=signing.Appearance(
            box=(0.55, 0.1, 0.9, 0.22), lines=("Phó Chủ nhiệm", "", "Trần Văn Minh")
        ),
    )
    second = signing.sign_pdf(
        hoa,
        first,
        certificate=seal,
        level="B-LT",
        appearance=signing.Appearance(
            box=(0.06, 0.8, 0.45, 0.86), page=0, lines=("Số: 01/QĐ-VPCP",)
        ),
    )
    report = verify_pdf(second)
    assert [signature.verdict for signature in report.signatures] == [Verdict.VALID, Verdict.VALID]
    assert report.verdict == Verdict.VALID


def test_an_encrypted_or_damaged_file_is_refused(minh, minh_certificate):
    with pytest.raises(ValidationError):
        signing.sign_pdf(minh, b"%PDF-1.7\nnot really", certificate=minh_certificate, level="B-B")


# --- What the CA publishes -----------------------------------------------------------------


def test_the_crl_lists_revoked_and_suspended_certificates(
    client, tuan, minh, minh_certificate, seal
):
    actions.revoke(tuan, minh_certificate, reason=RevocationReason.AFFILIATION_CHANGED)
    actions.suspend(tuan, seal)
    response = client.get(f"/pki/crl/{minh_certificate.issuer_id}.crl")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pkix-crl"
    crl = x509.load_der_x509_crl(response.content)
    entries = {entry.serial_number: entry for entry in crl}
    assert set(entries) == {int(minh_certificate.serial, 16), int(seal.serial, 16)}
    reason = (
        entries[int(seal.serial, 16)]
        .extensions.get_extension_for_class(x509.CRLReason)
        .value.reason
    )
    assert reason == x509.ReasonFlags.certificate_hold
    issuing = CertificateAuthority.objects.get(pk=minh_certificate.issuer_id)
    issuer = x509.load_der_x509_certificate(bytes(issuing.certificate))
    assert crl.is_signature_valid(issuer.public_key())


def _ocsp_request(certificate: SigningCertificate) -> bytes:
    cert = x509.load_der_x509_certificate(bytes(certificate.certificate))
    issuer = x509.load_der_x509_certificate(bytes(certificate.issuer.certificate))
    return (
        ocsp.OCSPRequestBuilder()
        .add_certificate(cert, issuer, hashes.SHA256())
        .build()
        .public_bytes(serialization.Encoding.DER)
    )


def test_ocsp_answers_good_then_revoked(client, tuan, minh_certificate):
    url = f"/pki/ocsp/{minh_certificate.issuer_id}/"
    body = _ocsp_request(minh_certificate)
    answer = ocsp.load_der_ocsp_response(
        client.post(url, body, content_type="application/ocsp-request").content
    )
    assert answer.response_status == ocsp.OCSPResponseStatus.SUCCESSFUL
    assert answer.certificate_status == ocsp.OCSPCertStatus.GOOD
    actions.revoke(tuan, minh_certificate, reason=RevocationReason.KEY_COMPROMISE)
    encoded = base64.b64encode(body).decode()
    answer = ocsp.load_der_ocsp_response(client.get(url + encoded).content)
    assert answer.certificate_status == ocsp.OCSPCertStatus.REVOKED
    assert answer.revocation_reason == x509.ReasonFlags.key_compromise


def test_ocsp_refuses_garbage_and_unknown_certificates(client, root, minh_certificate):
    url = f"/pki/ocsp/{minh_certificate.issuer_id}/"
    answer = client.post(url, b"\x30\x03garbage", content_type="application/ocsp-request")
    assert answer.status_code == 200
    assert (
        ocsp.load_der_ocsp_response(answer.content).response_status
        == ocsp.OCSPResponseStatus.MALFORMED_REQUEST
    )
    stranger = minh_certificate
    stranger.serial = "1234"
    stranger.save(update_fields=["serial"])
    answer = client.post(
        url, _ocsp_request(minh_certificate), content_type="application/ocsp-request"
    )
    assert (
        ocsp.load_der_ocsp_response(answer.content).response_status
        == ocsp.OCSPResponseStatus.UNAUTHORIZED
    )


def test_the_tsa_answers_rfc3161_requests(client, root):
    import hashlib

    request = tsp.TimeStampReq(
        {
            "version": 1,
            "message_imprint": {
                "hash_algorithm": {"algorithm": "sha256"},
                "hashed_message": hashlib.sha256(b"hello").digest(),
            },
            "nonce": 42,
            "cert_req": True,
        }
    )
    response = client.post("/pki/tsa/", request.dump(), content_type="application/timestamp-query")
    assert response["Content-Type"] == "application/timestamp-reply"
    answer = tsp.TimeStampResp.load(response.content)
    assert answer["status"]["status"].native == "granted"
    info = answer["time_stamp_token"]["content"]["encap_content_info"]["content"].parsed
    assert info["nonce"].native == 42
    assert info["policy"].dotted == "1.3.6.1.4.1.32473.1.1"
    bad = client.post("/pki/tsa/", b"\x30\x00", content_type="application/timestamp-query")
    assert pki_views._Rejection.load(bad.content)["status"]["status"].native == "rejection"
    assert client.post("/pki/tsa/", b"x", content_type="text/plain").status_code == 400


def test_the_ca_certificate_is_published(client, root):
    response = client.get(f"/pki/ca/{root.pk}.crt")
    assert response.status_code == 200
    assert (
        x509.load_der_x509_certificate(response.content).subject
        == x509.load_der_x509_certificate(bytes(root.certificate)).subject
    )
    assert client.get("/pki/ca/999999.crt").status_code == 404


# --- Certificates issued elsewhere ---------------------------------------------------------


def _foreign_pkcs12(tmp_path: Path, password: bytes) -> tuple[bytes, Path]:
    now = dt.datetime.now(dt.UTC)
    root_key = ec.generate_private_key(ec.SECP256R1())
    root_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Ban Cơ yếu Chính phủ (thử)")])
    root_cert = (
        x509.CertificateBuilder()
        .subject_name(root_name)
        .issuer_name(root_name)
        .public_key(root_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(root_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Trần Văn Minh")]))
        .issuer_name(root_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=365))
        .add_extension(
            x509.KeyUsage(True, True, False, False, False, False, False, False, False),
            critical=True,
        )
        .sign(root_key, hashes.SHA256())
    )
    path = tmp_path / "root.pem"
    path.write_bytes(root_cert.public_bytes(serialization.Encoding.PEM))
    data = pkcs12.serialize_key_and_certificates(
        b"minh", key, cert, None, serialization.BestAvailableEncryption(password)
    )
    return data, path


def test_an_official_imports_a_trusted_pkcs12_and_signs(minh, tmp_path, settings, root):
    data, root_path = _foreign_pkcs12(tmp_path, b"s3cret")
    with pytest.raises(ValidationError, match="trusted root"):
        actions.import_pkcs12(minh, holder=minh, data=data, password="s3cret")
    settings.SIGNATURE_TRUST_ROOTS = [str(root_path)]
    with pytest.raises(ValidationError, match="password"):
        actions.import_pkcs12(minh, holder=minh, data=data, password="wrong")
    imported = actions.import_pkcs12(minh, holder=minh, data=data, password="s3cret")
    assert imported.source == "imported" and imported.holder == minh
    signed = signing.sign_pdf(minh, blank_pdf(), certificate=imported, level="B-T")
    assert verify_pdf(signed).verdict == Verdict.VALID
    with pytest.raises(ValidationError, match="already"):
        actions.import_pkcs12(minh, holder=minh, data=data, password="s3cret")


def test_nobody_imports_for_someone_else_without_permission(thu, minh, tmp_path, settings, root):
    data, root_path = _foreign_pkcs12(tmp_path, b"pw")
    settings.SIGNATURE_TRUST_ROOTS = [str(root_path)]
    with pytest.raises(PermissionDenied):
        actions.import_pkcs12(thu, holder=minh, data=data, password="pw")


# --- Commands ------------------------------------------------------------------------------


def test_sign_pdf_command(tmp_path, minh, minh_certificate, thu):
    source = tmp_path / "in.pdf"
    source.write_bytes(blank_pdf())
    target = tmp_path / "out.pdf"
    call_command(
        "sign_pdf",
        str(source),
        str(target),
        "--user",
        "minh",
        "--level",
        "B-LT",
        "--visible",
        stdout=io.StringIO(),
    )
    assert verify_pdf(target.read_bytes()).verdict == Verdict.VALID
    with pytest.raises(CommandError, match="no active certificate"):
        call_command("sign_pdf", str(source), str(target), "--user", "thu", stdout=io.StringIO())


def test_create_signing_ca_command_is_idempotent(agency, minh):
    out = io.StringIO()
    call_command(
        "create_signing_ca", "--agency", agency.code, "--seal", "--personal-for-signers", stdout=out
    )
    call_command(
        "create_signing_ca", "--agency", agency.code, "--seal", "--personal-for-signers", stdout=out
    )
    assert CertificateAuthority.objects.count() == 2
    assert SigningCertificate.objects.filter(kind=CertificateKind.SEAL).count() == 1
    assert (
        SigningCertificate.objects.filter(holder=minh, status=CertificateStatus.ACTIVE).count() == 1
    )
