"""The self-hosted proof of work (ALTCHA protocol): challenges, solutions, replays, the widget."""

from __future__ import annotations

import base64
import hashlib
import json
import time

import pytest
import time_machine
from django.core.cache import cache
from django.template.loader import render_to_string
from django.test import RequestFactory, override_settings
from django.utils import translation

from vgp.feedback import proof_of_work
from vgp.feedback.proof_of_work import create_challenge, verify_solution

pytestmark = pytest.mark.usefixtures("_empty_cache")


@pytest.fixture
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def solve(challenge: dict) -> int:
    """Find the secret number by brute force, as the citizen's browser does."""
    for number in range(challenge["maxnumber"] + 1):
        digest = hashlib.sha256(f"{challenge['salt']}{number}".encode()).hexdigest()
        if digest == challenge["challenge"]:
            return number
    raise AssertionError("no solution within maxnumber")


def encode(payload: dict) -> str:
    return base64.b64encode(json.dumps(payload).encode()).decode()


def solution_payload(challenge: dict, number: int | None = None, **changes) -> str:
    """What the widget posts in the form field "altcha"."""
    payload = {
        "algorithm": challenge["algorithm"],
        "challenge": challenge["challenge"],
        "number": solve(challenge) if number is None else number,
        "salt": challenge["salt"],
        "signature": challenge["signature"],
        "took": 850,  # the widget adds how long it took; extra fields are ignored
    }
    payload.update(changes)
    return encode(payload)


@pytest.fixture
def easy():
    """A challenge a test solves in a few milliseconds."""
    with override_settings(FEEDBACK_POW_MAX_NUMBER=500):
        yield


# --- Challenges ----------------------------------------------------------------------------------


def test_challenge_has_the_fields_the_widget_reads():
    # When a challenge is created with the default difficulty
    challenge = create_challenge()

    # Then it carries the ALTCHA fields, an expiry in its salt, and the configured difficulty
    assert set(challenge) == {"algorithm", "challenge", "maxnumber", "salt", "signature"}
    assert challenge["algorithm"] == "SHA-256"
    assert challenge["maxnumber"] == 50_000
    assert proof_of_work.SALT_FORMAT.match(challenge["salt"])
    expires = int(challenge["salt"].split("expires=")[1].rstrip("&"))
    assert time.time() < expires <= time.time() + 15 * 60 + 1


def test_two_challenges_differ():
    assert create_challenge()["salt"] != create_challenge()["salt"]


def test_challenge_view_is_json_and_never_stored():
    # Given the challenge endpoint
    request = RequestFactory().get("/api/v1/feedback/challenge")

    # When a browser asks for a challenge
    response = proof_of_work.challenge_view(request)

    # Then it gets one, which no cache may keep
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert json.loads(response.content)["algorithm"] == "SHA-256"


def test_challenge_view_refuses_post():
    request = RequestFactory().post("/api/v1/feedback/challenge")

    assert proof_of_work.challenge_view(request).status_code == 405


# --- Solutions -----------------------------------------------------------------------------------


@pytest.mark.usefixtures("easy")
def test_solution_is_accepted_once_and_its_replay_refused():
    # Given a challenge the citizen's browser solved
    payload = solution_payload(create_challenge())

    # When the form is posted, then posted again with the same solution
    first = verify_solution(payload)
    replay = verify_solution(payload)

    # Then the first passes and the replay is refused
    assert first is True
    assert replay is False


@pytest.mark.usefixtures("easy")
def test_tampered_signature_is_refused():
    challenge = create_challenge()
    forged = "0" * 64 if challenge["signature"] != "0" * 64 else "1" * 64

    assert verify_solution(solution_payload(challenge, signature=forged)) is False


@pytest.mark.usefixtures("easy")
def test_challenge_made_up_by_the_client_is_refused():
    # Given a bot that makes its own easy challenge and signs it with a guessed key
    salt = "a" * 24 + f"?expires={int(time.time()) + 600}&"
    challenge = hashlib.sha256(f"{salt}1".encode()).hexdigest()
    payload = encode(
        {
            "algorithm": "SHA-256",
            "challenge": challenge,
            "number": 1,
            "salt": salt,
            "signature": hashlib.sha256(challenge.encode()).hexdigest(),
        }
    )

    # When / Then it is refused
    assert verify_solution(payload) is False


@pytest.mark.usefixtures("easy")
def test_wrong_number_is_refused():
    challenge = create_challenge()
    number = solve(challenge)

    assert verify_solution(solution_payload(challenge, number=number + 1)) is False


@pytest.mark.usefixtures("easy")
def test_expired_solution_is_refused():
    # Given a challenge solved now
    payload = solution_payload(create_challenge())

    # When it is posted sixteen minutes later (challenges live fifteen)
    with time_machine.travel(time.time() + 16 * 60, tick=False):
        accepted = verify_solution(payload)

    # Then it is refused
    assert accepted is False


@pytest.mark.usefixtures("easy")
def test_digits_moved_from_number_into_salt_are_refused():
    # Given a valid solution whose number has several digits
    challenge = create_challenge()
    number = solve(challenge)
    while number < 10:
        challenge = create_challenge()
        number = solve(challenge)
    digits = str(number)

    # When a client moves the number's first digit into the salt (same hash, same signature,
    # and, without the salt's "&" terminator, a later expiry)
    spliced = solution_payload(
        challenge, number=int(digits[1:]), salt=challenge["salt"] + digits[0]
    )

    # Then it is refused
    assert verify_solution(spliced) is False


@pytest.mark.usefixtures("easy")
def test_other_algorithm_is_refused():
    challenge = create_challenge()

    assert verify_solution(solution_payload(challenge, algorithm="SHA-1")) is False


@pytest.mark.usefixtures("easy")
@pytest.mark.parametrize("number", [True, "12", 1.0, -1, 10**12])
def test_number_that_is_not_a_small_integer_is_refused(number):
    challenge = create_challenge()

    assert verify_solution(solution_payload(challenge, number=number)) is False


@pytest.mark.parametrize(
    "payload",
    [
        "",
        "not base64 at all!!",
        base64.b64encode(b"\xff\xfe not utf-8").decode(),
        base64.b64encode(b"not json").decode(),
        base64.b64encode(b"[1, 2, 3]").decode(),
        base64.b64encode(b'{"algorithm": "SHA-256"}').decode(),
        base64.b64encode(b'{"algorithm": "SHA-256", "challenge": 5, "salt": null}').decode(),
        "QUFB" * 1000,
    ],
)
def test_garbage_is_refused_without_exception(payload):
    assert verify_solution(payload) is False


# --- Without JavaScript; the widget --------------------------------------------------------------


def test_form_without_solution_is_allowed_by_default():
    assert proof_of_work.fallback_allowed() is True


@override_settings(FEEDBACK_POW_REQUIRED=True)
def test_form_without_solution_can_be_refused_by_setting():
    assert proof_of_work.fallback_allowed() is False


def test_widget_strings_cover_what_the_widget_shows():
    strings = proof_of_work.widget_strings()

    assert {"label", "verifying", "verified", "error", "expired", "waitAlert"} <= set(strings)
    assert all(isinstance(text, str) and text for text in strings.values())


def test_include_renders_the_widget_its_texts_and_a_noscript_note():
    # When the include is rendered with the context the module provides
    with translation.override("en"):
        html = render_to_string(
            "feedback/includes/proof_of_work.html", proof_of_work.widget_context()
        )

    # Then it holds the widget, fed by our challenge endpoint, its texts, both scripts, and
    # an explanation for browsers without JavaScript
    assert '<altcha-widget challenge="/api/v1/feedback/challenge" name="altcha"' in html
    assert 'id="feedback-altcha-strings"' in html
    assert "vendor/altcha/altcha.min.js" in html
    assert "feedback/altcha_strings.js" in html
    assert "<noscript>" in html
    assert "fewer submissions per hour" in html
