"""Auditors ask the worker to verify the chain from the admin; the result is kept."""

from __future__ import annotations

import pytest
from django.db import connection

from vgp.audit.models import AuditRecord, ChainVerification
from vgp.audit.trail import record


@pytest.fixture(autouse=True)
def relaxed_2fa(settings):
    settings.VGP_REQUIRE_2FA = False


def test_auditor_queues_a_verification_and_sees_the_result(
    client, auditor, django_capture_on_commit_callbacks
):
    client.force_login(auditor)
    assert client.get("/quan-tri/nhat-ky-kiem-toan/verify/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/quan-tri/nhat-ky-kiem-toan/verify/", {"next": "https://evil.example/"}
        )
    assert response.status_code == 302
    assert response["Location"] == "/quan-tri/nhat-ky-kiem-toan/"
    result = ChainVerification.objects.get()
    assert result.intact
    assert AuditRecord.objects.filter(
        action="audit.verify_requested", actor_username="son"
    ).exists()
    dashboard = client.get("/quan-tri/")
    assert "/quan-tri/nhat-ky-kiem-toan/verify/" in dashboard.content.decode()


def test_a_tampered_chain_is_reported_by_the_background_verification(
    auditor, django_capture_on_commit_callbacks, caplog
):
    from django.db import transaction

    from vgp.audit.tasks import verify_audit_chain

    with transaction.atomic():
        first = record(action="test.one", summary="một")
        record(action="test.two", summary="hai")
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_auditrecord SET summary = %s WHERE seq = %s", ["đã sửa", first.seq]
        )
    result = verify_audit_chain.enqueue().return_value
    assert result["intact"] is False
    assert result["problem_seq"] == first.seq
    assert "BROKEN" in caplog.text


def test_clerk_cannot_queue_verifications(client, clerk):
    client.force_login(clerk)
    response = client.post("/quan-tri/nhat-ky-kiem-toan/verify/")
    assert response.status_code in {302, 403}
    assert not ChainVerification.objects.exists()
