"""``GET /healthz``: the state of the database, the cache, the task queue and the scheduler.

200 with ``{"status": "ok", ...}`` when all answer; 503 naming each part that is down.
Used by load balancers and by the IT centre's monitoring; it reveals no data. Apps above the
ground floor add their parts with :func:`register_check` (the scheduler's is in ``vgp.ops``).
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache

log = logging.getLogger(__name__)


def check_database() -> dict[str, Any]:
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"status": "ok", "vendor": connection.vendor, "ms": _ms(started)}


def check_cache() -> dict[str, Any]:
    started = time.perf_counter()
    key, value = f"healthz:{secrets.token_hex(4)}", secrets.token_hex(4)
    cache.set(key, value, 10)
    if cache.get(key) != value:
        return {"status": "down", "error": "value written to the cache could not be read back"}
    cache.delete(key)
    return {
        "status": "ok",
        "backend": settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1],
        "ms": _ms(started),
    }


def check_tasks() -> dict[str, Any]:
    backend = settings.TASKS["default"]["BACKEND"]
    started = time.perf_counter()
    if backend.startswith("django_tasks_db"):
        from django_tasks_db.models import DBTaskResult

        # ready() leaves out tasks deferred to a later time: those are not late.
        pending = DBTaskResult.objects.ready()
        count = pending.count()
        oldest = pending.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
        waited = (timezone.now() - oldest).total_seconds() if oldest else 0.0
        result: dict[str, Any] = {
            "status": "ok",
            "backend": "database",
            "pending": count,
            "oldest_pending_seconds": round(waited),
            "ms": _ms(started),
        }
        stall = dt.timedelta(seconds=getattr(settings, "HEALTH_TASK_STALL_SECONDS", 600))
        if oldest and timezone.now() - oldest > stall:
            result["status"] = "down"
            result["error"] = "tasks are waiting longer than allowed: is the worker running?"
        return result
    if backend.startswith("django_tasks_rq"):
        import django_rq

        django_rq.get_connection("default").ping()
        queue = django_rq.get_queue("default")
        return {"status": "ok", "backend": "rq", "pending": queue.count, "ms": _ms(started)}
    return {"status": "ok", "backend": backend.rsplit(".", 1)[-1]}


Check = Callable[[], dict[str, Any]]
CHECKS: dict[str, Check] = {
    "database": check_database,
    "cache": check_cache,
    "tasks": check_tasks,
}


def register_check(name: str, check: Check) -> None:
    """Add a part to ``/healthz``, from an app's ``ready()``; ``check`` returns a dict with a
    ``status`` of ``"ok"`` or ``"down"`` (and an ``error``), or raises when its part is down."""
    CHECKS[name] = check


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    parts: dict[str, Any] = {}
    for name, check in CHECKS.items():
        try:
            parts[name] = check()
        except Exception as exc:  # any failure of a dependency is a "down", never a 500
            log.warning("healthz: %s is down: %s", name, exc)
            parts[name] = {"status": "down", "error": f"{type(exc).__name__}: {exc}"[:300]}
    down = [name for name, part in parts.items() if part["status"] != "ok"]
    body = {
        "status": "down" if down else "ok",
        "down": down,
        "checks": parts,
        "time": timezone.now().isoformat(),
    }
    return JsonResponse(body, status=503 if down else 200)


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 2)
