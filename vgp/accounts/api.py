"""API endpoints about the caller itself."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Router, Schema

from .api_auth import agency_key_auth

router = Router(tags=["auth"])


class CallerOut(Schema):
    agency_code: str
    agency_name: str
    key_name: str
    key_prefix: str
    last_used_at: dt.datetime | None


@router.get(
    "/me", response=CallerOut, auth=agency_key_auth, summary="Who am I (the API key's agency)"
)
def me(request: HttpRequest) -> CallerOut:
    key = request.auth  # type: ignore[attr-defined]
    return CallerOut(
        agency_code=key.agency.code,
        agency_name=key.agency.name_vi,
        key_name=key.name,
        key_prefix=key.prefix,
        last_used_at=key.last_used_at,
    )
