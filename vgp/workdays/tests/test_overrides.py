"""Admin overrides of the calendar: the actions, their audit and the deadline engine's cache."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError

from vgp.audit.models import AuditRecord
from vgp.workdays import actions, deadlines
from vgp.workdays.deadlines import add_working_days, default_calendar, is_working_day
from vgp.workdays.models import CalendarOverride, OverrideKind

D = dt.date


@pytest.fixture(autouse=True)
def _fresh_calendar_cache():
    # The engine caches overrides per process; a rolled-back test must not leave its days behind.
    cache.delete("vgp:workdays:overrides-version")
    default_calendar().clear_cache()
    yield
    cache.delete("vgp:workdays:overrides-version")
    default_calendar().clear_cache()


def newest_audit() -> AuditRecord:
    entry = AuditRecord.objects.order_by("-seq").first()
    assert entry is not None
    return entry


@pytest.mark.django_db
class TestSetOverride:
    def test_an_extra_day_off_shifts_the_deadline(self, it_admin):
        assert add_working_days(D(2026, 2, 12), 5) == D(2026, 2, 26)

        actions.set_override(
            actor=it_admin,
            day=D(2026, 2, 24),
            kind=OverrideKind.DAY_OFF,
            reason="Thông báo nghỉ thêm (thử nghiệm)",
        )

        assert not is_working_day(D(2026, 2, 24))
        assert add_working_days(D(2026, 2, 12), 5) == D(2026, 2, 27)

    def test_a_working_saturday_counts(self, it_admin):
        actions.set_override(
            actor=it_admin, day=D(2026, 2, 28), kind=OverrideKind.WORKING_DAY, reason="Làm bù"
        )
        assert add_working_days(D(2026, 2, 26), 2) == D(2026, 2, 28)

    def test_it_is_audited_in_the_same_transaction(self, it_admin):
        override = actions.set_override(
            actor=it_admin, day=D(2027, 2, 13), kind=OverrideKind.WORKING_DAY, reason="Làm bù Tết"
        )

        entry = newest_audit()
        assert entry.action == "workdays.override_added"
        assert (entry.object_type, entry.object_id) == (
            "workdays.calendaroverride",
            str(override.pk),
        )
        assert entry.actor_username == "ha"
        assert entry.changes["date"] == [None, "2027-02-13"]
        assert entry.changes["kind"] == [None, "working_day"]
        assert override.created_by == it_admin

    def test_setting_an_existing_day_changes_it(self, it_admin):
        first = actions.set_override(
            actor=it_admin, day=D(2027, 2, 13), kind=OverrideKind.WORKING_DAY, reason="Làm bù"
        )
        second = actions.set_override(
            actor=it_admin, day=D(2027, 2, 13), kind=OverrideKind.DAY_OFF, reason="Đổi lại"
        )

        assert first.pk == second.pk
        assert CalendarOverride.objects.count() == 1
        entry = newest_audit()
        assert entry.action == "workdays.override_changed"
        assert entry.changes == {
            "kind": ["working_day", "day_off"],
            "reason": ["Làm bù", "Đổi lại"],
        }

    def test_setting_the_same_values_again_records_nothing(self, it_admin):
        actions.set_override(
            actor=it_admin, day=D(2027, 2, 13), kind=OverrideKind.WORKING_DAY, reason="Làm bù"
        )
        count = AuditRecord.objects.count()

        actions.set_override(
            actor=it_admin, day=D(2027, 2, 13), kind=OverrideKind.WORKING_DAY, reason="Làm bù"
        )

        assert AuditRecord.objects.count() == count

    def test_moving_an_override_to_another_date(self, it_admin):
        override = actions.set_override(
            actor=it_admin, day=D(2027, 2, 13), kind=OverrideKind.WORKING_DAY, reason="Làm bù"
        )
        assert is_working_day(D(2027, 2, 13))

        actions.set_override(
            actor=it_admin,
            day=D(2027, 2, 20),
            kind=OverrideKind.WORKING_DAY,
            reason="Làm bù",
            override=override,
        )

        assert not is_working_day(D(2027, 2, 13))
        assert is_working_day(D(2027, 2, 20))

    def test_clerk_is_refused_and_nothing_is_written(self, clerk):
        before = AuditRecord.objects.count()
        with pytest.raises(PermissionDenied):
            actions.set_override(
                actor=clerk, day=D(2026, 2, 24), kind=OverrideKind.DAY_OFF, reason="Không được"
            )
        assert not CalendarOverride.objects.exists()
        assert AuditRecord.objects.count() == before

    def test_auditor_may_only_look(self, auditor):
        with pytest.raises(PermissionDenied):
            actions.set_override(
                actor=auditor, day=D(2026, 2, 24), kind=OverrideKind.DAY_OFF, reason="Không được"
            )

    @pytest.mark.parametrize(
        ("kind", "reason"), [("holiday", "Lý do"), (OverrideKind.DAY_OFF, "   ")]
    )
    def test_bad_input_is_refused(self, it_admin, kind, reason):
        with pytest.raises(ValidationError):
            actions.set_override(actor=it_admin, day=D(2026, 2, 24), kind=kind, reason=reason)


@pytest.mark.django_db
class TestRemoveOverride:
    def test_the_day_falls_back_to_the_statutory_calendar(self, it_admin):
        override = actions.set_override(
            actor=it_admin, day=D(2026, 2, 24), kind=OverrideKind.DAY_OFF, reason="Nghỉ thêm"
        )
        assert not is_working_day(D(2026, 2, 24))

        actions.remove_override(actor=it_admin, override=override)

        assert is_working_day(D(2026, 2, 24))
        assert not CalendarOverride.objects.exists()
        entry = newest_audit()
        assert entry.action == "workdays.override_removed"
        assert entry.changes["kind"] == ["day_off", None]

    def test_clerk_is_refused(self, it_admin, clerk):
        override = actions.set_override(
            actor=it_admin, day=D(2026, 2, 24), kind=OverrideKind.DAY_OFF, reason="Nghỉ thêm"
        )
        with pytest.raises(PermissionDenied):
            actions.remove_override(actor=clerk, override=override)
        assert CalendarOverride.objects.filter(pk=override.pk).exists()


@pytest.mark.django_db
class TestCache:
    def test_another_process_sees_the_change_through_the_version_key(self, it_admin):
        # A second calendar stands for another worker process with its own in-memory cache.
        other_process = deadlines.WorkCalendar(deadlines.StoredOverrides())
        assert other_process.is_working_day(D(2026, 3, 10))

        CalendarOverride.objects.create(date=D(2026, 3, 10), kind="day_off", reason="Trực tiếp")
        assert other_process.is_working_day(D(2026, 3, 10))  # still cached: no version change

        deadlines.overrides_changed()

        assert not other_process.is_working_day(D(2026, 3, 10))

    def test_a_lost_cache_key_means_reload_within_a_second(self, it_admin, monkeypatch, settings):
        settings.SHARED_VERSION_CHECK_SECONDS = 1.0
        other_process = deadlines.WorkCalendar(deadlines.StoredOverrides())
        assert other_process.is_working_day(D(2026, 3, 10))
        CalendarOverride.objects.create(date=D(2026, 3, 10), kind="day_off", reason="Trực tiếp")

        cache.clear()
        # The shared version is read at most once a second (vgp.core.versions).
        assert other_process.is_working_day(D(2026, 3, 10))
        later = time.monotonic() + 1.5
        monkeypatch.setattr(time, "monotonic", lambda: later)

        assert not other_process.is_working_day(D(2026, 3, 10))

    def test_one_computation_reads_the_overrides_once_per_year(
        self, it_admin, django_assert_num_queries
    ):
        default_calendar().clear_cache()
        with django_assert_num_queries(2):  # overrides of 2026 and of 2027
            add_working_days(D(2026, 12, 20), 30)
        with django_assert_num_queries(0):
            add_working_days(D(2026, 12, 21), 30)
