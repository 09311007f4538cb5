"""Calendar overrides in the Wagtail admin: IT administrators edit, auditors look, clerks don't."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.urls import reverse

from vgp.audit.models import AuditRecord
from vgp.workdays import actions
from vgp.workdays.deadlines import default_calendar, is_working_day
from vgp.workdays.models import CalendarOverride, OverrideKind

D = dt.date


@pytest.fixture(autouse=True)
def _setup(settings):
    settings.VGP_REQUIRE_2FA = False  # the second factor has its own tests
    cache.delete("vgp:workdays:overrides-version")
    default_calendar().clear_cache()
    yield
    cache.delete("vgp:workdays:overrides-version")
    default_calendar().clear_cache()


def url(name: str, *args: object) -> str:
    return reverse(f"calendar_overrides:{name}", args=args)


@pytest.fixture
def overrides(it_admin):
    return [
        actions.set_override(actor=it_admin, day=day, kind=kind, reason="Công văn thử")
        for day, kind in [
            (D(2026, 12, 31), OverrideKind.DAY_OFF),
            (D(2027, 2, 13), OverrideKind.WORKING_DAY),
            (D(2027, 2, 11), OverrideKind.DAY_OFF),
        ]
    ]


@pytest.mark.django_db
class TestAsItAdmin:
    def test_list_filtered_by_year(self, client, it_admin, overrides):
        client.force_login(it_admin)

        response = client.get(url("index"), {"year": "2027"})

        assert response.status_code == 200
        assert [o.date for o in response.context["object_list"]] == [D(2027, 2, 11), D(2027, 2, 13)]
        assert "13/02/2027" in response.content.decode()

    def test_create_goes_through_the_action(self, client, it_admin):
        client.force_login(it_admin)

        response = client.post(
            url("add"),
            {"date": "24/02/2026", "kind": "day_off", "reason": "Nghỉ bổ sung theo Thông báo"},
        )

        assert response.status_code == 302
        override = CalendarOverride.objects.get()
        assert (override.date, override.created_by) == (D(2026, 2, 24), it_admin)
        assert not is_working_day(D(2026, 2, 24))
        entry = AuditRecord.objects.order_by("-seq").first()
        assert entry is not None
        assert (entry.action, entry.actor_username, entry.via) == (
            "workdays.override_added",
            "ha",
            "web",
        )
        # The action audits; Wagtail's own log is not written, so nothing is recorded twice.
        assert AuditRecord.objects.filter(action="wagtail.create").count() == 0

    def test_a_date_taken_twice_is_a_form_error(self, client, it_admin, overrides):
        client.force_login(it_admin)
        response = client.post(url("add"), {"date": "31/12/2026", "kind": "day_off", "reason": "x"})
        assert response.status_code == 200
        assert CalendarOverride.objects.count() == 3

    def test_edit_goes_through_the_action(self, client, it_admin, overrides):
        override = overrides[1]
        client.force_login(it_admin)

        response = client.post(
            url("edit", override.pk),
            {"date": "20/02/2027", "kind": "working_day", "reason": "Đổi ngày làm bù"},
        )

        assert response.status_code == 302
        override.refresh_from_db()
        assert override.date == D(2027, 2, 20)
        assert is_working_day(D(2027, 2, 20))
        entry = AuditRecord.objects.order_by("-seq").first()
        assert entry is not None
        assert entry.action == "workdays.override_changed"
        assert entry.changes["date"] == ["2027-02-13", "2027-02-20"]

    def test_delete_goes_through_the_action(self, client, it_admin, overrides):
        override = overrides[0]
        client.force_login(it_admin)

        response = client.post(url("delete", override.pk))

        assert response.status_code == 302
        assert not CalendarOverride.objects.filter(pk=override.pk).exists()
        entry = AuditRecord.objects.order_by("-seq").first()
        assert entry is not None
        assert entry.action == "workdays.override_removed"


@pytest.mark.django_db
class TestOthers:
    def test_clerk_is_refused_everywhere(self, client, clerk, overrides):
        client.force_login(clerk)
        override = overrides[0]

        assert client.get(url("index")).status_code in (302, 403)
        assert client.post(
            url("add"), {"date": "24/02/2026", "kind": "day_off", "reason": "x"}
        ).status_code in (302, 403)
        assert client.post(
            url("edit", override.pk), {"date": "01/01/2027", "kind": "day_off", "reason": "x"}
        ).status_code in (302, 403)
        assert client.post(url("delete", override.pk)).status_code in (302, 403)
        assert CalendarOverride.objects.count() == 3
        override.refresh_from_db()
        assert override.date == D(2026, 12, 31)

    def test_auditor_reads_but_cannot_change(self, client, auditor, overrides):
        client.force_login(auditor)

        response = client.get(url("index"))
        assert response.status_code == 200
        assert response.context["can_add"] is False
        assert client.post(
            url("add"), {"date": "24/02/2026", "kind": "day_off", "reason": "x"}
        ).status_code in (302, 403)
        assert client.post(url("delete", overrides[0].pk)).status_code in (302, 403)
        assert CalendarOverride.objects.count() == 3
