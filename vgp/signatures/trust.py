"""The roots a signature may chain to: the configured ones (``SIGNATURE_TRUST_ROOTS``) and
this installation's own root CAs, which the administrators created in the admin."""

from __future__ import annotations

import threading

from asn1crypto import x509 as asn1_x509

from . import trust_roots
from .models import AuthorityKind, CertificateAuthority

_lock = threading.Lock()
# Parsed roots by fingerprint. Kept parsed, a root keeps what asn1crypto worked out about it
# (its names prepared for comparison: Vietnamese names cost it most), which every validation
# would otherwise redo.
_parsed: dict[str, asn1_x509.Certificate] = {}


def own_roots() -> list[asn1_x509.Certificate]:
    rows = (
        CertificateAuthority.objects.filter(kind=AuthorityKind.ROOT)
        .order_by("id")
        .values_list("fingerprint", flat=True)
    )
    fingerprints = list(rows)
    with _lock:
        missing = [fingerprint for fingerprint in fingerprints if fingerprint not in _parsed]
    if missing:
        loaded = {
            fingerprint: asn1_x509.Certificate.load(bytes(der))
            for fingerprint, der in CertificateAuthority.objects.filter(
                fingerprint__in=missing
            ).values_list("fingerprint", "certificate")
        }
        with _lock:
            _parsed.update(loaded)
    with _lock:
        return [_parsed[fingerprint] for fingerprint in fingerprints if fingerprint in _parsed]


def trusted_roots() -> tuple[asn1_x509.Certificate, ...]:
    configured = trust_roots.trust_roots()
    seen = {certificate.sha256 for certificate in configured}
    own = [certificate for certificate in own_roots() if certificate.sha256 not in seen]
    return (*configured, *own)
