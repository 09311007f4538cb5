"""Settings of the benchmark's servers: the project's own, with the page cache set per run.

``BENCH_PAGE_CACHE_SECONDS`` (0 = off) lets one run measure rendering and the other the cache,
without the project's settings having to expose the knob.
"""

from vgp.settings.base import *  # noqa: F403
from vgp.settings.env import env_int

PAGE_CACHE_SECONDS = env_int("BENCH_PAGE_CACHE_SECONDS", 300)
