"""Rate limits per address and per contact, windows, and the load-shedding guard."""

from __future__ import annotations

import threading
import uuid
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory, override_settings

from vgp.feedback import rate_limits
from vgp.feedback.rate_limits import (
    Overloaded,
    admission,
    check_submission,
    hit,
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


# --- Counting ------------------------------------------------------------------------------------


def test_limit_is_reached_at_the_right_count_and_the_next_hit_is_refused():
    # Given a limit of 3 an hour
    answers = [hit("ip", "203.0.113.7", limit=3, window_seconds=3600) for _ in range(4)]

    # Then the first three pass, counting down, and the fourth is refused until the hour ends
    assert [answer.allowed for answer in answers] == [True, True, True, False]
    assert [answer.remaining for answer in answers] == [2, 1, 0, 0]
    assert answers[3].retry_after == 50 * 60


def test_different_addresses_are_counted_apart():
    # Given one address that used up its allowance
    for _ in range(3):
        hit("ip", "203.0.113.7", limit=2, window_seconds=3600)

    # When another address submits
    answer = hit("ip", "198.51.100.20", limit=2, window_seconds=3600)

    # Then it is allowed
    assert answer.allowed


def test_window_resets_when_it_ends(clock):
    # Given an address refused in this hour's window
    for _ in range(3):
        last = hit("ip", "203.0.113.7", limit=2, window_seconds=3600)
    assert not last.allowed

    # When the hour is over
    clock.move_to(TEN_PAST_NINE + timedelta(minutes=51))

    # Then it may submit again
    assert hit("ip", "203.0.113.7", limit=2, window_seconds=3600).allowed


def test_cache_keys_hold_no_personal_data():
    # When a contact is counted
    hit_policy("contact", "lan.tran@example.vn")

    # Then its counter lives under a hashed key that says nothing of the address
    window = int(TEN_PAST_NINE.timestamp() // (24 * 3600))
    key = rate_limits._cache_key("contact", "lan.tran@example.vn", window)
    assert cache.get(key) == 1
    assert key.startswith(rate_limits.KEY_PREFIX)
    assert "lan" not in key
    assert "example" not in key


# --- Policies and submissions --------------------------------------------------------------------


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


def test_client_ip_is_the_projects_own():
    from vgp.core.request_context import client_ip

    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.7")

    assert rate_limits.client_ip is client_ip
    assert rate_limits.client_ip(request) == "203.0.113.7"


# --- Load shedding -------------------------------------------------------------------------------


def test_admission_refuses_one_more_than_the_bound_and_releases_on_exit():
    # Given two requests in flight where two are allowed
    first, second = admission("test-submit", 2), admission("test-submit", 2)
    first.__enter__()
    second.__enter__()

    # When a third arrives, it is refused at once, asking to retry in a second
    with pytest.raises(Overloaded) as refused, admission("test-submit", 2):
        pass
    assert refused.value.retry_after == 1

    # When one finishes, the next is admitted
    first.__exit__(None, None, None)
    with admission("test-submit", 2):
        pass
    second.__exit__(None, None, None)


def test_admission_releases_its_slot_when_the_block_fails():
    # Given a bound of one and a request that fails inside the guard
    with pytest.raises(RuntimeError), admission("test-failing", 1):
        raise RuntimeError("database gone")

    # Then the slot is free again
    with admission("test-failing", 1):
        pass


def test_admission_bound_holds_across_threads():
    # Given eight threads holding the guard at once (the default bound)
    inside = threading.Barrier(9)
    leave = threading.Event()

    def hold() -> None:
        with admission("test-threads"):
            inside.wait()
            leave.wait()

    threads = [threading.Thread(target=hold) for _ in range(8)]
    for thread in threads:
        thread.start()
    inside.wait()

    # When a ninth request comes, it is refused
    try:
        with pytest.raises(Overloaded), admission("test-threads"):
            pass
    finally:
        leave.set()
        for thread in threads:
            thread.join()

    # And once they have left, requests are admitted again
    with admission("test-threads"):
        pass


@pytest.fixture
def redis_cache(settings):
    """The production cache: django-redis on the machine's Redis, in a database of its own."""
    import redis

    url = "redis://127.0.0.1:6379/12"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("Redis is not running on 127.0.0.1:6379 (.ci/run starts it)")
    from django.core.cache import caches

    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": f"vgp-test-{uuid.uuid4().hex[:8]}",
        },
    }
    caches["default"].clear()
    yield redis.Redis.from_url(url)
    caches["default"].clear()


def test_on_redis_a_counter_is_one_round_trip_and_ends_with_its_window(redis_cache):
    before = redis_cache.info("commandstats")
    answers = [hit("api_key", "key-7", limit=2, window_seconds=60) for _ in range(3)]
    after = redis_cache.info("commandstats")

    assert [answer.allowed for answer in answers] == [True, True, False]
    calls = {
        name: after[name]["calls"] - before.get(name, {}).get("calls", 0)
        for name in after
        if name != "cmdstat_info"
    }
    assert {name: n for name, n in calls.items() if n} == {
        "cmdstat_incrby": 3,
        "cmdstat_expire": 3,
    }
    (key,) = redis_cache.keys("*rl:*")
    assert 0 < redis_cache.ttl(key) <= 61
