"""Settings of the feedback benchmark's servers: the project's own, with the API key's rate limit
lifted so that what is measured is capacity (``BENCH_API_KEY_LIMIT`` calls a minute per key; the
admission guard, ``FEEDBACK_MAX_IN_FLIGHT``, still turns what a worker cannot take into 429).
"""

from vgp.settings.base import *  # noqa: F403
from vgp.settings.env import env_int

FEEDBACK_RATE_LIMITS = {"api_key": (env_int("BENCH_API_KEY_LIMIT", 1_000_000_000), 60)}
