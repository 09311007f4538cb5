"""Two-step intake (ADR 0013): a submission through the API is stored as an Intake row while the
caller waits, and registered as an item by a background task soon after.

Personas: the Hà Nội People's Committee's portal hands in ông Trần Văn Dũng's complaint with
its API key; ông Dũng follows it on the portal before any worker has registered it.
"""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core import mail
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from vgp.accounts.actions import issue_api_key
from vgp.audit.models import AuditRecord
from vgp.audit.verification import verify_chain
from vgp.feedback import actions, queries, tasks, testing
from vgp.feedback.models import Attachment, Channel, Event, EventKind, FeedbackItem, Intake

pytestmark = pytest.mark.django_db

URL = "/api/v1/feedback"


@pytest.fixture
def hanoi_key(db) -> tuple:
    hanoi = testing.province()
    return issue_api_key(None, agency=hanoi, name="Cổng dịch vụ công Hà Nội")


def complaint(**changes) -> dict:
    data = {
        "kind": "complaint",
        "name": "Trần Văn Dũng",
        "email": "dung.tran@example.vn",
        "phone": "0912 345 678",
        "title": "Chậm cấp giấy chứng nhận quyền sử dụng đất",
        "content": "Tôi nộp hồ sơ cấp giấy chứng nhận từ tháng 3 mà đến nay chưa có kết quả.",
        "consent_to_publish": True,
    }
    data.update(changes)
    return data


def post_without_worker(client, raw_key: str, data: dict, key: str = ""):
    """The API's answer before any worker ran (the task is enqueued after commit, which a
    test's transaction never reaches)."""
    headers = {"HTTP_X_API_KEY": raw_key}
    if key:
        headers["HTTP_IDEMPOTENCY_KEY"] = key
    return client.post(URL, json.dumps(data), content_type="application/json", **headers)


def test_the_api_answers_with_a_code_before_the_item_exists(client, hanoi_key):
    _key, raw = hanoi_key
    response = post_without_worker(client, raw, complaint())

    assert response.status_code == 201, response.content
    body = response.json()
    intake = Intake.objects.get(code=body["code"])
    assert intake.pending and not FeedbackItem.objects.exists()
    assert (body["status"], body["kind"]) == ("received", "complaint")
    assert body["routing_due"] == intake.routing_due.isoformat()
    # Who sent it is kept for the audit record written at registration
    assert intake.origin["actor_label"].startswith("api:")
    assert intake.origin["via"] == "api"


def test_one_insert_and_no_other_query_while_the_caller_waits(client, hanoi_key):
    _key, raw = hanoi_key
    post_without_worker(client, raw, complaint(title="Lần đầu"), key="warm")  # key cached
    with CaptureQueriesContext(connection) as captured:
        response = post_without_worker(client, raw, complaint(title="Lần hai"), key="second")
    assert response.status_code == 201
    # (the savepoint around it exists only because a test runs in a transaction)
    statements = [
        query["sql"]
        for query in captured.captured_queries
        if not query["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))
    ]
    assert len(statements) == 1 and statements[0].startswith('INSERT INTO "feedback_intake"')


def test_the_task_registers_the_item_its_event_its_audit_and_the_email(client, hanoi_key):
    key, raw = hanoi_key
    code = post_without_worker(client, raw, complaint()).json()["code"]

    with TestCase.captureOnCommitCallbacks(execute=True):
        result = tasks.register_feedback_intakes.enqueue()

    assert result.return_value == {"registered": 1, "failed": []}
    item = FeedbackItem.objects.get(code=code)
    intake = Intake.objects.get(code=code)
    assert intake.item == item and intake.registered_at is not None
    # No second copy of the citizen's personal data stays in the receipt log
    assert intake.payload == {} and "Trần Văn Dũng" not in str(intake.__dict__)
    assert (item.channel, item.api_key, item.status) == (Channel.API, key, "received")
    assert item.received_at == intake.received_at and item.routing_due == intake.routing_due
    assert item.contact_phone == "0912345678" and item.consent_to_publish
    assert list(item.events.values_list("kind", flat=True)) == [EventKind.SUBMITTED]
    record = AuditRecord.objects.get(action="feedback.submit", object_id=str(item.pk))
    # The record names the API key and its agency, as if written during the request
    assert record.actor_username.startswith("api:") and record.agency_code == "000.00.00.H26"
    assert record.via == "api"
    assert [message.to for message in mail.outbox] == [["dung.tran@example.vn"]]
    assert code in mail.outbox[0].subject


def test_registration_runs_in_batches_oldest_first(hanoi_key):
    key, _raw = hanoi_key
    codes = [
        actions.receive(testing.submission(title=f"Kiến nghị số {n}"), api_key=key)[0].code
        for n in range(5)
    ]

    with CaptureQueriesContext(connection) as captured:
        report = actions.register_intakes(batch=5)

    assert report.registered == codes
    assert FeedbackItem.objects.count() == 5 and not Intake.objects.filter(item=None).exists()
    # A few statements for the batch, one per audit record, whatever its size
    statements = [
        query["sql"] for query in captured.captured_queries if "SAVEPOINT" not in query["sql"]
    ]
    # Pick the rows, the items, the events, the chain's head, one insert per audit record, the
    # head again, the rows' update; then look for more
    assert len(statements) == 7 + 5
    # The five records follow each other in the chain, which still verifies
    records = AuditRecord.objects.filter(action="feedback.submit").order_by("seq")
    assert [r.object_repr for r in records] == codes
    assert verify_chain() is None


def test_a_retry_after_registration_gets_the_same_code_with_200(client, hanoi_key):
    _key, raw = hanoi_key
    first = post_without_worker(client, raw, complaint(), key="hn-2026-0001")
    actions.register_intakes()

    again = post_without_worker(client, raw, complaint(), key="hn-2026-0001")

    assert again.status_code == 200 and again["Idempotent-Replayed"] == "true"
    assert again.json()["code"] == first.json()["code"]
    assert Intake.objects.count() == FeedbackItem.objects.count() == 1


def test_the_citizen_following_a_pending_code_has_it_registered_at_once(client, hanoi_key):
    _key, raw = hanoi_key
    code = post_without_worker(client, raw, complaint()).json()["code"]

    # A wrong contact learns nothing and registers nothing
    assert queries.find_for_citizen(code, "someone@example.vn") is None
    assert not FeedbackItem.objects.exists()

    item = queries.find_for_citizen(code, "+84 912 345 678")

    assert item is not None and item.code == code
    assert Intake.objects.get(code=code).item == item
    # The worker that comes later finds nothing left to do
    assert actions.register_intakes().registered == []
    assert FeedbackItem.objects.count() == 1


def test_the_tracking_api_knows_a_pending_code(client, hanoi_key):
    _key, raw = hanoi_key
    code = post_without_worker(client, raw, complaint()).json()["code"]

    response = client.get(f"{URL}/{code}", {"contact": "dung.tran@example.vn"})

    assert response.status_code == 200
    assert response.json()["timeline"][0]["kind"] == "submitted"


def test_files_are_stored_at_intake_and_become_attachments_at_registration(client, hanoi_key):
    _key, raw = hanoi_key
    pdf = SimpleUploadedFile(
        "don.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "application/pdf"
    )
    form = {k: ("true" if v is True else v) for k, v in complaint().items()}
    headers = {"HTTP_X_API_KEY": raw, "HTTP_IDEMPOTENCY_KEY": "hn-file-1"}
    response = client.post(URL, {**form, "files": [pdf]}, **headers)
    assert response.status_code == 201, response.content
    intake = Intake.objects.get(code=response.json()["code"])
    (stored,) = intake.payload["files"]
    assert storages["private"].exists(stored["stored_name"])
    assert response.json()["attachments"] == [
        {"name": "don.pdf", "type": "application/pdf", "size": pdf.size}
    ]

    actions.register_intakes()

    attachment = Attachment.objects.get(item__code=intake.code)
    assert (attachment.stored_name, attachment.original_name) == (stored["stored_name"], "don.pdf")
    # A retry after registration describes the same file, from the item, and stores no other
    pdf.seek(0)
    again = client.post(URL, {**form, "files": [pdf]}, **headers)
    assert again.status_code == 200, again.content
    assert again.json()["attachments"] == response.json()["attachments"]
    assert Attachment.objects.count() == 1


def test_a_registration_that_fails_is_kept_retried_and_reported(hanoi_key, monkeypatch, caplog):
    key, _raw = hanoi_key
    good, _ = actions.receive(testing.submission(title="Đúng"), api_key=key)
    bad, _ = actions.receive(testing.submission(title="Hỏng"), api_key=key)
    real_item_of = actions._item_of

    def failing_item_of(intake):
        if intake.payload["title"] == "Hỏng":
            raise RuntimeError("disk full")
        return real_item_of(intake)

    monkeypatch.setattr(actions, "_item_of", failing_item_of)

    # The task fails, so the run is listed as failed; the good one is registered all the same
    result = tasks.register_feedback_intakes.enqueue()
    assert result.status == "FAILED"
    assert bad.code in result.errors[0].traceback
    assert Intake.objects.get(pk=good.pk).item is not None
    failed = Intake.objects.get(pk=bad.pk)
    assert failed.item is None and failed.attempts == 1
    assert "disk full" in failed.last_error
    # Nothing half-written: no item, no event, no audit record for it
    assert not FeedbackItem.objects.filter(code=bad.code).exists()
    assert Event.objects.count() == 1
    assert f"Could not register the submission {bad.code}" in caplog.text

    # Tried again on each run, then left for the IT centre
    for _run in range(actions.INTAKE_MAX_ATTEMPTS):
        actions.register_intakes()
    assert Intake.objects.get(pk=bad.pk).attempts == actions.INTAKE_MAX_ATTEMPTS
    monkeypatch.setattr(actions, "_item_of", real_item_of)
    assert actions.register_intakes().registered == []
    assert actions.intake_backlog()["failed"] == 1

    # Once the cause is fixed, the IT centre retries it
    assert actions.retry_failed_intakes() == 1
    assert actions.register_intakes().registered == [bad.code]
    assert actions.intake_backlog() == {"pending": 0, "failed": 0, "oldest_seconds": None}


def test_the_portal_form_still_registers_at_once(db):
    item, created = actions.submit(testing.submission())

    assert created and item.pk is not None
    assert Intake.objects.get(item=item).code == item.code


def _give_up_on(intake: Intake) -> None:
    Intake.objects.filter(pk=intake.pk).update(
        attempts=actions.INTAKE_MAX_ATTEMPTS, last_error="RuntimeError: disk full"
    )


def test_reception_sees_submissions_that_could_not_be_registered(
    client, receptionist, hanoi_key, settings
):
    settings.VGP_REQUIRE_2FA = False  # the second factor has its own tests
    key, _raw = hanoi_key
    intake, _ = actions.receive(testing.submission(), api_key=key)
    client.force_login(receptionist)
    assert "feedback-intake" not in client.get("/quan-tri/").content.decode()

    _give_up_on(intake)

    html = client.get("/quan-tri/").content.decode()
    assert "feedback-intake" in html
    assert 'id="feedback-intake' in html
    assert "1 hồ sơ tiếp nhận qua API không đăng ký được." in html


def test_healthz_reports_a_stalled_registration(client, hanoi_key, settings):
    key, _raw = hanoi_key
    assert client.get("/healthz").json()["checks"]["feedback_intake"]["status"] == "ok"
    intake, _ = actions.receive(testing.submission(), api_key=key)
    Intake.objects.filter(pk=intake.pk).update(
        received_at=intake.received_at
        - dt.timedelta(seconds=settings.FEEDBACK_INTAKE_STALL_SECONDS + 5)
    )

    part = client.get("/healthz").json()["checks"]["feedback_intake"]

    assert part["status"] == "down" and part["pending"] == 1


def test_the_command_registers_and_retries_what_failed(hanoi_key):
    key, _raw = hanoi_key
    intake, _ = actions.receive(testing.submission(), api_key=key)
    _give_up_on(intake)
    out = io.StringIO()

    call_command("feedback_register", "--status", stdout=out)
    assert "given up after 5 attempts: 1" in out.getvalue() and intake.code in out.getvalue()
    assert "disk full" in out.getvalue()

    out = io.StringIO()
    call_command("feedback_register", "--retry-failed", stdout=out)

    assert "Registered 1 submission(s)." in out.getvalue()
    assert FeedbackItem.objects.filter(code=intake.code).exists()


def test_a_failing_row_is_tried_once_per_run_even_among_many(hanoi_key, monkeypatch):
    key, _raw = hanoi_key
    bad, _ = actions.receive(testing.submission(title="Hỏng"), api_key=key)
    for n in range(3):
        actions.receive(testing.submission(title=f"Đúng {n}"), api_key=key)
    real_item_of = actions._item_of

    def failing_item_of(intake):
        if intake.payload["title"] == "Hỏng":
            raise RuntimeError("disk full")
        return real_item_of(intake)

    monkeypatch.setattr(actions, "_item_of", failing_item_of)

    report = actions.register_intakes(batch=1)

    assert report.failed == [bad.code] and len(report.registered) == 3
    assert Intake.objects.get(pk=bad.pk).attempts == 1
