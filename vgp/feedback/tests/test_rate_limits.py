"""The feedback doors' policies: per address, per contact, overrides in settings, and the
admission bound. Counting, windows and the guard itself: vgp/core/tests/test_rate_limits.py."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from vgp.core.rate_limits import Overloaded
from vgp.feedback import rate_limits
from vgp.feedback.rate_limits import (
    admission,
    check_submission,
    hit_policy,
    normalise_contact,
)

# A quiet moment: ten minutes into an hour, so hourly windows have fifty minutes left.
TEN_PAST_NINE = datetime(2025, 3, 4, 9, 10, tzinfo=UTC)

pytestmark = pytest.mark.usefixtures("_empty_cache", "clock")


@pytest.fixture
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def clock():
    with time_machine.travel(TEN_PAST_NINE, tick=False) as traveller:
        yield traveller


@pytest.mark.parametrize(
    ("variants", "expected"),
    [
        (["A@X.vn ", "a@x.vn", " a@X.VN"], "a@x.vn"),
        (["+84 912 345 678", "0912345678", "0912.345.678", "0084912345678"], "0912345678"),
    ],
)
def test_contact_variants_are_one_contact(variants, expected):
    assert {normalise_contact(variant) for variant in variants} == {expected}


def test_contact_variants_share_one_counter():
    # Given a citizen who submitted five times today with different spellings of one address
    for spelling in ["A@X.vn ", "a@x.vn", "A@x.VN", "a@X.vn", " a@x.vn"]:
        assert check_submission("203.0.113.7", [spelling], with_proof=True).allowed

    # When a sixth submission comes, from another address
    answer = check_submission("198.51.100.20", ["a@x.vn"], with_proof=True)

    # Then the contact's daily limit refuses it
    assert not answer.allowed
    assert answer.policy == "contact"
    assert answer.retry_after == (24 * 60 - 9 * 60 - 10) * 60  # until midnight UTC


def test_phone_variants_share_one_counter():
    for _ in range(5):
        check_submission("203.0.113.7", ["+84 912 345 678"], with_proof=True)

    assert not check_submission("203.0.113.8", ["0912345678"], with_proof=True).allowed


def test_submission_without_proof_of_work_has_the_tighter_limit():
    # Given an address without JavaScript that submitted three times this hour
    answers = [check_submission("203.0.113.7", [], with_proof=False) for _ in range(4)]

    # Then the fourth is refused by the no-script limit
    assert [answer.allowed for answer in answers] == [True, True, True, False]
    assert answers[3].policy == "ip_no_script"
    # and submissions with a proof of work from that address are counted separately
    assert check_submission("203.0.113.7", [], with_proof=True).allowed


def test_refused_attempts_still_count():
    # Given an address refused for its contact's limit
    for _ in range(6):
        check_submission("203.0.113.7", ["a@x.vn"], with_proof=True)

    # Then those refused attempts used the address's allowance too (6 of 20)
    answer = hit_policy("ip", "203.0.113.7")
    assert answer.remaining == 20 - 7


def test_allowed_submission_reports_the_tightest_remaining():
    answer = check_submission("203.0.113.7", ["a@x.vn", "0912345678"], with_proof=True)

    assert answer.allowed
    assert answer.remaining == 4  # the contacts' 5 a day, not the address's 20 an hour


@override_settings(FEEDBACK_RATE_LIMITS={"tracking": (2, 60)})
def test_policies_can_be_overridden_in_settings():
    answers = [hit_policy("tracking", "203.0.113.7") for _ in range(3)]

    assert [answer.allowed for answer in answers] == [True, True, False]
    assert rate_limits.policy("ip").limit == 20  # the others keep their defaults


@override_settings(FEEDBACK_RATE_LIMITS={"ip": "twenty"})
def test_bad_override_fails_loudly():
    with pytest.raises(ImproperlyConfigured, match="FEEDBACK_RATE_LIMITS"):
        rate_limits.policy("ip")


@override_settings(FEEDBACK_MAX_IN_FLIGHT=1)
def test_the_feedback_guard_admits_feedback_max_in_flight_at_once():
    with admission("test-feedback"), pytest.raises(Overloaded), admission("test-feedback"):
        pass
