"""The sample files and the test CA of the verification tests.

The real signed PDFs are pyHanko's own test files (MIT), kept in ``../shared/data/signatures``
beside the project with the certificates of pyHanko's test CA (README of shared/data). Tests
that need them are skipped, with the folder named, when it is absent.

Personas: chị Lan, a citizen who received a signed PDF and checks it on the portal; an agency's
system checking files through the API. Neither signs in.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import override_settings

from vgp.accounts.roles import Role
from vgp.signatures import actions, signing
from vgp.signatures.models import CertificateKind
from vgp.testing.factories import AgencyFactory, UserFactory

SAMPLES = Path(settings.BASE_DIR).parent / "shared" / "data" / "signatures"
TEST_ROOT = SAMPLES / "root_root.cert.pem"
TSA_ROOT = SAMPLES / "root_tsa.cert.pem"

needs_samples = pytest.mark.skipif(
    not SAMPLES.is_dir(), reason=f"the shared signature samples are absent ({SAMPLES})"
)


def sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


@pytest.fixture(autouse=True)
def empty_cache() -> Iterator[None]:
    # The rate limits count in the cache: every test starts with none spent.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def trusted_test_ca() -> Iterator[None]:
    """pyHanko's test root (and its TSA's certificate) trusted, as an administrator would
    configure a real root in SIGNATURE_TRUST_ROOTS."""
    with override_settings(SIGNATURE_TRUST_ROOTS=[str(TEST_ROOT), str(TSA_ROOT)]):
        yield


@pytest.fixture
def nothing_trusted() -> Iterator[None]:
    with override_settings(SIGNATURE_TRUST_ROOTS=[]):
        yield


_LOCAL = ("127.", "::1", "localhost", "0.0.0.0")  # noqa: S104  (compared, never bound)


@pytest.fixture
def network_guard(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Fail (and record) any attempt to resolve or reach a host that is not this machine."""
    attempts: list[str] = []
    real_getaddrinfo = socket.getaddrinfo
    real_connect = socket.socket.connect

    def getaddrinfo(host, *args, **kwargs):  # type: ignore[no-untyped-def]
        if host is not None and not str(host).startswith(_LOCAL):
            attempts.append(f"resolve {host}")
            raise OSError(f"network disabled in tests: {host}")
        return real_getaddrinfo(host, *args, **kwargs)

    def connect(self, address):  # type: ignore[no-untyped-def]
        host = address[0] if isinstance(address, tuple) else str(address)
        if not str(host).startswith(_LOCAL) and not str(address).startswith("/"):
            attempts.append(f"connect {address}")
            raise OSError(f"network disabled in tests: {address}")
        return real_connect(self, address)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(socket.socket, "connect", connect)
    return attempts


# --- The agency's certification authority and its people (the signing tests) ----------------
# Personas: anh Tuấn, the IT administrator who runs the CA; ông Minh, a leader who signs with
# his own certificate; bà Thu, another leader, who must not be able to use ông Minh's key;
# chị Hoa, the clerk who puts the organisation's seal but runs no CA.


@pytest.fixture
def agency() -> Any:
    return AgencyFactory(code="000.00.01.H01", name_vi="Văn phòng Chính phủ", abbreviation="VPCP")


@pytest.fixture
def tuan(agency: Any) -> Any:
    return UserFactory(username="tuan", agency=agency, roles=[Role.IT_ADMIN])


@pytest.fixture
def minh(agency: Any) -> Any:
    return UserFactory(
        username="minh",
        first_name="Minh",
        last_name="Trần Văn",
        agency=agency,
        position="Phó Chủ nhiệm",
        roles=[Role.LEADER],
    )


@pytest.fixture
def thu(agency: Any) -> Any:
    return UserFactory(
        username="thu", first_name="Thu", last_name="Lê Thị", agency=agency, roles=[Role.LEADER]
    )


@pytest.fixture
def hoa(agency: Any) -> Any:
    return UserFactory(username="hoa", agency=agency, roles=[Role.CLERK])


@pytest.fixture
def root(tuan: Any, agency: Any) -> Any:
    """The Office's root, its issuing CA and its time-stamp authority, made by anh Tuấn."""
    signing.forget_cached()
    return actions.create_authority(
        tuan, agency=agency, root_name="VPCP Root CA", issuing_name="VPCP Issuing CA"
    )


@pytest.fixture
def minh_certificate(root: Any, tuan: Any, minh: Any) -> Any:
    return actions.issue_certificate(tuan, kind=CertificateKind.PERSONAL, holder=minh)


@pytest.fixture
def seal(root: Any, tuan: Any, agency: Any) -> Any:
    return actions.issue_certificate(tuan, kind=CertificateKind.SEAL, agency=agency)
