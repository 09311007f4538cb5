"""The rate limit of the verification doors, on the counters of ``vgp.core.rate_limits``.

One policy, ``ip``: checks per client address, the page and the API counted together, 30 per
ten minutes by default (``SIGNATURE_VERIFY_RATE_LIMITS = {"ip": (limit, window_seconds)}`` in a
settings file overrides it). ``admission()`` bounds the checks running at once in a process
(``SIGNATURE_VERIFY_MAX_IN_FLIGHT``): a PDF's difference analysis can take a core for a while.
"""

from __future__ import annotations

from contextlib import AbstractContextManager

from django.conf import settings

from vgp.core import rate_limits
from vgp.core.rate_limits import MINUTE, Limit, Policy

SCOPE = "signature_verify"
ADMISSION_NAME = "signature-verify"

DEFAULT_POLICIES: dict[str, Policy] = {"ip": Policy(30, 10 * MINUTE)}


def policy(name: str = "ip") -> Policy:
    return rate_limits.policy_from_settings("SIGNATURE_VERIFY_RATE_LIMITS", name, DEFAULT_POLICIES)


def hit_ip(ip: str | None) -> Limit:
    """Count one check from this client address."""
    chosen = policy("ip")
    return rate_limits.hit(SCOPE, ip or "unknown", chosen.limit, chosen.window_seconds)


def admission() -> AbstractContextManager[None]:
    return rate_limits.admission(
        ADMISSION_NAME, int(getattr(settings, "SIGNATURE_VERIFY_MAX_IN_FLIGHT", 4))
    )
