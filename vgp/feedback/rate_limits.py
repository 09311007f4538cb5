"""The rate limits of the citizen feedback doors, on the counters of ``vgp.core.rate_limits``.

Policies (``FEEDBACK_RATE_LIMITS`` overrides any of them, e.g. ``{"ip": (30, 3600)}``):

- ``ip``: submissions per client address with a proof of work, 20 an hour;
- ``ip_no_script``: submissions without a proof of work (no JavaScript), 3 an hour;
- ``contact``: submissions per e-mail address or phone number, 5 a day;
- ``tracking``: lookups of the tracking page per address, 60 an hour;
- ``api_key``: API calls per key, 600 a minute.

``admission()`` is the core guard with the feedback doors' bound: at most
``FEEDBACK_MAX_IN_FLIGHT`` (8) requests of one kind at once in a process.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from contextlib import AbstractContextManager

from django.conf import settings

from vgp.core import rate_limits
from vgp.core.rate_limits import DAY, HOUR, Limit, Policy

# bench/feedback_worker.py takes every slot of the API's guard through this name, to measure
# what a refusal costs.
_semaphore = rate_limits._semaphore

DEFAULT_POLICIES: dict[str, Policy] = {
    "ip": Policy(20, HOUR),
    "ip_no_script": Policy(3, HOUR),
    "contact": Policy(5, DAY),
    "tracking": Policy(60, HOUR),
    "api_key": Policy(600, 60),
}


def policy(name: str) -> Policy:
    """The named policy, with ``FEEDBACK_RATE_LIMITS`` applied; a bad override fails loudly."""
    return rate_limits.policy_from_settings("FEEDBACK_RATE_LIMITS", name, DEFAULT_POLICIES)


def hit_policy(name: str, key: str) -> Limit:
    """Count one attempt against a named policy (``tracking``, ``api_key``, ...)."""
    chosen = policy(name)
    return rate_limits.hit(name, key, chosen.limit, chosen.window_seconds)


_NON_DIGITS = re.compile(r"\D")


def normalise_contact(contact: str) -> str:
    """One spelling per e-mail address or phone number, so that variants share a counter.

    E-mail addresses are stripped and lower-cased; phone numbers keep their digits, with the
    country code of Viet Nam (+84 or 0084) written as the leading 0 of national numbers.
    """
    value = contact.strip()
    if "@" in value:
        return value.lower()
    digits = _NON_DIGITS.sub("", value)
    if value.startswith("+") and digits.startswith("84"):
        return "0" + digits[2:]
    if digits.startswith("0084"):
        return "0" + digits[4:]
    return digits


def check_submission(ip: str, contacts: Sequence[str], with_proof: bool) -> Limit:
    """Count a submission against its address and every contact it gives; the first refusal.

    Every counter is hit even when an earlier one refuses (a refused attempt counts). The same
    contact written twice in one submission counts once. When everything allows it, the
    answer is the allowance with the fewest submissions left.
    """
    ip_policy = "ip" if with_proof else "ip_no_script"
    answers = [hit_policy(ip_policy, ip or "unknown")]
    normalised = {normalise_contact(contact) for contact in contacts}
    normalised.discard("")
    answers.extend(hit_policy("contact", contact) for contact in sorted(normalised))
    for answer in answers:
        if not answer.allowed:
            return answer
    return min(answers, key=lambda answer: answer.remaining)


def default_max_in_flight() -> int:
    return int(getattr(settings, "FEEDBACK_MAX_IN_FLIGHT", 8))


def admission(name: str) -> AbstractContextManager[None]:
    """``vgp.core.rate_limits.admission`` bounded by ``FEEDBACK_MAX_IN_FLIGHT``."""
    return rate_limits.admission(name, default_max_in_flight())
