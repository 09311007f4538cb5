"""API authentication for agency systems: ``X-API-Key: vgp_…`` or ``Authorization: Bearer vgp_…``."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import APIKeyHeader, HttpBearer

from vgp.core import request_context

from .actions import authenticate_api_key
from .models import ApiKey


def _accept(request: HttpRequest, raw: str | None) -> ApiKey | None:
    key = authenticate_api_key(raw or "")
    if key is not None:
        request.api_key = key  # type: ignore[attr-defined]
        context = request_context.current()
        # Actions called from the API are done on behalf of the key's agency.
        request_context.activate(
            request_context.RequestContext(
                ip=context.ip if context else request.META.get("REMOTE_ADDR"),
                user_agent=context.user_agent if context else "",
                user=None,
                via="api",
                actor_label=f"api:{key.prefix}",
                agency_code=key.agency.code,
            )
        )
    return key


class ApiKeyHeader(APIKeyHeader):
    param_name = "X-API-Key"

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        return _accept(request, key)


class ApiKeyBearer(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        return _accept(request, token)


agency_key_auth = [ApiKeyHeader(), ApiKeyBearer()]
