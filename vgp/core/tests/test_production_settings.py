"""Production settings refuse to start unsafe, and pass Django's deployment check."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
GOOD_KEY = "k" * 20 + "Zq8#vX2!mP0@rT5$wY7&" + "n" * 20


def run(env_overrides: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "ALLOWED_HOSTS", "DEBUG"}}
    env.update({"DJANGO_SETTINGS_MODULE": "vgp.settings.base", **env_overrides})
    return subprocess.run(  # noqa: S603 — fixed argv, our own manage.py
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_refuses_to_start_without_secret_key():
    result = run({"DJANGO_ENV": "production", "ALLOWED_HOSTS": "portal.gov.vn"}, "check")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_refuses_to_start_without_allowed_hosts():
    result = run({"DJANGO_ENV": "production", "SECRET_KEY": GOOD_KEY}, "check")
    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr


def test_refuses_to_turn_off_the_second_factor():
    result = run(
        {
            "DJANGO_ENV": "production",
            "SECRET_KEY": GOOD_KEY,
            "ALLOWED_HOSTS": "portal.gov.vn",
            "SIGNATURE_KEY_PASSPHRASE": "a long enough signing key passphrase",
            "VGP_REQUIRE_2FA": "false",
        },
        "check",
    )
    assert result.returncode != 0
    assert "VGP_REQUIRE_2FA" in result.stderr


def test_deploy_check_is_clean_with_the_documented_environment():
    result = run(
        {
            "DJANGO_ENV": "production",
            "SECRET_KEY": GOOD_KEY,
            "ALLOWED_HOSTS": "portal.gov.vn",
            "SIGNATURE_KEY_PASSPHRASE": "a long enough signing key passphrase",
            "CACHE_URL": "redis://127.0.0.1:6379/0",
        },
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_refuses_to_start_without_the_signing_key_passphrase():
    result = run(
        {"DJANGO_ENV": "production", "SECRET_KEY": GOOD_KEY, "ALLOWED_HOSTS": "portal.gov.vn"},
        "check",
    )
    assert result.returncode != 0
    assert "SIGNATURE_KEY_PASSPHRASE" in result.stderr


def test_a_malformed_variable_fails_loudly():
    result = run({"CACHE_URL": "memcached://x"}, "check")
    assert result.returncode != 0
    assert "CACHE_URL" in result.stderr
