"""Agency systems authenticate to the API with keys issued per agency."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from vgp.accounts.actions import (
    authenticate_api_key,
    forget_api_keys,
    issue_api_key,
    revoke_api_key,
)
from vgp.accounts.models import ApiKey, hash_api_key
from vgp.audit.models import AuditRecord


def test_command_prints_the_key_once_and_stores_only_its_hash(ministry_of_finance):
    out = io.StringIO()
    call_command(
        "create_api_key", "000.00.00.G12", "--name", "Cổng BTC", stdout=out, stderr=io.StringIO()
    )
    raw = out.getvalue().strip().splitlines()[-1]
    assert raw.startswith("vgp_")
    key = ApiKey.objects.get()
    assert key.key_hash == hash_api_key(raw)
    assert raw not in {key.prefix, key.key_hash, key.name}
    assert AuditRecord.objects.filter(
        action="accounts.issue_api_key", agency_code="000.00.00.G12"
    ).exists()


def test_command_rejects_an_unknown_agency(db):
    with pytest.raises(CommandError, match="No agency"):
        call_command("create_api_key", "000.00.00.G99")


def test_a_valid_key_identifies_the_agency_and_records_last_use(client, ministry_of_finance):
    key, raw = issue_api_key(None, agency=ministry_of_finance, name="Cổng BTC")
    response = client.get("/api/v1/me", HTTP_X_API_KEY=raw)
    assert response.status_code == 200
    assert response.json()["agency_code"] == "000.00.00.G12"
    key.refresh_from_db()
    assert key.last_used_at is not None
    bearer = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert bearer.status_code == 200


def test_missing_wrong_or_revoked_keys_get_401_in_vietnamese(client, ministry_of_finance, it_admin):
    key, raw = issue_api_key(None, agency=ministry_of_finance, name="Cổng BTC")
    assert client.get("/api/v1/me").status_code == 401
    wrong = client.get("/api/v1/me", HTTP_X_API_KEY=raw + "x", HTTP_ACCEPT_LANGUAGE="vi")
    assert wrong.status_code == 401
    assert wrong.json()["detail"] == "Cần khóa API hợp lệ (tiêu đề X-API-Key)."
    english = client.get("/api/v1/me", HTTP_ACCEPT_LANGUAGE="en")
    assert english.json()["detail"] == "A valid API key is required (header X-API-Key)."
    revoke_api_key(it_admin, key, reason="Hệ thống cũ ngừng hoạt động")
    assert client.get("/api/v1/me", HTTP_X_API_KEY=raw).status_code == 401
    assert AuditRecord.objects.filter(action="accounts.revoke_api_key").exists()


def test_only_it_admins_issue_keys(clerk, ministry_of_finance):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        issue_api_key(clerk, agency=ministry_of_finance, name="x")


def test_admin_shows_a_new_key_once_and_revokes_it(client, it_admin, ministry_of_finance, settings):
    settings.VGP_REQUIRE_2FA = False
    client.force_login(it_admin)
    response = client.post(
        "/quan-tri/api-keys/new/", {"agency": ministry_of_finance.pk, "name": "Cổng BTC"}
    )
    assert response.status_code == 200
    key = ApiKey.objects.get()
    body = response.content.decode()
    match = re.search(r'id="raw-key"[^>]*value="([^"]+)"', body)
    raw = match.group(1) if match else ""
    assert raw.startswith("vgp_") and hash_api_key(raw) == key.key_hash
    listing = client.get("/quan-tri/api-keys/")
    assert listing.status_code == 200 and raw not in listing.content.decode()
    revoked = client.post(f"/quan-tri/api-keys/{key.pk}/revoke/", {"reason": "Lộ khóa"})
    assert revoked.status_code == 302
    key.refresh_from_db()
    assert key.revoked_at is not None


def test_clerk_cannot_open_the_key_admin(client, clerk, settings):
    settings.VGP_REQUIRE_2FA = False
    client.force_login(clerk)
    assert client.get("/quan-tri/api-keys/").status_code in {302, 403}


def test_actions_through_the_api_are_audited_for_the_keys_agency(rf, ministry_of_finance):
    from django.db import transaction

    from vgp.accounts.api_auth import ApiKeyHeader
    from vgp.audit.trail import record
    from vgp.core import request_context

    key, raw = issue_api_key(None, agency=ministry_of_finance, name="Cổng BTC")
    request = rf.get("/api/v1/me", HTTP_X_API_KEY=raw, REMOTE_ADDR="10.1.2.3")
    token = request_context.activate(request_context.from_request(request))
    try:
        assert ApiKeyHeader().authenticate(request, raw) == key
        with transaction.atomic():
            entry = record(action="test.api_call", summary="called through the API")
    finally:
        request_context.deactivate(token)
    assert entry.actor_username == f"api:{key.prefix}"
    assert entry.agency_code == "000.00.00.G12"
    assert entry.via == "api"
    assert entry.ip == "10.1.2.3"


def test_a_known_key_costs_no_query_until_it_is_revoked(
    ministry_of_finance, django_assert_num_queries, settings
):
    # As in production: the shared version is read at most once a second.
    settings.SHARED_VERSION_CHECK_SECONDS = 1.0
    key, raw = issue_api_key(None, agency=ministry_of_finance, name="Cổng BTC")
    assert authenticate_api_key(raw) == key  # looked up, and its last use recorded

    with django_assert_num_queries(0):
        assert authenticate_api_key(raw) == key

    revoke_api_key(None, key)
    forget_api_keys()  # what the revocation's commit does (the test's transaction never ends)

    assert authenticate_api_key(raw) is None


def test_a_key_of_a_closed_agency_stops_even_when_known(ministry_of_finance):
    key, raw = issue_api_key(None, agency=ministry_of_finance, name="Cổng BTC")
    known = authenticate_api_key(raw)
    assert known == key
    # The agency's validity ends (what the cached key's agency says after a reload)
    assert known is not None
    known.agency.valid_to = dt.date(2020, 1, 1)

    assert authenticate_api_key(raw) is None
