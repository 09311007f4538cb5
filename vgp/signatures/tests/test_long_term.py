"""Time-stamps, long-term validation data and revocation, on PDFs signed by the tests' own CA
(``pki.py``): what the real samples do not carry.

Anh An's certificate (the signer) was valid in 2020 and 2021; he signed on 01/06/2021 at
12:00 (Viet Nam time). His certificate names a CRL and an OCSP responder on hosts that do not
exist: nothing may try to reach them.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.test import override_settings

from vgp.signatures.verification import Verdict, verify_pdf

from .pki import Authority, make_authority

# Verification reads the installation's own root CAs from the database (ADR 0016).
pytestmark = pytest.mark.django_db

SIGNED_AT = dt.datetime(2021, 6, 1, 5, tzinfo=dt.UTC)
A_MONTH_LATER = dt.datetime(2021, 7, 1, 5, tzinfo=dt.UTC)
REVOKED_AT = dt.datetime(2021, 3, 1, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def authority() -> Authority:
    return make_authority()


@pytest.fixture(scope="module")
def files(authority: Authority) -> dict[str, bytes]:
    good_crl = authority.crl(this_update=SIGNED_AT)
    long_term = authority.sign(at=SIGNED_AT, time_stamp=True, crls=[good_crl])
    return {
        "B-B": authority.sign(at=SIGNED_AT),
        "B-T": authority.sign(at=SIGNED_AT, time_stamp=True),
        "B-LTA": authority.document_time_stamp(long_term, at=SIGNED_AT + dt.timedelta(days=1)),
        "good CRL": authority.sign(at=SIGNED_AT, crls=[good_crl]),
        "revoked": authority.sign(
            at=SIGNED_AT,
            crls=[authority.crl(this_update=SIGNED_AT, revoked_at=REVOKED_AT)],
        ),
    }


@pytest.fixture
def trusted(authority: Authority, tmp_path: Path, network_guard: list[str]):
    root, tsa_root = authority.write_roots(tmp_path)
    with override_settings(SIGNATURE_TRUST_ROOTS=[str(root), str(tsa_root)]):
        yield
    # whatever the file names, nothing was looked up
    assert network_guard == []


def only(report):
    (signature,) = report.signatures
    return signature


@pytest.mark.usefixtures("trusted")
class TestTimeStamps:
    def test_a_time_stamp_is_reported_with_its_authority_and_time(self, files):
        signature = only(verify_pdf(files["B-T"], at=A_MONTH_LATER))
        assert signature.verdict == Verdict.VALID
        assert signature.timestamp is not None
        assert (signature.timestamp.authority, signature.timestamp.time) == (
            "VGP Test TSA",
            SIGNED_AT,
        )
        assert signature.timestamp.intact and signature.timestamp.trusted
        assert signature.claimed_signing_time == SIGNED_AT

    def test_after_expiry_a_time_stamp_alone_is_no_proof(self, files):
        # now: the certificate has expired; the time-stamp proves when the signature was made,
        # but nothing proves that its certificate's validation data existed then (no DSS, no
        # document time-stamp over it): pyHanko's past validation answers NO_POE.
        signature = only(verify_pdf(files["B-T"]))
        assert (signature.verdict, signature.sub_indication) == (Verdict.INDETERMINATE, "NO_POE")

    def test_without_time_stamp_it_is_out_of_bounds(self, files):
        signature = only(verify_pdf(files["B-B"]))
        assert signature.sub_indication == "OUT_OF_BOUNDS_NO_POE"
        assert signature.timestamp is None

    def test_long_term_validation_data_keep_it_valid_after_expiry(self, files):
        # B-LTA: signature time-stamp, the CRL in the DSS, a document time-stamp over them.
        report = verify_pdf(files["B-LTA"])
        assert report.verdict == Verdict.VALID
        signature, document_stamp = report.signatures
        assert (signature.kind, signature.verdict) == ("signature", Verdict.VALID)
        assert signature.proof_of_existence == SIGNED_AT
        assert "POE_TIMESTAMP" in [reason.code for reason in signature.reasons]
        # the CRL of that time covered the certificate
        assert signature.revocation == "good"
        # only validation data and a time-stamp came after the signature: allowed
        assert (signature.modifications, signature.modifications_allowed) == ("lta_updates", True)
        assert document_stamp.kind == "document_timestamp"
        assert document_stamp.verdict == Verdict.VALID
        assert document_stamp.signer_name == "VGP Test TSA"
        assert document_stamp.signature_type == "ETSI.RFC3161"

    def test_an_untrusted_time_stamp_authority_proves_nothing(self, authority, files, tmp_path):
        root, _tsa_root = authority.write_roots(tmp_path)
        with override_settings(SIGNATURE_TRUST_ROOTS=[str(root)]):
            signature = only(verify_pdf(files["B-T"]))
        assert signature.sub_indication == "OUT_OF_BOUNDS_NO_POE"
        assert signature.timestamp is not None and not signature.timestamp.trusted
        assert "TIMESTAMP_NOT_TRUSTED" in [reason.code for reason in signature.reasons]


@pytest.mark.usefixtures("trusted")
class TestRevocation:
    def test_a_crl_in_the_file_that_does_not_list_the_certificate_is_good(self, files):
        signature = only(verify_pdf(files["good CRL"], at=A_MONTH_LATER))
        assert (signature.verdict, signature.revocation) == (Verdict.VALID, "good")
        assert "REVOCATION_NOT_CHECKED" not in [reason.code for reason in signature.reasons]

    def test_no_revocation_data_is_unknown_not_checked(self, files):
        signature = only(verify_pdf(files["B-B"], at=A_MONTH_LATER))
        assert (signature.verdict, signature.revocation) == (Verdict.VALID, "unknown")
        assert "REVOCATION_NOT_CHECKED" in [reason.code for reason in signature.reasons]

    def test_revoked_before_the_check_with_no_proof_of_earlier_signing_is_invalid(self, files):
        # Revoked on 01/03/2021, nothing proves the signature older than that: REVOKED
        # (EN 319 102-1 § 5.5.4, the best signature time being the time of the check).
        report = verify_pdf(files["revoked"], at=A_MONTH_LATER)
        assert report.verdict == Verdict.INVALID
        signature = only(report)
        assert (signature.sub_indication, signature.revocation) == ("REVOKED", "revoked")
        assert signature.revocation_date == REVOKED_AT
