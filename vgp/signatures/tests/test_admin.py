"""Electronic signatures in the back office: the certification authorities, the signing
certificates (list, issue, page, renew, suspend, reinstate, revoke, image) and "My signing
certificate".

Personas: anh Tuấn, the IT administrator who runs the CA; ông Minh, a leader who signs with his
personal certificate; chị Hoa, the clerk who puts the organisation's seal; bà Thu, another
leader, who must not see or touch ông Minh's certificate.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image, ImageDraw
from wagtail.users.models import UserProfile

from vgp.audit.models import AuditRecord
from vgp.signatures import actions
from vgp.signatures.admin_views import hex_pairs, readable_name
from vgp.signatures.models import (
    CertificateAuthority,
    CertificateKind,
    CertificateSource,
    CertificateStatus,
    RevocationReason,
    SigningCertificate,
)
from vgp.testing.factories import UserFactory

pytestmark = pytest.mark.django_db

AUTHORITIES = reverse("signature_authorities:index")
CREATE_AUTHORITY = reverse("signature_authorities:create")
CERTIFICATES = reverse("signing_certificates:index")
ISSUE = reverse("signing_certificates:issue")
MINE = reverse("my_signature:index")
IMPORT = reverse("my_signature:import")


@pytest.fixture(autouse=True)
def _password_only(settings):
    # The second factor has its own tests (and one below); here officials sign in with a password.
    settings.VGP_REQUIRE_2FA = False


class EnglishClient(Client):
    """Signs officials in with English as their admin language: the assertions read the
    English source of the messages."""

    def force_login(self, user, backend=None):
        profile = UserProfile.get_for_user(user)
        profile.preferred_language = "en"
        profile.save(update_fields=["preferred_language"])
        super().force_login(user, backend)


@pytest.fixture
def client():
    return EnglishClient()


def as_user(client, user):
    client.force_login(user)
    return client


def detail_url(certificate) -> str:
    return reverse("signing_certificates:detail", args=[certificate.pk])


def step_url(certificate, step: str) -> str:
    return reverse("signing_certificates:step", args=[certificate.pk, step])


def fresh(certificate) -> SigningCertificate:
    return SigningCertificate.objects.get(pk=certificate.pk)


def png(colour=(20, 40, 160, 255), size=(240, 90)) -> bytes:
    """A blue stroke on a transparent background, as a scanned signature would be."""
    image = Image.new("RGBA", size, (0, 0, 0, 0))
    ImageDraw.Draw(image).line([(10, 60), (80, 20), (150, 70), (230, 30)], fill=colour, width=4)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def upload(name: str, content: bytes, content_type: str = "image/png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def text_of(response) -> str:
    """The page's HTML without the line-break hints (``<wbr>``) inside serials and fingerprints."""
    return response.content.decode().replace("<wbr>", "")


def errors_of(response, form: str = "form") -> dict:
    return response.context[form].errors


def _foreign_pkcs12(tmp_path: Path, password: bytes) -> tuple[bytes, Path]:
    """Ông Minh's certificate from another CA (the Government's specialised CA, for the test)."""
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


# --- Certification authorities -------------------------------------------------------------


def test_the_administrator_creates_the_authority_through_the_form(client, tuan, agency):
    # Given no certification authority yet
    as_user(client, tuan)
    page = client.get(CREATE_AUTHORITY)
    assert page.status_code == 200
    # When anh Tuấn fills the form
    response = client.post(
        CREATE_AUTHORITY,
        {
            "agency": agency.pk,
            "root_name": "VPCP Root CA",
            "issuing_name": "VPCP Issuing CA",
            "algorithm": "ec-p256",
        },
    )
    # Then a root, an issuing CA and the TSA's certificate exist, audited
    assert response.status_code == 302
    assert response.url == AUTHORITIES
    issuing = actions.active_issuing()
    assert issuing is not None and issuing.parent.name == "VPCP Root CA"
    assert SigningCertificate.objects.filter(kind=CertificateKind.TSA).count() == 1
    assert AuditRecord.objects.filter(
        action="signatures.create_authority", actor_username="tuan"
    ).exists()


def test_blank_names_are_field_errors_and_nothing_is_created(client, tuan, agency):
    as_user(client, tuan)
    response = client.post(
        CREATE_AUTHORITY,
        {"agency": agency.pk, "root_name": "", "issuing_name": "  ", "algorithm": "ec-p256"},
    )
    assert response.status_code == 200
    assert set(errors_of(response)) == {"root_name", "issuing_name"}
    assert not CertificateAuthority.objects.exists()


def test_the_list_of_authorities_links_their_certificates_and_crls(client, tuan, root):
    issuing = actions.active_issuing()
    response = as_user(client, tuan).get(AUTHORITIES)
    assert response.status_code == 200
    body = response.content.decode()
    for ca in (root, issuing):
        assert ca.name in body
        assert reverse("pki:ca", args=[ca.pk]) in body
        assert reverse("pki:crl", args=[ca.pk]) in body
        assert hex_pairs(ca.fingerprint[:16]) in body
    assert reverse("signature_authorities:issuing", args=[root.pk]) in body
    assert "Active: issues the certificates" in body
    assert "No. 1" in body  # the CRL number


def test_a_new_issuing_ca_replaces_the_active_one(client, tuan, root):
    old = actions.active_issuing()
    url = reverse("signature_authorities:issuing", args=[root.pk])
    as_user(client, tuan)
    assert client.get(url).status_code == 200
    response = client.post(url, {"name": "VPCP Issuing CA 2", "algorithm": "ec-p256"})
    assert response.status_code == 302
    new = actions.active_issuing()
    assert new.name == "VPCP Issuing CA 2" and new.pk != old.pk
    assert not CertificateAuthority.objects.get(pk=old.pk).active


@pytest.mark.parametrize("persona", ["hoa", "minh"])
@pytest.mark.parametrize(
    "url",
    [AUTHORITIES, CREATE_AUTHORITY, CERTIFICATES, ISSUE],
    ids=["cas", "create", "list", "issue"],
)
def test_a_clerk_or_a_leader_gets_403_on_the_authority_screens(client, request, persona, url, root):
    as_user(client, request.getfixturevalue(persona))
    assert client.get(url).status_code == 403
    if url in (CREATE_AUTHORITY, ISSUE):
        assert client.post(url, {"kind": "seal", "agency": 1}).status_code == 403


def test_a_clerk_cannot_start_a_new_issuing_ca(client, hoa, root):
    url = reverse("signature_authorities:issuing", args=[root.pk])
    as_user(client, hoa)
    assert client.post(url, {"name": "X", "algorithm": "ec-p256"}).status_code == 403
    assert CertificateAuthority.objects.count() == 2


# --- Issuing -------------------------------------------------------------------------------


def test_the_administrator_issues_a_personal_certificate(client, tuan, minh, root):
    as_user(client, tuan)
    assert client.get(ISSUE).status_code == 200
    response = client.post(
        ISSUE, {"kind": "personal", "holder": minh.pk, "algorithm": "ec-p256", "days": "365"}
    )
    certificate = SigningCertificate.objects.get(holder=minh)
    assert response.status_code == 302 and response.url == detail_url(certificate)
    assert 364 <= (certificate.not_after - certificate.not_before).days <= 366
    page = client.get(response.url)
    assert "Trần Văn Minh" in page.content.decode()


def test_the_administrator_issues_a_seal_with_rsa(client, tuan, agency, root):
    as_user(client, tuan)
    response = client.post(ISSUE, {"kind": "seal", "agency": agency.pk, "algorithm": "rsa-2048"})
    assert response.status_code == 302
    seal = SigningCertificate.objects.get(kind=CertificateKind.SEAL)
    assert seal.agency == agency and seal.holder is None and seal.key_algorithm == "rsa-2048"


def test_a_personal_certificate_without_an_official_is_a_field_error(client, tuan, root):
    as_user(client, tuan)
    response = client.post(ISSUE, {"kind": "personal", "algorithm": "ec-p256"})
    assert response.status_code == 200
    assert errors_of(response)["holder"] == [
        "Choose an active official who belongs to an organisation."
    ]
    assert not SigningCertificate.objects.exclude(kind=CertificateKind.TSA).exists()


def test_issuing_before_the_authority_exists_says_so(client, tuan, minh):
    as_user(client, tuan)
    response = client.post(ISSUE, {"kind": "personal", "holder": minh.pk, "algorithm": "ec-p256"})
    assert response.status_code == 200
    assert "create the certification authority first" in " ".join(
        errors_of(response).get("__all__", [])
    )
    assert not SigningCertificate.objects.exists()


def test_an_out_of_range_validity_is_a_field_error(client, tuan, minh, root):
    as_user(client, tuan)
    response = client.post(
        ISSUE, {"kind": "personal", "holder": minh.pk, "algorithm": "ec-p256", "days": "5000"}
    )
    assert response.status_code == 200 and "days" in errors_of(response)
    assert not SigningCertificate.objects.filter(holder=minh).exists()


def holder_choices(response) -> list[int]:
    return [user.pk for user in response.context["form"].fields["holder"].queryset]


def test_the_administrator_finds_the_official_without_diacritics(client, tuan, minh, thu, root):
    as_user(client, tuan)
    everyone = holder_choices(client.get(ISSUE))
    assert {minh.pk, thu.pk, tuan.pk} <= set(everyone)

    response = client.get(ISSUE, {"q": "tran van MINH"})
    assert holder_choices(response) == [minh.pk]
    page = response.content.decode()
    assert "1 official matches “tran van MINH”" in page
    # The only match is chosen already, and the issue form posts it.
    assert f'<option value="{minh.pk}" selected>' in page

    # Position and organisation count too; every word must match.
    assert holder_choices(client.get(ISSUE, {"q": "pho chu nhiem"})) == [minh.pk]
    assert minh.pk in holder_choices(client.get(ISSUE, {"q": minh.agency.abbreviation}))
    assert holder_choices(client.get(ISSUE, {"q": "minh thu"})) == []
    assert (
        "No official matches “minh thu”." in client.get(ISSUE, {"q": "minh thu"}).content.decode()
    )


def test_a_nationwide_administrator_narrows_by_organisation_then_issues(client, tuan, minh, root):
    from vgp.testing.factories import AgencyFactory

    finance = AgencyFactory(code="G09", name_vi="Bộ Tài chính", abbreviation="BTC")
    lan = UserFactory(username="lan.btc", first_name="Lan", last_name="Phạm Thị", agency=finance)
    as_user(client, tuan)
    assert holder_choices(client.get(ISSUE, {"q": "bo tai chinh"})) == [lan.pk]
    assert holder_choices(client.get(ISSUE, {"q": "lan.btc"})) == [lan.pk]
    # The form posts to the narrowed address: the official found is accepted there...
    response = client.post(
        ISSUE + "?q=btc", {"kind": "personal", "holder": lan.pk, "algorithm": "ec-p256"}
    )
    assert response.status_code == 302
    assert SigningCertificate.objects.get(holder=lan).agency == finance
    # ...and one the search left out is an invalid choice, not a certificate for someone else.
    response = client.post(
        ISSUE + "?q=btc", {"kind": "personal", "holder": minh.pk, "algorithm": "ec-p256"}
    )
    assert response.status_code == 200 and "holder" in errors_of(response)
    assert not SigningCertificate.objects.filter(holder=minh).exists()


# --- The list ------------------------------------------------------------------------------


def listed(response) -> list[int]:
    return [certificate.pk for certificate in response.context["object_list"]]


def test_the_list_shows_every_certificate_to_the_administrator(
    client, tuan, minh_certificate, seal
):
    response = as_user(client, tuan).get(CERTIFICATES)
    assert response.status_code == 200
    assert set(listed(response)) >= {minh_certificate.pk, seal.pk}
    body = response.content.decode()
    assert "Trần Văn Minh" in body and "Phó Chủ nhiệm" in body
    assert (
        minh_certificate.not_after.astimezone(dt.timezone(dt.timedelta(hours=7))).strftime(
            "%d/%m/%Y"
        )
        in body
    )
    assert "Never" in body  # last used


def test_the_list_filters_by_kind_status_and_expiry(client, tuan, minh_certificate, seal):
    as_user(client, tuan)
    actions.suspend(tuan, seal)
    soon = actions.issue_certificate(
        tuan, kind=CertificateKind.PERSONAL, holder=minh_certificate.holder, days=10
    )
    assert listed(client.get(CERTIFICATES, {"kind": "seal"})) == [seal.pk]
    assert listed(client.get(CERTIFICATES, {"state": "suspended"})) == [seal.pk]
    assert listed(client.get(CERTIFICATES, {"expiring": "30"})) == [soon.pk]
    by_agency = listed(client.get(CERTIFICATES, {"agency": seal.agency_id}))
    assert seal.pk in by_agency
    results = client.get(reverse("signing_certificates:index_results"), {"expiring": "30"})
    assert results.status_code == 200 and "expires in" in results.content.decode()


def test_the_list_searches_by_subject_and_serial(client, tuan, minh_certificate, seal):
    as_user(client, tuan)
    assert listed(client.get(CERTIFICATES, {"q": "Trần Văn"})) == [minh_certificate.pk]
    serial = hex_pairs(minh_certificate.serial)[:11]  # "AB:CD:EF:12" as a viewer shows it
    assert listed(client.get(CERTIFICATES, {"q": serial})) == [minh_certificate.pk]


def test_the_list_finds_a_serial_copied_with_its_leading_zero(client, tuan, minh_certificate):
    # An odd-length serial ("9c1…") is shown, and copied, as "09:C1:…".
    SigningCertificate.objects.filter(pk=minh_certificate.pk).update(serial="9c1a2b3c4d5")
    as_user(client, tuan)
    for typed in ("09:C1:A2:B3", "09c1a2", "9C:1A"):
        assert listed(client.get(CERTIFICATES, {"q": typed})) == [minh_certificate.pk], typed


def test_the_list_reads_a_fixed_number_of_queries(
    client, tuan, agency, root, django_assert_max_num_queries
):
    # Given thirty officials' certificates, and the same list first with three
    as_user(client, tuan)
    officials = [
        UserFactory(username=f"cb{n}", agency=agency, position="Chuyên viên") for n in range(29)
    ]
    for official in officials[:2]:
        actions.issue_certificate(tuan, kind=CertificateKind.PERSONAL, holder=official)
    client.get(CERTIFICATES)  # warm the caches a first request fills (content types, menus)
    with CaptureQueriesContext(connection) as few:
        assert client.get(CERTIFICATES).status_code == 200
    for official in officials[2:]:
        actions.issue_certificate(tuan, kind=CertificateKind.PERSONAL, holder=official)
    assert SigningCertificate.objects.count() == 30  # with the TSA's
    # Then the list of thirty reads no more than the list of three: session, user, permissions,
    # profile, roles, Wagtail's locales and menu rights, the count, the agencies filter, the rows
    with django_assert_max_num_queries(14), CaptureQueriesContext(connection) as many:
        response = client.get(CERTIFICATES)
    assert len(listed(response)) == 30
    assert len(many.captured_queries) == len(few.captured_queries)
    # and never the keys, certificates or images
    rows = [q["sql"] for q in many.captured_queries if "signatures_signingcertificate" in q["sql"]]
    assert rows and not any('"private_key"' in sql or '"image"' in sql for sql in rows)


# --- One certificate -----------------------------------------------------------------------


def test_the_certificate_page_says_everything_but_the_key(client, tuan, minh, minh_certificate):
    actions.set_image(minh, minh_certificate, png())
    response = as_user(client, tuan).get(detail_url(minh_certificate))
    assert response.status_code == 200
    body = text_of(response)
    for text in (
        readable_name(minh_certificate.subject),
        "T=Phó Chủ nhiệm",
        hex_pairs(minh_certificate.serial),
        hex_pairs(minh_certificate.fingerprint),
        "VPCP Issuing CA",
        "Encrypted in the database",
        "ECDSA P-256",
        'alt="Handwritten signature of Trần Văn Minh"',
        'src="data:image/png;base64,',
        reverse("signing_certificates:download", args=[minh_certificate.pk]),
        step_url(minh_certificate, "gia-han"),
        step_url(minh_certificate, "thu-hoi"),
    ):
        assert text in body, text
    assert step_url(minh_certificate, "khoi-phuc") not in body  # not suspended


def test_the_download_is_the_certificate_alone(client, tuan, minh_certificate):
    url = reverse("signing_certificates:download", args=[minh_certificate.pk])
    response = as_user(client, tuan).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pkix-cert"
    assert response["Content-Disposition"].endswith('.cer"')
    certificate = x509.load_der_x509_certificate(response.content)
    assert certificate.serial_number == int(minh_certificate.serial, 16)
    assert bytes(minh_certificate.private_key) not in response.content


def test_renewal_through_the_admin(client, tuan, minh_certificate):
    url = step_url(minh_certificate, "gia-han")
    as_user(client, tuan)
    assert client.get(url).status_code == 200
    response = client.post(url, {"days": ""})
    new = SigningCertificate.objects.get(renewal_of=minh_certificate)
    assert response.status_code == 302 and response.url == detail_url(new)
    page = text_of(client.get(detail_url(new)))
    assert hex_pairs(minh_certificate.serial) in page  # the renewal chain
    assert fresh(minh_certificate).status == CertificateStatus.ACTIVE


def test_suspend_reinstate_and_revoke_through_the_admin(client, tuan, minh_certificate):
    as_user(client, tuan)
    for step, status in (
        ("tam-dung", CertificateStatus.SUSPENDED),
        ("khoi-phuc", CertificateStatus.ACTIVE),
    ):
        assert client.get(step_url(minh_certificate, step)).status_code == 200
        response = client.post(step_url(minh_certificate, step))
        assert response.status_code == 302 and response.url == detail_url(minh_certificate)
        assert fresh(minh_certificate).status == status
    response = client.post(step_url(minh_certificate, "thu-hoi"), {"reason": "key_compromise"})
    assert response.status_code == 302
    revoked = fresh(minh_certificate)
    assert revoked.status == CertificateStatus.REVOKED
    assert revoked.revocation_reason == RevocationReason.KEY_COMPROMISE
    page = client.get(detail_url(minh_certificate)).content.decode()
    assert "Key compromised" in page
    assert step_url(minh_certificate, "gia-han") not in page  # a revoked one is not renewed


def test_a_revocation_needs_a_reason(client, tuan, minh_certificate):
    response = as_user(client, tuan).post(step_url(minh_certificate, "thu-hoi"), {"reason": ""})
    assert response.status_code == 200 and "reason" in errors_of(response)
    assert fresh(minh_certificate).status == CertificateStatus.ACTIVE


def test_a_step_the_state_forbids_is_an_error_on_the_page_not_a_crash(
    client, tuan, minh_certificate
):
    # Reinstating an active certificate (two tabs, one already done): the action refuses.
    response = as_user(client, tuan).post(step_url(minh_certificate, "khoi-phuc"))
    assert response.status_code == 200
    assert (
        "This certificate is active: that change is not possible." in errors_of(response)["__all__"]
    )
    assert fresh(minh_certificate).status == CertificateStatus.ACTIVE
    # Opening it is sent back to the certificate with a word
    assert client.get(step_url(minh_certificate, "khoi-phuc")).status_code == 302
    assert client.get(step_url(minh_certificate, "no-such-step")).status_code == 404


def test_the_administrator_uploads_the_seal_image(client, tuan, seal):
    url = step_url(seal, "anh-chu-ky")
    as_user(client, tuan)
    red = png(colour=(200, 20, 20, 255), size=(300, 300))
    response = client.post(url, {"image": upload("con-dau.png", red)})
    assert response.status_code == 302
    assert bytes(fresh(seal).image) == red


def test_a_file_that_is_not_a_png_is_a_field_error(client, tuan, seal):
    url = step_url(seal, "anh-chu-ky")
    response = as_user(client, tuan).post(
        url, {"image": upload("chu-ky.png", b"GIF89a not really", "image/png")}
    )
    assert response.status_code == 200
    assert errors_of(response)["image"] == ["This file is not a readable PNG image."]
    assert bytes(fresh(seal).image) == b""


def test_officials_cannot_see_certificates_in_the_admin(client, minh, thu, minh_certificate):
    for persona in (thu, minh):  # another leader, and the holder himself (he has his own page)
        as_user(client, persona)
        assert client.get(detail_url(minh_certificate)).status_code == 403
        assert client.get(step_url(minh_certificate, "thu-hoi")).status_code == 403
        assert (
            client.post(
                step_url(minh_certificate, "thu-hoi"), {"reason": "unspecified"}
            ).status_code
            == 403
        )
        download = reverse("signing_certificates:download", args=[minh_certificate.pk])
        assert client.get(download).status_code == 403
    assert fresh(minh_certificate).status == CertificateStatus.ACTIVE


def test_the_second_factor_is_required_in_the_production_posture(client, tuan, settings, root):
    settings.VGP_REQUIRE_2FA = True
    response = as_user(client, tuan).get(AUTHORITIES)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts_2fa_setup"))


def test_the_menu_offers_what_each_official_may_open(client, tuan, minh):
    admin_menu = as_user(client, tuan).get(reverse("wagtailadmin_home")).content.decode()
    assert AUTHORITIES in admin_menu and CERTIFICATES in admin_menu and MINE in admin_menu
    leader_menu = as_user(client, minh).get(reverse("wagtailadmin_home")).content.decode()
    assert MINE in leader_menu and AUTHORITIES not in leader_menu
    account = client.get(reverse("wagtailadmin_account"))
    assert account.status_code == 200 and MINE in account.content.decode()


# --- My signing certificate ----------------------------------------------------------------


def test_the_official_sees_his_certificate(client, minh, minh_certificate):
    response = as_user(client, minh).get(MINE)
    assert response.status_code == 200
    body = text_of(response)
    assert "Trần Văn Minh" in body and "Used when you sign" in body
    assert hex_pairs(minh_certificate.serial) in body
    assert reverse("my_signature:suspend", args=[minh_certificate.pk]) in body
    download = client.get(reverse("my_signature:download", args=[minh_certificate.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "application/pkix-cert"


def test_an_official_without_a_certificate_is_told_what_to_do(client, thu, root):
    response = as_user(client, thu).get(MINE)
    assert response.status_code == 200
    assert "You have no usable personal certificate" in response.content.decode()


def test_the_official_uploads_his_handwritten_signature(client, minh, minh_certificate):
    url = reverse("my_signature:image", args=[minh_certificate.pk])
    signature = png()
    response = as_user(client, minh).post(url, {"image": upload("chu-ky.png", signature)})
    assert response.status_code == 302 and response.url == MINE
    assert bytes(fresh(minh_certificate).image) == signature
    assert 'alt="Handwritten signature of Trần Văn Minh"' in client.get(MINE).content.decode()


def test_a_bad_image_on_my_page_is_a_field_error_and_changes_nothing(
    client, minh, minh_certificate
):
    actions.set_image(minh, minh_certificate, png())
    before = bytes(fresh(minh_certificate).image)
    url = reverse("my_signature:image", args=[minh_certificate.pk])
    response = as_user(client, minh).post(
        url, {"image": upload("chu-ky.jpg", b"\xff\xd8\xff", "image/jpeg")}
    )
    assert response.status_code == 200
    card = next(
        c for c in response.context["cards"] if c.described.certificate.pk == minh_certificate.pk
    )
    assert card.image_form.errors["image"] == ["This file is not a readable PNG image."]
    assert bytes(fresh(minh_certificate).image) == before


def test_the_official_suspends_his_own_certificate(client, minh, minh_certificate):
    url = reverse("my_signature:suspend", args=[minh_certificate.pk])
    as_user(client, minh)
    confirmation = client.get(url)
    assert confirmation.status_code == 200
    assert "Suspend my certificate" in confirmation.content.decode()
    response = client.post(url)
    assert response.status_code == 302 and response.url == MINE
    assert fresh(minh_certificate).status == CertificateStatus.SUSPENDED
    assert AuditRecord.objects.filter(
        action="signatures.suspend_certificate", actor_username="minh"
    ).exists()
    page = client.get(MINE).content.decode()
    assert "ask the IT administrator to reinstate it" in page
    assert url not in page


def test_nobody_touches_another_officials_certificate_from_their_own_page(
    client, thu, minh_certificate
):
    as_user(client, thu)
    image = reverse("my_signature:image", args=[minh_certificate.pk])
    suspend = reverse("my_signature:suspend", args=[minh_certificate.pk])
    download = reverse("my_signature:download", args=[minh_certificate.pk])
    assert client.post(image, {"image": upload("x.png", png())}).status_code == 404
    assert client.post(suspend).status_code == 404
    assert client.get(download).status_code == 404
    assert "Trần Văn Minh" not in client.get(MINE).content.decode()
    certificate = fresh(minh_certificate)
    assert certificate.status == CertificateStatus.ACTIVE and not certificate.image


def test_the_official_imports_a_pkcs12_issued_elsewhere(client, minh, tmp_path, settings, root):
    data, root_path = _foreign_pkcs12(tmp_path, b"s3cret")
    settings.SIGNATURE_TRUST_ROOTS = [str(root_path)]
    as_user(client, minh)
    # A wrong password: a field error, nothing imported, the password not sent back
    wrong = client.post(
        IMPORT,
        {"file": upload("minh.p12", data, "application/x-pkcs12"), "password": "wrong-pw-123"},
    )
    assert wrong.status_code == 200
    assert errors_of(wrong, "pkcs12_form")["file"] == [
        "The file does not open: wrong password, or not a PKCS#12 file."
    ]
    assert "wrong-pw-123" not in wrong.content.decode()
    assert not SigningCertificate.objects.filter(source=CertificateSource.IMPORTED).exists()
    # The right one: imported, his own, ready to sign
    response = client.post(
        IMPORT, {"file": upload("minh.p12", data, "application/x-pkcs12"), "password": "s3cret"}
    )
    assert response.status_code == 302 and response.url == MINE
    imported = SigningCertificate.objects.get(source=CertificateSource.IMPORTED)
    assert imported.holder == minh and actions.current_certificate(minh) == imported
    assert "Ban Cơ yếu Chính phủ" in client.get(MINE).content.decode()


def test_a_file_that_is_not_pkcs12_is_refused(client, minh, root):
    response = as_user(client, minh).post(
        IMPORT,
        {"file": upload("minh.p12", b"not a pkcs12", "application/x-pkcs12"), "password": ""},
    )
    assert response.status_code == 200 and "file" in errors_of(response, "pkcs12_form")
    assert not SigningCertificate.objects.filter(holder=minh).exists()
