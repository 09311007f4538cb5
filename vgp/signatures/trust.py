"""The roots a signature may chain to: the configured ones (``SIGNATURE_TRUST_ROOTS``) and
this installation's own root CAs, which the administrators created in the admin."""

from __future__ import annotations

from asn1crypto import x509 as asn1_x509

from . import trust_roots
from .models import AuthorityKind, CertificateAuthority


def own_roots() -> list[asn1_x509.Certificate]:
    return [
        asn1_x509.Certificate.load(bytes(der))
        for der in CertificateAuthority.objects.filter(kind=AuthorityKind.ROOT)
        .order_by("id")
        .values_list("certificate", flat=True)
    ]


def trusted_roots() -> tuple[asn1_x509.Certificate, ...]:
    configured = trust_roots.trust_roots()
    seen = {certificate.sha256 for certificate in configured}
    own = [certificate for certificate in own_roots() if certificate.sha256 not in seen]
    return (*configured, *own)
