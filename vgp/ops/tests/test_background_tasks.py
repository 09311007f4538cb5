"""IT administrators see failed background tasks, why they failed, and retry them."""

from __future__ import annotations

import pytest
from django_tasks_db.models import DBTaskResult

from vgp.audit.models import AuditRecord, ChainVerification


@pytest.fixture(autouse=True)
def relaxed_2fa(settings):
    settings.VGP_REQUIRE_2FA = False


@pytest.fixture
def failed_task(db):
    from django.utils import timezone

    return DBTaskResult.objects.create(
        task_path="vgp.audit.tasks.verify_audit_chain",
        args_kwargs={"args": [], "kwargs": {}},
        queue_name="default",
        backend_name="default",
        status="FAILED",
        run_after=timezone.now(),
        finished_at=timezone.now(),
        exception_class_path="builtins.ConnectionError",
        traceback="Traceback (most recent call last):\nConnectionError: database went away",
    )


def test_it_admin_lists_and_reads_a_failed_task(
    client, it_admin, failed_task, django_assert_max_num_queries
):
    client.force_login(it_admin)
    client.get("/quan-tri/tac-vu-nen/")
    with django_assert_max_num_queries(20):
        listing = client.get("/quan-tri/tac-vu-nen/?status=FAILED")
    assert listing.status_code == 200
    assert "verify_audit_chain" in listing.content.decode()
    detail = client.get(f"/quan-tri/tac-vu-nen/inspect/{failed_task.pk}/")
    assert "database went away" in detail.content.decode()
    assert f"/quan-tri/tac-vu-nen/retry/{failed_task.pk}/" in detail.content.decode()


def test_retry_runs_the_task_again_and_is_audited(client, it_admin, failed_task):
    client.force_login(it_admin)
    response = client.post(f"/quan-tri/tac-vu-nen/retry/{failed_task.pk}/")
    assert response.status_code == 302
    # The test settings run tasks at once, so the retried verification has already happened.
    assert ChainVerification.objects.count() == 1
    assert AuditRecord.objects.filter(
        action="ops.retry_task", object_id=str(failed_task.pk)
    ).exists()


def test_only_failed_tasks_can_be_retried(client, it_admin, failed_task):
    DBTaskResult.objects.filter(pk=failed_task.pk).update(status="SUCCESSFUL")
    client.force_login(it_admin)
    client.post(f"/quan-tri/tac-vu-nen/retry/{failed_task.pk}/")
    assert not ChainVerification.objects.exists()


def test_the_dashboard_warns_of_failures(client, it_admin, failed_task, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    client.force_login(it_admin)
    page = client.get("/quan-tri/").content.decode()
    assert "/quan-tri/tac-vu-nen/?status=FAILED" in page


def test_clerk_sees_no_tasks(client, clerk, failed_task):
    client.force_login(clerk)
    assert client.get("/quan-tri/tac-vu-nen/").status_code in {302, 403}
    client.post(f"/quan-tri/tac-vu-nen/retry/{failed_task.pk}/")
    assert not ChainVerification.objects.exists()
