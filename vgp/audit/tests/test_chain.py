"""The hash chain: appending, append-only guards and detection of tampering."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.utils import translation

from vgp.audit import trail
from vgp.audit.models import GENESIS_HASH, AppendOnlyError, AuditChainHead, AuditRecord
from vgp.audit.verification import verify_chain


def append(n: int = 1, **kwargs: object) -> list[AuditRecord]:
    entries = []
    with transaction.atomic():
        for i in range(n):
            entries.append(trail.record(action="test.thing_done", summary=f"việc số {i}", **kwargs))
    return entries


def last_seq() -> int:
    """The chain already holds the records written while migrating (role sync)."""
    head = AuditChainHead.objects.filter(pk=1).first()
    return head.last_seq if head else 0


def raw(sql: str, params: list[object]) -> None:
    # Bypasses the model's append-only guard, as an intruder with database access would.
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.mark.django_db
class TestAppending:
    def test_records_link_each_to_the_one_before(self, clerk):
        start = last_seq()
        previous_hash = AuditChainHead.objects.get().last_hash if start else GENESIS_HASH

        first, second, third = append(3, actor=clerk)

        assert [first.seq, second.seq, third.seq] == [start + 1, start + 2, start + 3]
        assert first.prev_hash == previous_hash
        assert second.prev_hash == first.hash
        assert third.prev_hash == second.hash
        head = AuditChainHead.objects.get()
        assert (head.last_seq, head.last_hash) == (third.seq, third.hash)
        assert verify_chain() is None

    def test_snapshot_of_the_actor_is_kept(self, clerk):
        (entry,) = append(actor=clerk)

        entry.refresh_from_db()
        assert entry.actor_id == clerk.pk
        assert entry.actor_username == "minh"
        assert entry.agency_code == "000.00.00.G22"
        assert entry.via == "command"

    def test_changes_with_dates_decimals_and_vietnamese_verify_after_reading_back(self, clerk):
        changes = {
            "hạn_xử_lý": [dt.date(2026, 2, 12), dt.date(2026, 2, 26)],
            "lúc": [None, dt.datetime(2026, 2, 12, 23, 30, 0, 123456, tzinfo=dt.UTC)],
            "phí": [Decimal("12500.50"), Decimal("0.10")],
            "tỉ_lệ": [0.1, 1e20],
            "trích_yếu": ["Về việc nghỉ Tết Nguyên đán", "Đề nghị điều chỉnh — “Bính Ngọ”"],
            "lồng": {"b": [1, 2.0, -0.0], "a": True},
        }
        with transaction.atomic():
            entry = trail.record(action="test.changed", actor=clerk, changes=changes)

        stored = AuditRecord.objects.get(pk=entry.pk)
        assert stored.changes["phí"] == ["12500.50", "0.10"]
        assert stored.changes["hạn_xử_lý"] == ["2026-02-12", "2026-02-26"]
        assert stored.compute_hash() == stored.hash == entry.hash
        assert verify_chain() is None

    def test_microseconds_and_time_zone_do_not_change_the_hash(self):
        (entry,) = append()
        stored = AuditRecord.objects.get(pk=entry.pk)
        assert stored.created_at == entry.created_at
        assert stored.created_at.microsecond == entry.created_at.microsecond

        stored.created_at = stored.created_at.astimezone(dt.timezone(dt.timedelta(hours=7)))
        assert stored.compute_hash() == entry.hash

    def test_request_address_is_recorded_in_canonical_form(self, clerk):
        from vgp.core import request_context

        token = request_context.activate(
            request_context.RequestContext(ip="2001:0DB8:0:1:0:0:0:1", user_agent="", user=clerk)
        )
        try:
            (entry,) = append()
        finally:
            request_context.deactivate(token)

        stored = AuditRecord.objects.get(pk=entry.pk)
        assert stored.ip == "2001:db8:0:1::1"
        assert stored.actor_username == "minh"
        assert stored.via == "web"
        assert stored.compute_hash() == stored.hash

    def test_snapshot_and_diff_describe_a_change(
        self, clerk, government_office, ministry_of_finance
    ):
        before = trail.snapshot(clerk, ["username", "agency", "position"])
        clerk.agency = ministry_of_finance
        after = trail.snapshot(clerk, ["username", "agency", "position"])

        assert trail.diff(before, after) == {
            "agency": [government_office.pk, ministry_of_finance.pk]
        }


@pytest.mark.django_db
class TestAppendOnly:
    def test_saving_an_existing_record_raises(self):
        (entry,) = append()
        entry.summary = "sửa lại"
        with pytest.raises(AppendOnlyError):
            entry.save()

    def test_deleting_a_record_raises(self):
        (entry,) = append()
        with pytest.raises(AppendOnlyError):
            entry.delete()

    def test_queryset_update_and_delete_raise(self):
        first, _second = append(2)
        count = AuditRecord.objects.count()
        with pytest.raises(AppendOnlyError):
            AuditRecord.objects.filter(seq=first.seq).update(summary="x")
        with pytest.raises(AppendOnlyError):
            AuditRecord.objects.all().delete()
        with pytest.raises(AppendOnlyError):
            AuditRecord.objects.bulk_create([AuditRecord(seq=10**9, action="x", hash="h")])
        assert AuditRecord.objects.count() == count

    def test_action_name_must_fit(self):
        with transaction.atomic(), pytest.raises(ValueError, match="1 to 80"):
            trail.record(action="x" * 81)


@pytest.mark.django_db(transaction=True)
def test_record_outside_a_transaction_raises():
    count = AuditRecord.objects.count()
    with pytest.raises(trail.AuditOutsideTransactionError):
        trail.record(action="test.loose")
    assert AuditRecord.objects.count() == count


@pytest.mark.django_db
class TestTamperingIsDetected:
    def test_altered_record_is_named(self):
        target = append(5)[2].seq
        raw("UPDATE audit_auditrecord SET summary = %s WHERE seq = %s", ["đã sửa", target])

        problem = verify_chain()

        assert problem is not None
        assert (problem.seq, problem.code) == (target, "altered")
        with translation.override("en"):
            assert problem.reason == f"record #{target} does not match its hash (altered)"
        with translation.override("vi"):
            assert problem.reason == f"bản ghi số {target} không khớp mã băm (đã bị sửa)"

    def test_altered_changes_are_detected(self):
        target = append(2, changes={"trạng_thái": ["mới", "đã xử lý"]})[1].seq
        raw(
            "UPDATE audit_auditrecord SET changes = %s WHERE seq = %s",
            ['{"trạng_thái": ["mới", "từ chối"]}', target],
        )
        problem = verify_chain()
        assert problem is not None
        assert (problem.seq, problem.code) == (target, "altered")

    def test_rehashed_record_breaks_the_next_link(self):
        entries = append(3)
        forged = AuditRecord.objects.get(seq=entries[1].seq)
        forged.summary = "giả mạo"
        forged_hash = forged.compute_hash()
        raw(
            "UPDATE audit_auditrecord SET summary = %s, hash = %s WHERE seq = %s",
            ["giả mạo", forged_hash, forged.seq],
        )
        assert entries[2].prev_hash != forged_hash

        problem = verify_chain()

        assert problem is not None
        assert (problem.seq, problem.code) == (entries[2].seq, "broken_link")

    def test_deleted_middle_record_is_named(self):
        target = append(5)[1].seq
        raw("DELETE FROM audit_auditrecord WHERE seq = %s", [target])

        problem = verify_chain(batch_size=2)

        assert problem is not None
        assert (problem.seq, problem.code) == (target, "missing")

    def test_deleted_newest_records_are_detected(self):
        target = append(5)[3].seq
        raw("DELETE FROM audit_auditrecord WHERE seq >= %s", [target])

        problem = verify_chain()

        assert problem is not None
        assert (problem.seq, problem.code) == (target, "tail_deleted")
        with translation.override("en"):
            assert f"records after #{target - 1} were deleted" in problem.reason

    def test_everything_deleted_is_detected(self):
        append(2)
        raw("DELETE FROM audit_auditrecord", [])

        problem = verify_chain()

        assert problem is not None
        assert (problem.seq, problem.code) == (1, "tail_deleted")

    def test_batches_do_not_hide_anything(self):
        target = append(7)[5].seq
        assert verify_chain(batch_size=2) is None
        raw("UPDATE audit_auditrecord SET action = %s WHERE seq = %s", ["test.other", target])
        problem = verify_chain(batch_size=2)
        assert problem is not None
        assert problem.seq == target
