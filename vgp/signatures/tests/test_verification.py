"""verify_pdf on pyHanko's real signed test files, with pyHanko's test CA trusted.

Each verdict below was found by running pyHanko (0.38) on the file, and checked against the
file's certificates (shared/data/signatures):

- the test CA's signer "Alice" (interm_signer1) was valid from 01/01/2020 to 01/01/2022;
- ``certified-with-indirect-refs-in-dir.pdf`` is signed by another of the CA's signers, "Lord
  Testerino", valid only from 01/01/2020 to 01/01/2021;
- ``minimal-signed-twice-no-sig-type.pdf`` is signed with ECDSA keys of pyHanko's *other* test
  CA (its own "Root CA", another key), which root_root.cert.pem does not vouch for;
- none of the files carries a time-stamp or revocation data.

"Now" is the real present (after 2022): the verdicts at that time cannot change as years pass.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from vgp.signatures.verification import Verdict, VerificationError, verify_pdf

from .conftest import needs_samples, sample
from .documents import blank_pdf, byte_range, flip_one_byte, with_byte_range

# Verification reads the installation's own root CAs from the database (ADR 0016).
pytestmark = pytest.mark.django_db

# Inside the life of Alice's certificate (2020-2022).
IN_2021 = dt.datetime.fromisoformat("2021-06-01T12:00+07:00")
# Inside the life of Lord Testerino's certificate (2020 only).
IN_2020 = dt.datetime.fromisoformat("2020-12-01T12:00+07:00")


def verdicts(report):
    return [(s.field_name, s.verdict.value, s.sub_indication) for s in report.signatures]


@needs_samples
@pytest.mark.usefixtures("trusted_test_ca")
class TestSampleFiles:
    def test_certified_with_indirect_refs(self):
        content = sample("certified-with-indirect-refs-in-dir.pdf")
        # now and in June 2021: indeterminate, OUT_OF_BOUNDS_NO_POE: Lord Testerino's
        # certificate expired on 01/01/2021 and no time-stamp proves the signature older.
        for at in (None, IN_2021):
            report = verify_pdf(content, at=at)
            assert report.verdict == Verdict.INDETERMINATE
            assert verdicts(report) == [("Sig1", "indeterminate", "OUT_OF_BOUNDS_NO_POE")]
        # in December 2020, inside his certificate's life: valid. A certifying signature that
        # allows no change, and the file was not changed after it.
        report = verify_pdf(content, at=IN_2020)
        assert report.verdict == Verdict.VALID
        (signature,) = report.signatures
        assert (signature.verdict, signature.sub_indication) == (Verdict.VALID, None)
        assert signature.certification == "no_changes"
        assert (signature.coverage, signature.modifications) == ("entire_file", "none")
        assert signature.modifications_allowed is True
        assert signature.signer_name == "Lord Testerino"
        assert signature.signature_type == "adbe.pkcs7.detached"

    def test_form_updated_after_the_first_signature(self):
        content = sample("form-update-override-appearance-stream.pdf")
        # now: both of Alice's signatures indeterminate, OUT_OF_BOUNDS_NO_POE: her certificate
        # expired on 01/01/2022, no time-stamp.
        report = verify_pdf(content)
        assert report.verdict == Verdict.INDETERMINATE
        assert verdicts(report) == [
            ("Sig1", "indeterminate", "OUT_OF_BOUNDS_NO_POE"),
            ("Sig2", "indeterminate", "OUT_OF_BOUNDS_NO_POE"),
        ]
        # June 2021: valid. Sig1 was followed by form filling (the second signature), which a
        # non-certifying signature allows; Sig2 covers the whole file.
        report = verify_pdf(content, at=IN_2021)
        assert report.verdict == Verdict.VALID
        assert verdicts(report) == [("Sig1", "valid", None), ("Sig2", "valid", None)]
        first, second = report.signatures
        assert (first.coverage, first.modifications, first.modifications_allowed) == (
            "entire_revision",
            "form_filling",
            True,
        )
        assert (second.coverage, second.modifications) == ("entire_file", "none")
        # The signer's computer wrote 23/11/2022 as the signing time (pyHanko's tests signed
        # with an expired certificate): after the time asked about, said but not held against it.
        assert first.claimed_signing_time == dt.datetime(2022, 11, 22, 23, 15, 38, tzinfo=dt.UTC)
        assert "CLAIMED_AFTER_CHECK" in [reason.code for reason in first.reasons]

    def test_signed_twice_by_the_other_test_ca(self):
        content = sample("minimal-signed-twice-no-sig-type.pdf")
        # now and in June 2021: indeterminate, NO_CERTIFICATE_CHAIN_FOUND: the ECDSA signers'
        # roots are not root_root.cert.pem. Intact all the same.
        for at in (None, IN_2021):
            report = verify_pdf(content, at=at)
            assert report.verdict == Verdict.INDETERMINATE
            assert verdicts(report) == [
                ("Sig1", "indeterminate", "NO_CERTIFICATE_CHAIN_FOUND"),
                ("Sig2", "indeterminate", "NO_CERTIFICATE_CHAIN_FOUND"),
            ]
            assert all(s.intact and not s.chains_to_trusted_root for s in report.signatures)
            assert [s.signature_type for s in report.signatures] == ["PAdES", "PAdES"]

    def test_pades_with_old_style_signing_certificate_attribute(self):
        content = sample("pades-with-old-style-signing-cert-attr.pdf")
        # now: indeterminate, OUT_OF_BOUNDS_NO_POE (Alice's certificate expired, no time-stamp).
        report = verify_pdf(content)
        assert verdicts(report) == [("Sig1", "indeterminate", "OUT_OF_BOUNDS_NO_POE")]
        assert report.verdict == Verdict.INDETERMINATE
        # June 2021: valid (the ESSCertID v1 signing-certificate attribute is accepted).
        report = verify_pdf(content, at=IN_2021)
        assert report.verdict == Verdict.VALID
        (signature,) = report.signatures
        assert signature.signature_type == "PAdES"
        assert (signature.signer_name, signature.signer_organization) == ("Alice", "Example Inc")
        assert [c.common_name for c in signature.certificates] == [
            "Alice",
            "Intermediate CA",
            "Root CA",
        ]
        assert [c.trusted_root for c in signature.certificates] == [False, False, True]
        assert signature.chains_to_trusted_root
        # No revocation data in the file, and nothing is looked up: said, not guessed.
        assert signature.revocation == "unknown"
        assert signature.timestamp is None

    def test_a_single_byte_changed_inside_the_signed_range_is_a_hash_failure(self):
        content = sample("pades-with-old-style-signing-cert-attr.pdf")
        start, length, _second, _second_length = byte_range(content)
        # The binary comment on the second line: inside the signed range, read by nobody.
        assert start == 0 and length > 12
        report = verify_pdf(flip_one_byte(content, 12), at=IN_2021)
        assert report.verdict == Verdict.INVALID
        assert verdicts(report) == [("Sig1", "invalid", "HASH_FAILURE")]
        assert report.signatures[0].intact is False

    def test_the_verdict_does_not_depend_on_the_system_trust_store(self, network_guard):
        # with no root configured, nothing chains: never the operating system's roots
        from django.test import override_settings

        with override_settings(SIGNATURE_TRUST_ROOTS=[]):
            report = verify_pdf(sample("pades-with-old-style-signing-cert-attr.pdf"), at=IN_2021)
        assert verdicts(report) == [("Sig1", "indeterminate", "NO_CERTIFICATE_CHAIN_FOUND")]
        assert network_guard == []


@needs_samples
@pytest.mark.usefixtures("nothing_trusted")
def test_without_the_root_trusted_every_sample_is_indeterminate_no_chain():
    for name in (
        "certified-with-indirect-refs-in-dir.pdf",
        "form-update-override-appearance-stream.pdf",
        "pades-with-old-style-signing-cert-attr.pdf",
    ):
        report = verify_pdf(sample(name), at=IN_2021)
        assert report.verdict == Verdict.INDETERMINATE, name
        assert {s.sub_indication for s in report.signatures} == {"NO_CERTIFICATE_CHAIN_FOUND"}


@pytest.mark.usefixtures("trusted_test_ca")
def test_a_pdf_without_signature_is_its_own_outcome():
    report = verify_pdf(blank_pdf())
    assert report.verdict == Verdict.INDETERMINATE
    assert not report.signed
    assert report.signatures == []
    assert [reason.code for reason in report.reasons] == ["NO_SIGNATURE"]
    assert report.as_dict()["signed"] is False


@needs_samples
@pytest.mark.usefixtures("trusted_test_ca")
def test_nothing_is_fetched_over_the_network(network_guard):
    for name in (
        "certified-with-indirect-refs-in-dir.pdf",
        "form-update-override-appearance-stream.pdf",
        "minimal-signed-twice-no-sig-type.pdf",
        "pades-with-old-style-signing-cert-attr.pdf",
    ):
        verify_pdf(sample(name))
        verify_pdf(sample(name), at=IN_2021)
    assert network_guard == []


@needs_samples
@pytest.mark.usefixtures("trusted_test_ca")
def test_reasons_are_in_the_active_language():
    content = sample("pades-with-old-style-signing-cert-attr.pdf")
    report = verify_pdf(content)
    with translation.override("vi"):
        vietnamese = report.signatures[0].reasons[0].text
    with translation.override("en"):
        english = report.signatures[0].reasons[0].text
    assert english.startswith("At the time of the check the signer's certificate had expired")
    assert vietnamese.startswith("Tại thời điểm kiểm tra")


# --- what cannot be checked ---------------------------------------------------------------------


def refusal(content: bytes) -> VerificationError:
    with pytest.raises(VerificationError) as caught:
        verify_pdf(content)
    return caught.value


@pytest.mark.usefixtures("trusted_test_ca")
class TestRefusals:
    def test_empty_file(self):
        assert refusal(b"").code == "empty"

    def test_not_a_pdf(self):
        assert refusal(b"PK\x03\x04 this is a zip, not a PDF").code == "not_pdf"
        assert refusal(b"<html><script>alert(1)</script></html>").code == "not_pdf"

    @needs_samples
    def test_truncated_pdf(self):
        content = sample("pades-with-old-style-signing-cert-attr.pdf")
        assert refusal(content[: len(content) // 2]).code == "truncated"

    def test_a_pdf_with_garbage_after_its_header(self):
        assert refusal(b"%PDF-1.7\n" + b"\x00garbage" * 100 + b"\n%%EOF\n").code == "damaged"

    @needs_samples
    def test_byte_range_pointing_outside_the_file(self):
        content = sample("pades-with-old-style-signing-cert-attr.pdf")
        first, length, second, second_length = byte_range(content)
        hostile = with_byte_range(content, first, length, second, second_length + 100_000)
        error = refusal(hostile)
        assert error.code == "byte_range"
        with translation.override("en"):
            assert "“Sig1”" in str(error) and "outside the file" in str(error)

    @needs_samples
    def test_overlapping_byte_range(self):
        content = sample("pades-with-old-style-signing-cert-attr.pdf")
        first, length, _second, second_length = byte_range(content)
        hostile = with_byte_range(content, first, length, length - 100, second_length)
        assert refusal(hostile).code == "byte_range"

    @needs_samples
    def test_byte_range_not_from_the_start_is_checked_and_fails(self):
        content = sample("pades-with-old-style-signing-cert-attr.pdf")
        _first, length, second, second_length = byte_range(content)
        report = verify_pdf(with_byte_range(content, 10, length - 10, second, second_length))
        assert report.verdict == Verdict.INVALID

    @needs_samples
    def test_encrypted_pdf(self):
        from .documents import encrypted

        content = sample("pades-with-old-style-signing-cert-attr.pdf")
        assert refusal(encrypted(content)).code == "encrypted"

    def test_a_file_over_the_limit_is_refused_before_it_is_read(self, settings):
        settings.SIGNATURE_VERIFY_MAX_BYTES = 1024
        error = refusal(b"%PDF-1.7\n" + b"0" * 2000)
        assert error.code == "too_large"
        with translation.override("vi"):
            assert str(error) == "Tệp lớn hơn 1 KB, mức lớn nhất dịch vụ này kiểm tra."
