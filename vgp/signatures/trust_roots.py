"""The certificates whose chains this installation trusts, from ``SIGNATURE_TRUST_ROOTS``.

Each path names a PEM file (one or more certificates) or a DER file. The files are read once
per process and again when one of them changes (its size or modification time), so that an
administrator replacing a root does not need a restart. A path that cannot be read, or holds
no certificate, stops ``manage.py check`` (and so a deployment) with the path named; a request
meeting it fails loudly rather than quietly trusting fewer roots than configured.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from asn1crypto import pem, x509
from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

_lock = threading.Lock()
_cache: dict[tuple[Any, ...], tuple[x509.Certificate, ...]] = {}


def configured_paths() -> list[Path]:
    return [Path(path) for path in getattr(settings, "SIGNATURE_TRUST_ROOTS", []) or []]


def read_certificates(path: Path) -> list[x509.Certificate]:
    """Every certificate in one file; ``ValueError`` naming the file when there is none."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ValueError(f"{path}: {error.strerror or error}") from error
    try:
        if pem.detect(data):
            certificates = [
                x509.Certificate.load(der)
                for kind, _headers, der in pem.unarmor(data, multiple=True)
                if kind == "CERTIFICATE"
            ]
        else:
            certificates = [x509.Certificate.load(data)]
        for certificate in certificates:
            certificate.native  # noqa: B018  (parses it whole: a damaged file fails here)
    except (ValueError, TypeError) as error:
        raise ValueError(f"{path}: not a PEM or DER certificate ({error})") from error
    if not certificates:
        raise ValueError(f"{path}: no certificate in the file")
    return certificates


def _signature(paths: Sequence[Path]) -> tuple[Any, ...]:
    found: list[Any] = []
    for path in paths:
        try:
            stat = path.stat()
            found.append((str(path), stat.st_size, stat.st_mtime_ns))
        except OSError:
            found.append((str(path), None, None))
    return tuple(found)


def trust_roots() -> tuple[x509.Certificate, ...]:
    """The trusted certificates, read again only when a file changed."""
    paths = configured_paths()
    key = _signature(paths)
    with _lock:
        cached = _cache.get(key)
        if cached is not None:
            return cached
    roots: list[x509.Certificate] = []
    for path in paths:
        try:
            roots.extend(read_certificates(path))
        except ValueError as error:
            raise ImproperlyConfigured(f"SIGNATURE_TRUST_ROOTS: {error}") from error
    result = tuple(roots)
    with _lock:
        _cache.clear()
        _cache[key] = result
    return result


@checks.register(checks.Tags.security)
def check_trust_roots(**kwargs: Any) -> list[checks.CheckMessage]:
    problems: list[checks.CheckMessage] = []
    for path in configured_paths():
        try:
            read_certificates(path)
        except ValueError as error:
            problems.append(
                checks.Error(
                    f"SIGNATURE_TRUST_ROOTS: {error}",
                    hint="Give the paths of PEM or DER certificate files, separated by ':' or ','.",
                    id="signatures.E001",
                )
            )
    return problems
