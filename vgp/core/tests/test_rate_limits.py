"""Counters in the cache, windows aligned to the clock, and the load-shedding guard
(vgp.core.rate_limits); the JSON API's 429 (vgp.core.api_throttling)."""

from __future__ import annotations

import threading
import uuid
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse
from django.test import RequestFactory, override_settings
from django.utils import translation

from vgp.core import rate_limits
from vgp.core.api_throttling import too_many_requests
from vgp.core.rate_limits import (
    DAY,
    Overloaded,
    Policy,
    admission,
    hit,
    policy_from_settings,
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
    assert answers[3].policy == "ip"


def test_different_subjects_and_scopes_are_counted_apart():
    # Given one address that used up its allowance
    for _ in range(3):
        hit("ip", "203.0.113.7", limit=2, window_seconds=3600)

    # Then another address, and the same address in another scope, are allowed
    assert hit("ip", "198.51.100.20", limit=2, window_seconds=3600).allowed
    assert hit("tracking", "203.0.113.7", limit=2, window_seconds=3600).allowed


def test_window_resets_when_it_ends(clock):
    # Given an address refused in this hour's window
    for _ in range(3):
        last = hit("ip", "203.0.113.7", limit=2, window_seconds=3600)
    assert not last.allowed

    # When the hour is over
    clock.move_to(TEN_PAST_NINE + timedelta(minutes=51))

    # Then it may try again
    assert hit("ip", "203.0.113.7", limit=2, window_seconds=3600).allowed


def test_cache_keys_hold_no_personal_data():
    # When a contact is counted
    hit("contact", "lan.tran@example.vn", limit=5, window_seconds=DAY)

    # Then its counter lives under a hashed key that says nothing of the address
    window = int(TEN_PAST_NINE.timestamp() // DAY)
    key = rate_limits._cache_key("contact", "lan.tran@example.vn", window)
    assert cache.get(key) == 1
    assert key.startswith(rate_limits.KEY_PREFIX)
    assert "lan" not in key
    assert "example" not in key


def test_client_ip_is_the_projects_own():
    from vgp.core.request_context import client_ip

    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.7")

    assert rate_limits.client_ip is client_ip
    assert rate_limits.client_ip(request) == "203.0.113.7"


# --- Policies from settings ----------------------------------------------------------------------

DEFAULTS = {"lookup": Policy(60, 3600), "submit": Policy(5, DAY)}


@override_settings(TEST_RATE_LIMITS={"lookup": (2, 60)})
def test_a_policy_is_overridden_by_its_settings_dict_and_the_others_keep_their_defaults():
    assert policy_from_settings("TEST_RATE_LIMITS", "lookup", DEFAULTS) == Policy(2, 60)
    assert policy_from_settings("TEST_RATE_LIMITS", "submit", DEFAULTS) == Policy(5, DAY)


def test_without_the_setting_the_defaults_apply():
    assert policy_from_settings("TEST_RATE_LIMITS", "lookup", DEFAULTS) == Policy(60, 3600)
    with pytest.raises(ValueError, match="nothing"):
        policy_from_settings("TEST_RATE_LIMITS", "nothing", DEFAULTS)


@pytest.mark.parametrize("bad", ["twenty", (5,), (-1, 60), (5, 0)])
def test_a_bad_override_fails_loudly_naming_the_setting(bad):
    with (
        override_settings(TEST_RATE_LIMITS={"lookup": bad}),
        pytest.raises(ImproperlyConfigured, match=r"TEST_RATE_LIMITS\['lookup'\]"),
    ):
        policy_from_settings("TEST_RATE_LIMITS", "lookup", DEFAULTS)


# --- The API's answer ----------------------------------------------------------------------------


def test_the_api_refusal_says_when_to_come_back_in_the_callers_language():
    response = HttpResponse()

    with translation.override("vi"):
        refusal = too_many_requests(response, 0)

    assert response["Retry-After"] == "1"  # never 0: a client would retry at once
    assert refusal.status_code == 429
    assert refusal.value["retry_after"] == 1
    assert refusal.value["detail"] == "Bạn đã gửi quá nhiều lần. Hãy thử lại sau 1 giây."


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
    # Given eight threads holding the guard at once where eight are allowed
    inside = threading.Barrier(9)
    leave = threading.Event()

    def hold() -> None:
        with admission("test-threads", 8):
            inside.wait()
            leave.wait()

    threads = [threading.Thread(target=hold) for _ in range(8)]
    for thread in threads:
        thread.start()
    inside.wait()

    # When a ninth request comes, it is refused
    try:
        with pytest.raises(Overloaded), admission("test-threads", 8):
            pass
    finally:
        leave.set()
        for thread in threads:
            thread.join()

    # And once they have left, requests are admitted again
    with admission("test-threads", 8):
        pass


# --- On Redis ------------------------------------------------------------------------------------


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
