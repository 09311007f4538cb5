"""``manage.py verify_audit``: the operator's check of the chain."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from vgp.audit import trail
from vgp.audit.management.commands.verify_audit import Command
from vgp.audit.models import AuditChainHead, AuditRecord, ChainVerification


def append(n: int) -> list[AuditRecord]:
    with transaction.atomic():
        return [trail.record(action="test.thing_done", summary=f"#{i}") for i in range(n)]


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("verify_audit", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db
class TestVerifyAudit:
    def test_intact_chain_prints_ok_and_the_head_hash(self):
        append(3)
        total = AuditRecord.objects.count()
        head = AuditChainHead.objects.get()

        out, _ = run()

        assert f"OK: {total} records, chain intact" in out
        assert f"Head: #{head.last_seq} {head.last_hash}" in out
        stored = ChainVerification.objects.get()
        assert stored.intact
        assert stored.records_checked == total
        assert stored.head_hash == head.last_hash

    def test_quiet_prints_nothing_when_intact(self):
        append(1)
        out, err = run("--quiet")
        assert (out, err) == ("", "")

    def test_altered_record_is_named_and_the_exit_code_is_1(self):
        target = append(4)[2].seq
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE audit_auditrecord SET actor_username = %s WHERE seq = %s",
                ["mallory", target],
            )
        err = StringIO()

        with pytest.raises(CommandError) as excinfo:
            call_command("verify_audit", "--quiet", stdout=StringIO(), stderr=err)

        assert excinfo.value.returncode == 1
        assert f"record #{target}" in err.getvalue()
        assert "altered" in err.getvalue()
        stored = ChainVerification.objects.get()
        assert not stored.intact
        assert (stored.problem_seq, stored.problem_code) == (target, "altered")

    def test_deleted_newest_record_fails(self):
        target = append(3)[2].seq
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM audit_auditrecord WHERE seq = %s", [target])

        with pytest.raises(CommandError):
            run()

        stored = ChainVerification.objects.get()
        assert (stored.problem_seq, stored.problem_code) == (target, "tail_deleted")


@pytest.mark.django_db
def test_exit_status_seen_by_the_shell_is_1():
    """The command as cron runs it: a broken chain exits with status 1."""
    target = append(2)[0].seq
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditrecord SET summary = 'x' WHERE seq = %s", [target])

    with pytest.raises(SystemExit) as excinfo:
        Command().run_from_argv(["manage.py", "verify_audit", "--quiet"])
    assert excinfo.value.code == 1
