"""SIGNATURE_TRUST_ROOTS: read from files, checked at start-up, never the system's roots."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from vgp.signatures.trust_roots import check_trust_roots, trust_roots

from .conftest import TEST_ROOT, needs_samples


@needs_samples
def test_a_pem_file_gives_its_certificates():
    with override_settings(SIGNATURE_TRUST_ROOTS=[str(TEST_ROOT)]):
        (root,) = trust_roots()
        assert root.subject.native["common_name"] == "Root CA"
        assert check_trust_roots() == []


def test_nothing_configured_is_nothing_trusted():
    with override_settings(SIGNATURE_TRUST_ROOTS=[]):
        assert trust_roots() == ()


def test_a_bad_path_stops_the_checks_and_the_verification(tmp_path):
    empty = tmp_path / "empty.pem"
    empty.write_text("not a certificate")
    paths = [str(tmp_path / "missing.pem"), str(empty)]
    with override_settings(SIGNATURE_TRUST_ROOTS=paths):
        problems = check_trust_roots()
        assert [problem.id for problem in problems] == ["signatures.E001", "signatures.E001"]
        assert "missing.pem" in problems[0].msg
        with pytest.raises(ImproperlyConfigured):
            trust_roots()


def test_the_environment_variable_takes_both_separators(monkeypatch):
    import importlib

    from vgp.settings import base

    monkeypatch.setenv("SIGNATURE_TRUST_ROOTS", "/etc/vgp/a.pem:/etc/vgp/b.pem, /etc/vgp/c.pem")
    try:
        reloaded = importlib.reload(base)
        assert reloaded.SIGNATURE_TRUST_ROOTS == [
            "/etc/vgp/a.pem",
            "/etc/vgp/b.pem",
            "/etc/vgp/c.pem",
        ]
    finally:
        monkeypatch.delenv("SIGNATURE_TRUST_ROOTS")
        importlib.reload(base)
