"""``manage.py load_demo`` prepares a fresh installation and is safe to run again."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError

from vgp.accounts.models import User
from vgp.accounts.roles import GROUP_NAMES, Role
from vgp.agencies.models import Agency
from vgp.audit.models import AuditRecord
from vgp.audit.verification import verify_chain
from vgp.demo.accounts import DEMO_PASSWORD


def run_demo() -> str:
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def test_load_demo_twice_creates_nothing_new(db):
    first = run_demo()
    counts = (Agency.objects.count(), User.objects.count(), Group.objects.count())
    audit_after_first = AuditRecord.objects.count()
    second = run_demo()
    assert (Agency.objects.count(), User.objects.count(), Group.objects.count()) == counts
    # Nothing changed, so nothing new was audited either.
    assert AuditRecord.objects.count() == audit_after_first
    assert "0 created" in second
    assert DEMO_PASSWORD in first
    assert "/quan-tri/" in first
    assert verify_chain() is None


def test_one_demo_account_per_role_that_can_sign_in(db):
    run_demo()
    for role in Role:
        holders = User.objects.filter(groups__name=GROUP_NAMES[role])
        assert holders.exists(), f"no demo account holds the role {role}"
        assert holders.first().check_password(DEMO_PASSWORD)
    clerk = User.objects.get(username="vanthu")
    assert clerk.agency.code == "000.00.00.G22"


def test_refuses_to_run_in_production(db, settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="production"):
        call_command("load_demo")
