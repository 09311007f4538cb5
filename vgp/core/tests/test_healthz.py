"""GET /healthz reports the database, the cache, the task queue and the scheduler."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from vgp.core import health


def test_all_parts_up_gives_200(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and body["down"] == []
    assert set(body["checks"]) == {"database", "cache", "tasks", "scheduler", "feedback_intake"}
    assert response["Cache-Control"].startswith("max-age=0")


def test_a_broken_cache_gives_503_naming_it(client, db, monkeypatch):
    def broken() -> dict:
        raise ConnectionError("redis refused the connection")

    monkeypatch.setitem(health.CHECKS, "cache", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["down"] == ["cache"]
    assert "refused" in response.json()["checks"]["cache"]["error"]


def test_stalled_database_queue_is_reported_down(client, db, settings):
    # Given the database task backend with a task that has waited 20 minutes
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    DBTaskResult.objects.create(
        task_path="vgp.core.health.check_database",
        args_kwargs={"args": [], "kwargs": {}},
        queue_name="default",
        backend_name="default",
        priority=0,
    )
    DBTaskResult.objects.update(enqueued_at=timezone.now() - dt.timedelta(minutes=20))
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["down"] == ["tasks"]
    assert response.json()["checks"]["tasks"]["pending"] == 1
