"""The certification authority and the officials' certificates in the back office, in a real
browser (issue 7).

Anh Tuấn, IT administrator of the Government Office, creates the certification authority and
issues a personal certificate to ông Minh, a leader; ông Minh opens "My signing certificate"
and uploads his handwritten signature; anh Tuấn then revokes the certificate (ông Minh left
the Office). Both sign in with password and authenticator code, in their own browser. The list
of authorities, the list of certificates, the certificate's page and "My signing certificate"
pass axe-core (WCAG 2.1 AA); the certificate's page and "My signing certificate" are also
opened on a phone (390 by 844 pixels), photographed to /tmp/sig-*.png, and must not be wider than it.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from PIL import Image, ImageDraw

from vgp.accounts.roles import Role
from vgp.agencies.models import Agency, AgencyKind
from vgp.signatures import actions, signing
from vgp.signatures.admin_views import hex_pairs
from vgp.signatures.models import (
    CertificateAuthority,
    CertificateKind,
    CertificateStatus,
    RevocationReason,
    SigningCertificate,
)
from vgp.testing.factories import PASSWORD, AgencyFactory, UserFactory

from .accessibility import axe_violations, describe
from .test_staff_login import current_code

pytestmark = pytest.mark.browser

LOGIN = "/quan-tri/login/"
DASHBOARD = "/quan-tri/"
DESK = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
SHOTS = "/tmp/sig-{}.png"  # noqa: S108 - looked at by the developer


@dataclass
class Office:
    base_url: str
    agency: Agency
    users: dict[str, Any]
    browser: Any
    pages: dict[str, Any] = field(default_factory=dict)
    contexts: list[Any] = field(default_factory=list)


@pytest.fixture
def office(site, browser) -> Iterator[Office]:
    base_url, _pages = site
    signing.forget_cached()
    agency = AgencyFactory(
        code="000.00.00.G22",
        name_vi="Văn phòng Chính phủ",
        name_en="Government Office",
        abbreviation="VPCP",
        kind=AgencyKind.MINISTRY_LEVEL,
    )
    users = {
        "admin": UserFactory(
            username="tuan",
            first_name="Tuấn",
            last_name="Lê Minh",
            agency=agency,
            position="Quản trị hệ thống",
            roles=[Role.IT_ADMIN],
        ),
        "leader": UserFactory(
            username="minh",
            first_name="Minh",
            last_name="Trần Văn",
            agency=agency,
            position="Phó Chủ nhiệm",
            roles=[Role.LEADER],
        ),
    }
    for user in users.values():
        TOTPDevice.objects.create(user=user, name="điện thoại", confirmed=True)
    desk = Office(base_url, agency, users, browser)
    yield desk
    for context in desk.contexts:
        context.close()


def signed_in(office: Office, who: str) -> Any:
    """``who``'s own browser, signed in once with password and code (a code is accepted once)."""
    if who in office.pages:
        return office.pages[who]
    user = office.users[who]
    context = office.browser.new_context(viewport=DESK, locale="vi-VN")
    office.contexts.append(context)
    page = context.new_page()
    page.goto(office.base_url + LOGIN)
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.fill("#id_otp_token", current_code(TOTPDevice.objects.get(user=user)))
    with page.expect_navigation():
        page.locator("form button[type=submit]").click()
    assert page.url == office.base_url + DASHBOARD, f"{who} could not sign in"
    office.pages[who] = page
    return page


def go(page: Any, office: Office, path: str) -> None:
    response = page.goto(office.base_url + path)
    assert response is not None and response.ok, f"{path}: {response and response.status}"


def click_to(page: Any, locator: Any) -> None:
    with page.expect_navigation():
        locator.click()


def success_message(page: Any) -> str:
    found = page.locator(".messages li.success")
    assert found.count() == 1, page.locator("main").inner_text()[:2000]
    return found.inner_text()


def assert_accessible(page: Any) -> None:
    """No WCAG 2.1 A/AA violation. Wagtail's menu badge pings for 25 s: end it first, so that
    axe (which waits for every animation) judges the page at once."""
    page.evaluate(
        """() => document.getAnimations()
                .filter((a) => a.animationName === "ping-warning")
                .forEach((a) => a.finish())"""
    )
    violations = axe_violations(page)
    assert not violations, (
        f"axe found {len(violations)} WCAG 2.1 AA violation(s) on {page.url}:\n"
        + describe(violations)
    )


OVERFLOW_JS = """() => {
    // Elements of the page's content reaching past the window's right edge, unless a scroll
    // box that fits the window holds them (a table in its scroll box). Content clipped by
    // Wagtail's layout counts: a reader could not see it.
    const width = window.innerWidth;
    const main = document.querySelector("main");
    const found = [];
    for (const element of main.querySelectorAll("*")) {
        const box = element.getBoundingClientRect();
        if (box.width <= 1 || box.height <= 1 || box.right <= width + 1) continue;
        let held = false;
        for (let parent = element.parentElement; parent && parent !== main && !held; parent = parent.parentElement) {
            const scrolls = /auto|scroll/.test(getComputedStyle(parent).overflowX);
            held = scrolls && parent.getBoundingClientRect().right <= width + 1;
        }
        if (held) continue;
        found.push(`${element.tagName.toLowerCase()}.${element.getAttribute("class")} reaches ${Math.round(box.right)}px`);
    }
    return found.slice(0, 10);
}"""

CONTENT_HEIGHT_JS = """() => Math.ceil(Math.max(
    ...[...document.querySelectorAll("main .nice-padding")].map((e) => e.getBoundingClientRect().bottom)
)) + 32"""


def on_phone(page: Any, office: Office, name: str) -> None:
    """The page's address opened on a phone with the same session (a window narrowed after
    loading keeps Wagtail's desk layout): nothing wider than the screen, nothing
    inaccessible; then photographed whole to /tmp/sig-<name>.png (Wagtail's admin scrolls
    inside its layout: the window is made as tall as the content for the picture)."""
    phone = office.browser.new_context(
        storage_state=page.context.storage_state(),
        viewport=PHONE,
        locale="vi-VN",
        is_mobile=True,
        has_touch=True,
    )
    try:
        small = phone.new_page()
        go(small, office, page.url.removeprefix(office.base_url))
        assert small.evaluate(OVERFLOW_JS) == [], f"{name} is wider than a phone"
        assert_accessible(small)
        small.set_viewport_size({"width": PHONE["width"], "height": 4000})
        height = small.evaluate(CONTENT_HEIGHT_JS)
        small.set_viewport_size({"width": PHONE["width"], "height": max(height, PHONE["height"])})
        small.screenshot(path=SHOTS.format(name))
    finally:
        phone.close()


def signature_png() -> bytes:
    """Ông Minh's signature, scanned: blue ink on a transparent background."""
    image = Image.new("RGBA", (360, 120), (0, 0, 0, 0))
    ImageDraw.Draw(image).line(
        [(12, 90), (70, 20), (120, 95), (190, 30), (250, 85), (340, 40)],
        fill=(22, 46, 150, 255),
        width=6,
        joint="curve",
    )
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def test_the_administrator_runs_the_ca_and_the_official_keeps_his_certificate(
    office: Office,
) -> None:
    authorities = reverse("signature_authorities:index")
    certificates = reverse("signing_certificates:index")
    mine = reverse("my_signature:index")

    # 1. Anh Tuấn: no authority yet; he creates one.
    admin = signed_in(office, "admin")
    go(admin, office, authorities)
    assert admin.locator("#listing-results table tbody tr").count() == 0
    click_to(admin, admin.locator(f"a[href='{reverse('signature_authorities:create')}']").first)
    assert_accessible(admin)
    admin.select_option("#id_agency", str(office.agency.pk))
    admin.fill("#id_root_name", "VPCP Root CA")
    admin.fill("#id_issuing_name", "VPCP Issuing CA")
    admin.select_option("#id_algorithm", "ec-p256")
    click_to(admin, admin.locator("form.sig-form button[type=submit]"))
    assert admin.url == office.base_url + authorities
    assert "VPCP Root CA" in success_message(admin)
    assert CertificateAuthority.objects.count() == 2
    rows = admin.locator("#listing-results table tbody tr")
    assert rows.count() == 2
    issuing = actions.active_issuing()
    assert admin.locator(f"a[href='{reverse('pki:crl', args=[issuing.pk])}']").count() == 1
    assert_accessible(admin)
    admin.screenshot(path=SHOTS.format("authorities-1280"))

    # 2. He issues ông Minh's personal certificate.
    go(admin, office, certificates)
    assert_accessible(admin)
    click_to(admin, admin.locator(f"a[href='{reverse('signing_certificates:issue')}']").first)
    admin.check("input[name=kind][value=personal]")
    # He types the name without diacritics: the list narrows to ông Minh, chosen already.
    assert admin.locator("#id_holder option").count() > 2
    admin.locator("#holder-q").press_sequentially("tran van minh")
    admin.wait_for_function("document.querySelectorAll('#id_holder option').length === 2")
    assert admin.locator("#id_holder").input_value() == str(office.users["leader"].pk)
    assert "1 cán bộ khớp" in admin.locator("#holder-found").inner_text()
    assert_accessible(admin)
    admin.screenshot(path=SHOTS.format("issue-1280"))
    click_to(admin, admin.locator(".sig-form__buttons button[type=submit]"))
    certificate = SigningCertificate.objects.get(kind=CertificateKind.PERSONAL)
    detail = reverse("signing_certificates:detail", args=[certificate.pk])
    assert admin.url == office.base_url + detail
    success_message(admin)
    assert "Trần Văn Minh" in admin.locator("main").inner_text()
    assert_accessible(admin)
    go(admin, office, certificates)
    assert admin.get_by_role("link", name="Trần Văn Minh").count() == 1
    admin.screenshot(path=SHOTS.format("certificates-1280"))

    # 3. Ông Minh: his certificate, then his handwritten signature.
    leader = signed_in(office, "leader")
    go(leader, office, mine)
    # Shown in pairs as viewers do (an odd-length serial gains a leading 0); <wbr> between.
    assert hex_pairs(certificate.serial)[:5] in leader.locator("main").inner_text()
    assert_accessible(leader)
    leader.set_input_files(
        f"#id_image-{certificate.pk}",
        files=[{"name": "chu-ky.png", "mimeType": "image/png", "buffer": signature_png()}],
    )
    click_to(leader, leader.locator(f"form[action$='/{certificate.pk}/anh-chu-ky/'] button"))
    assert leader.url == office.base_url + mine
    success_message(leader)
    image = leader.locator("main img.sig-image")
    assert image.count() == 1 and "Trần Văn Minh" in (image.get_attribute("alt") or "")
    assert image.evaluate("img => img.complete && img.naturalWidth") == 360
    assert_accessible(leader)
    on_phone(leader, office, "mine-390")

    # 4. Anh Tuấn sees the image on the certificate's page, then revokes the certificate.
    go(admin, office, detail)
    assert admin.locator("main img.sig-image").count() == 1
    assert_accessible(admin)
    on_phone(admin, office, "detail-390")
    revoke = reverse("signing_certificates:step", args=[certificate.pk, "thu-hoi"])
    click_to(admin, admin.locator(f"a[href='{revoke}']"))
    assert_accessible(admin)
    click_to(admin, admin.locator("form.sig-form button[type=submit]"))  # no reason yet
    assert admin.url == office.base_url + revoke
    assert admin.locator("#id_reason").get_attribute("aria-invalid") == "true"
    assert SigningCertificate.objects.get(pk=certificate.pk).status == CertificateStatus.ACTIVE
    admin.select_option("#id_reason", RevocationReason.AFFILIATION_CHANGED.value)
    click_to(admin, admin.locator("form.sig-form button[type=submit]"))
    assert admin.url == office.base_url + detail
    success_message(admin)
    revoked = SigningCertificate.objects.get(pk=certificate.pk)
    assert revoked.status == CertificateStatus.REVOKED
    assert revoked.revocation_reason == RevocationReason.AFFILIATION_CHANGED
    assert admin.locator(f"a[href='{revoke}']").count() == 0
    admin.set_viewport_size({"width": DESK["width"], "height": 1600})
    admin.screenshot(path=SHOTS.format("detail-1280"))
    admin.set_viewport_size(DESK)

    # 5. Ông Minh's page now lists it among his earlier certificates; nothing to sign with.
    go(leader, office, mine)
    assert leader.locator(f"#id_image-{certificate.pk}").count() == 0
    earlier = leader.locator("main table.listing tbody tr")
    assert earlier.count() == 1
    assert re.search(r"\d\d/\d\d/\d{4}", earlier.inner_text())
    assert actions.current_certificate(office.users["leader"]) is None
    assert_accessible(leader)
