"""A self-hosted proof of work for the public feedback forms (the ALTCHA protocol).

The server hands out a challenge: a random salt carrying its expiry
(``<hex>?expires=<unix time>&``), ``challenge = sha256(salt + str(n))`` for a secret random
``n <= maxnumber``, and an HMAC of the challenge so that the server needs to remember nothing.
The browser (the ``altcha`` widget, served from ``vendor/altcha/``) finds ``n`` by brute force
and posts it base64-encoded JSON in the form field ``altcha``; ``verify_solution`` checks it.
No outside service is called, and no third party sees the citizen.

The salt ends with ``&``: without a terminator, digits could be moved from the number into the
salt's ``expires`` (same hash, same signature, a later expiry), the "salt splicing" weakness of
the ALTCHA libraries fixed the same way upstream. A verified challenge is remembered in Django's
cache until it expires, so each solution is accepted once.

Without JavaScript the widget cannot run. ``fallback_allowed()`` says whether a form without a
solution may still be accepted (``FEEDBACK_POW_REQUIRED`` is False, the default): the view then
applies the tighter ``ip_no_script`` rate limit (``rate_limits.check_submission(...,
with_proof=False)``) instead of refusing a citizen whose browser runs no scripts.

Settings: ``FEEDBACK_POW_MAX_NUMBER`` (difficulty, 50,000: about a second on a phone),
``FEEDBACK_POW_EXPIRES_SECONDS`` (how long a challenge may be solved and submitted, 15 min),
``FEEDBACK_POW_REQUIRED`` (False).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import re
import secrets
import time
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, JsonResponse
from django.utils.crypto import salted_hmac
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

ALGORITHM = "SHA-256"
FIELD_NAME = "altcha"
CHALLENGE_PATH = "/api/v1/feedback/challenge"
# Where build_assets.mjs puts the widget (relative to STATIC_URL).
WIDGET_SCRIPT = "vendor/altcha/altcha.min.js"
STRINGS_SCRIPT = "feedback/altcha_strings.js"

KEY_PURPOSE = "vgp.feedback.proof_of_work"
SALT_BYTES = 12
# <24 hex>?expires=<unix seconds>& and nothing else: anything looser would let a client shape
# the salt (see the module docstring on splicing).
SALT_FORMAT = re.compile(r"^[0-9a-f]{24}\?expires=(\d{1,12})&$")
HEX_DIGEST = re.compile(r"^[0-9a-f]{64}$")
MAX_PAYLOAD_CHARS = 2000
MAX_NUMBER_LIMIT = 10**9  # the most difficulty a setting may ask for; also bounds posted numbers
USED_KEY_PREFIX = "vgp:pow:used:"


def default_max_number() -> int:
    """The difficulty: the largest secret number a challenge may hide."""
    value = int(getattr(settings, "FEEDBACK_POW_MAX_NUMBER", 50_000))
    if not 1 <= value <= MAX_NUMBER_LIMIT:
        raise ValueError(f"FEEDBACK_POW_MAX_NUMBER must be between 1 and {MAX_NUMBER_LIMIT}")
    return value


def expires_seconds() -> int:
    return int(getattr(settings, "FEEDBACK_POW_EXPIRES_SECONDS", 15 * 60))


def fallback_allowed() -> bool:
    """May a form without a solution be accepted (under the no-script rate limit)?"""
    return getattr(settings, "FEEDBACK_POW_REQUIRED", False) is False


def _hmac_key() -> bytes:
    # A key of its own, derived from SECRET_KEY: a signature made here is worth nothing to any
    # other part of Django that signs with SECRET_KEY, and the reverse.
    return salted_hmac(KEY_PURPOSE, "altcha-hmac-key", algorithm="sha256").digest()


def _sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _sign(challenge: str) -> str:
    return hmac.new(_hmac_key(), challenge.encode(), hashlib.sha256).hexdigest()


def create_challenge(max_number: int | None = None) -> dict[str, Any]:
    """A new signed challenge, as the ALTCHA widget expects it."""
    limit = default_max_number() if max_number is None else max_number
    if not 1 <= limit <= MAX_NUMBER_LIMIT:
        raise ValueError(f"max_number must be between 1 and {MAX_NUMBER_LIMIT}")
    expires = int(time.time()) + expires_seconds()
    salt = f"{secrets.token_hex(SALT_BYTES)}?expires={expires}&"
    secret_number = secrets.randbelow(limit + 1)
    challenge = _sha256_hex(f"{salt}{secret_number}")
    return {
        "algorithm": ALGORITHM,
        "challenge": challenge,
        "maxnumber": limit,
        "salt": salt,
        "signature": _sign(challenge),
    }


def challenge_response() -> dict[str, Any]:
    """The body of ``GET /api/v1/feedback/challenge``."""
    return create_challenge()


@never_cache
@require_GET
def challenge_view(request: HttpRequest) -> JsonResponse:
    """``GET /api/v1/feedback/challenge``: a fresh challenge, never cached by anyone."""
    response = JsonResponse(challenge_response())
    # never_cache already sends no-cache, no-store, must-revalidate, private; say it plainly.
    response["Cache-Control"] = "no-store, max-age=0"
    return response


def _decode(payload: str) -> dict[str, Any] | None:
    if not isinstance(payload, str) or not payload or len(payload) > MAX_PAYLOAD_CHARS:
        return None
    try:
        data = json.loads(base64.b64decode(payload.strip(), validate=True))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return None
    return data if isinstance(data, dict) else None


def verify_solution(payload: str) -> bool:
    """Is this the base64 JSON posted by the widget a valid, unexpired, first-time solution?

    Never raises on bad input: anything malformed is simply not a solution.
    """
    data = _decode(payload)
    if data is None:
        return False
    algorithm = data.get("algorithm")
    challenge = data.get("challenge")
    number = data.get("number")
    salt = data.get("salt")
    signature = data.get("signature")
    if algorithm != ALGORITHM:
        return False
    if not (isinstance(challenge, str) and HEX_DIGEST.match(challenge)):
        return False
    if not (isinstance(signature, str) and HEX_DIGEST.match(signature)):
        return False
    # bool is an int in Python; True is not a number anyone solved.
    if type(number) is not int or not 0 <= number <= MAX_NUMBER_LIMIT:
        return False
    if not isinstance(salt, str):
        return False
    salt_match = SALT_FORMAT.match(salt)
    if salt_match is None:
        return False
    if not hmac.compare_digest(_sign(challenge), signature):
        return False
    expires = int(salt_match.group(1))
    now = int(time.time())
    if expires <= now:
        return False
    if not hmac.compare_digest(_sha256_hex(f"{salt}{number}"), challenge):
        return False
    # Single use: the first caller to add the key wins; a replay finds it there. The entry
    # lives until the challenge would have expired anyway.
    return bool(cache.add(f"{USED_KEY_PREFIX}{challenge}", 1, timeout=expires - now + 1))


def widget_strings() -> dict[str, str]:
    """The widget's texts in the current language, in the keys of ALTCHA's i18n tables."""
    return {
        "ariaLinkLabel": _("ALTCHA (official website)"),
        "cancel": _("Cancel"),
        "enterCode": _("Enter code"),
        "enterCodeAria": _("Enter the code you hear. Press Space to play the audio."),
        "enterCodeFromImage": _("To continue, enter the code from the image below."),
        "error": _("Verification failed. Please try again later."),
        "expired": _("Verification expired. Please try again."),
        # Shown as HTML by the widget: plain text only, and no link to a third-party site.
        "footer": _("Protected by ALTCHA"),
        "getAudioChallenge": _("Get an audio challenge"),
        "label": _("I am not a robot"),
        "loading": _("Loading…"),
        "reload": _("Reload"),
        "verify": _("Verify"),
        "verificationRequired": _("Verification required."),
        "verified": _("Verified"),
        "verifying": _("Verifying…"),
        "waitAlert": _("Verifying… please wait."),
    }


def widget_context() -> dict[str, Any]:
    """What ``feedback/includes/proof_of_work.html`` needs, to merge into a view's context."""
    return {
        "challenge_url": CHALLENGE_PATH,
        "altcha_language": get_language() or settings.LANGUAGE_CODE,
        "altcha_strings": widget_strings(),
        "altcha_field_name": FIELD_NAME,
    }
