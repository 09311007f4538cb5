"""The demo's certification authority, seals and personal certificates (``load_demo``).

Given the Government Office and the Ministry of Finance with their demo accounts: the Office
runs the CA, each agency with a demo clerk (vanthu, vanthu.btc) gets its seal, each demo leader
(lanhdao, lanhdao.btc) their personal certificate, every one with a picture to show in visible
signatures; loading again changes nothing.
"""

from __future__ import annotations

import io

import pytest
from PIL import Image

from vgp.agencies.models import AgencyKind
from vgp.audit.models import AuditRecord
from vgp.demo.accounts import ensure_demo_accounts
from vgp.signatures import actions, signing
from vgp.signatures.demo import load_demo_signatures, seal_png, signature_png
from vgp.signatures.models import CertificateAuthority, CertificateKind, SigningCertificate
from vgp.signatures.tests.documents import blank_pdf
from vgp.signatures.verification import Verdict, verify_pdf
from vgp.testing.factories import AgencyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_accounts():
    signing.forget_cached()
    AgencyFactory(
        code="000.00.00.G22",
        name_vi="Văn phòng Chính phủ",
        abbreviation="VPCP",
        kind=AgencyKind.MINISTRY_LEVEL,
    )
    AgencyFactory(code="000.00.00.G12", name_vi="Bộ Tài chính", abbreviation="BTC")
    ensure_demo_accounts()


def picture(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG"
    return image.convert("RGBA")


def test_the_demo_has_a_ca_seals_and_the_leaders_certificates(demo_accounts):
    summary = load_demo_signatures()
    assert summary.startswith("certification authority created")
    issuing = actions.active_issuing()
    assert issuing is not None and issuing.name == "VPCP Issuing CA"
    seals = SigningCertificate.objects.filter(kind=CertificateKind.SEAL)
    assert sorted(seals.values_list("agency__code", flat=True)) == [
        "000.00.00.G12",
        "000.00.00.G22",
    ]
    personal = SigningCertificate.objects.filter(kind=CertificateKind.PERSONAL)
    assert sorted(personal.values_list("holder__username", flat=True)) == [
        "lanhdao",
        "lanhdao.btc",
    ]
    assert all(certificate.image for certificate in [*seals, *personal])
    assert "2 seal(s) and 2 personal certificate(s) issued" in summary


def test_loading_again_changes_nothing(demo_accounts):
    load_demo_signatures()
    counts = (CertificateAuthority.objects.count(), SigningCertificate.objects.count())
    audited = AuditRecord.objects.count()
    assert load_demo_signatures() == "already loaded"
    assert (CertificateAuthority.objects.count(), SigningCertificate.objects.count()) == counts
    assert AuditRecord.objects.count() == audited


def test_without_the_office_nothing_is_made(db):
    assert load_demo_signatures().startswith("skipped")
    assert not CertificateAuthority.objects.exists()


def test_the_signature_is_blue_on_a_transparent_background():
    image = picture(signature_png("Phạm Quốc Bảo"))
    assert 20 <= image.height < image.width <= 2000
    assert image.getpixel((0, 0))[3] == 0  # transparent corner
    inked = [pixel for pixel in image.get_flattened_data() if pixel[3] > 200]
    assert len(inked) > 500
    assert all(blue > red and blue > green for red, green, blue, _ in inked)


def test_the_seal_is_a_red_ring_with_a_star_on_a_transparent_background():
    image = picture(seal_png("Văn phòng Chính phủ"))
    assert image.size == (400, 400)
    assert image.getpixel((0, 0))[3] == 0 and image.getpixel((399, 399))[3] == 0
    red, green, blue, alpha = image.getpixel((200, 200))  # the star's centre
    assert alpha == 255 and red > 180 and green < 60 and blue < 60
    ring = image.getpixel((200, 14))  # the outer ring, at the top
    assert ring[3] > 200 and ring[0] > 150


def test_a_demo_leader_signs_with_his_picture(demo_accounts):
    load_demo_signatures()
    leader = SigningCertificate.objects.get(holder__username="lanhdao")
    signed = signing.sign_pdf(
        leader.holder,
        blank_pdf(),
        certificate=leader,
        level="B-B",
        appearance=signing.Appearance(
            box=(0.55, 0.1, 0.9, 0.22), lines=("Phó Chủ nhiệm",), image=bytes(leader.image)
        ),
    )
    assert verify_pdf(signed).verdict == Verdict.VALID
