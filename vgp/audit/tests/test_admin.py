"""The audit trail in the Wagtail admin: auditors read it, nobody writes to it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.urls import NoReverseMatch, reverse

from vgp.audit import trail
from vgp.audit.models import AuditRecord
from vgp.audit.verification import run_verification

INDEX = "audit:index"


@pytest.fixture(autouse=True)
def _password_only(settings):
    # The second factor has its own tests; here the officials sign in with a password.
    settings.VGP_REQUIRE_2FA = False


def append(n: int, **kwargs: object) -> list[AuditRecord]:
    with transaction.atomic():
        return [
            trail.record(action="test.thing_done", summary=f"Công văn số {i}", **kwargs)
            for i in range(n)
        ]


@pytest.mark.django_db
class TestList:
    def test_auditor_sees_the_records_with_vietnamese_times(self, client, auditor, clerk):
        (entry,) = append(1, actor=clerk, object_type="documents.document", object_id="42")
        client.force_login(auditor)

        response = client.get(reverse(INDEX))

        assert response.status_code == 200
        body = response.content.decode()
        assert "Công văn số 0" in body
        assert (
            entry.created_at.astimezone(dt.timezone(dt.timedelta(hours=7))).strftime(
                "%d/%m/%Y %H:%M:%S"
            )
            in body
        )
        assert reverse("audit:inspect", args=[entry.pk]) in body

    def test_it_admin_may_read_the_trail(self, client, it_admin):
        append(1)
        client.force_login(it_admin)
        assert client.get(reverse(INDEX)).status_code == 200

    def test_clerk_is_refused(self, client, clerk):
        (entry,) = append(1)
        client.force_login(clerk)

        assert client.get(reverse(INDEX)).status_code in (302, 403)
        assert client.get(reverse("audit:inspect", args=[entry.pk])).status_code in (302, 403)

    def test_query_count_does_not_grow_with_the_records(
        self, client, auditor, django_assert_max_num_queries
    ):
        client.force_login(auditor)
        append(3)
        client.get(reverse(INDEX))  # warm the per-process caches (content types, permissions)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as few:
            assert client.get(reverse(INDEX)).status_code == 200
        append(60)

        with django_assert_max_num_queries(len(few.captured_queries)):
            response = client.get(reverse(INDEX))
        assert response.status_code == 200

    def test_filters(self, client, auditor, clerk, other_leader):
        append(2, actor=clerk, object_type="documents.document", object_id="7")
        append(1, actor=other_leader, object_type="feedback.feedback", object_id="9")
        client.force_login(auditor)

        def shown(**params: str) -> int:
            response = client.get(reverse(INDEX), params)
            assert response.status_code == 200
            return len(response.context["object_list"])

        assert shown(actor_username="MINH") == 2
        assert shown(agency_code="000.00.00.G12") == 1
        assert shown(object_type="feedback.feedback") == 1
        assert shown(object_type="documents.document", object_id="7") == 2
        assert shown(object_type="documents.document", object_id="9") == 0
        assert shown(action="test.thing_done", actor_username="hung") == 1
        today = dt.datetime.now(dt.timezone(dt.timedelta(hours=7))).date()
        assert shown(actor_username="minh", period_from=today.isoformat()) == 2
        yesterday = today - dt.timedelta(days=1)
        assert shown(actor_username="minh", period_to=yesterday.isoformat()) == 0
        assert shown(q="Công văn số 1", actor_username="minh") == 1

    def test_csv_export_of_the_filtered_list_is_itself_audited(self, client, auditor, clerk):
        append(2, actor=clerk)
        client.force_login(auditor)

        response = client.get(reverse(INDEX), {"actor_username": "minh", "export": "csv"})

        assert response.status_code == 200
        rows = b"".join(response.streaming_content).decode().strip().splitlines()
        assert len(rows) == 3  # heading and two records
        last = AuditRecord.objects.order_by("-seq").first()
        assert last is not None
        assert (last.action, last.actor_username) == ("audit.trail_exported", "son")
        assert last.changes == {"filters": {"actor_username": "minh"}}


@pytest.mark.django_db
class TestDetail:
    def test_shows_changes_as_a_table_and_the_hashes(self, client, auditor):
        with transaction.atomic():
            entry = trail.record(
                action="test.changed",
                changes={"trích_yếu": ["Về việc cũ", "Về việc mới"], "note": "một giá trị"},
            )
        client.force_login(auditor)

        response = client.get(reverse("audit:inspect", args=[entry.pk]))

        assert response.status_code == 200
        body = response.content.decode()
        assert '<th scope="row">trích_yếu</th><td>Về việc cũ</td><td>Về việc mới</td>' in body
        assert '<td colspan="2">một giá trị</td>' in body
        assert entry.hash in body
        assert entry.prev_hash in body


@pytest.mark.django_db
class TestNoWriting:
    @pytest.mark.parametrize("name", ["add", "edit", "delete", "history", "usage", "copy"])
    def test_no_url_for_writing(self, name):
        with pytest.raises(NoReverseMatch):
            reverse(f"audit:{name}", args=[1] if name != "add" else [])

    @pytest.mark.parametrize("suffix", ["new/", "edit/{pk}/", "delete/{pk}/"])
    def test_guessed_urls_are_not_found(self, client, auditor, suffix):
        (entry,) = append(1)
        client.force_login(auditor)
        base = reverse(INDEX)

        response = client.post(base + suffix.format(pk=entry.pk), {"summary": "x"})

        assert response.status_code == 404
        assert AuditRecord.objects.get(pk=entry.pk).summary == "Công văn số 0"

    def test_even_a_superuser_gets_no_add_button(self, client, django_user_model):
        boss = django_user_model.objects.create_superuser("root", "root@example.gov.vn", "x" * 12)
        append(1)
        client.force_login(boss)

        response = client.get(reverse(INDEX))

        assert response.status_code == 200
        assert response.context["can_add"] is False


@pytest.mark.django_db
class TestChainStatus:
    def test_dashboard_panel_shows_the_last_verification(self, client, auditor):
        append(1)
        _report, stored = run_verification()
        client.force_login(auditor)

        response = client.get(reverse("wagtailadmin_home"))

        assert response.status_code == 200
        body = response.content.decode()
        assert 'id="audit-chain-status-section"' in body
        assert f"#{stored.head_seq} {stored.head_hash}" in body

    def test_clerk_has_no_panel(self, client, clerk):
        client.force_login(clerk)
        response = client.get(reverse("wagtailadmin_home"))
        assert response.status_code == 200
        assert "audit-chain-status" not in response.content.decode()

    def test_list_header_says_when_the_chain_was_verified(self, client, auditor):
        append(1)
        _report, stored = run_verification()
        client.force_login(auditor)

        response = client.get(reverse(INDEX))

        when = stored.finished_at.astimezone(dt.timezone(dt.timedelta(hours=7)))
        assert when.strftime("%d/%m/%Y %H:%M:%S") in response.content.decode()
