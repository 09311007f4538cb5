"""The request being served, as seen by code far from the view (actions, audit).

The middleware stores who is acting and from which address in a context variable, so that an
action called from a view, the admin or the API records the same facts without every caller
passing the request down. Code run outside a request (commands, tasks) sees ``None``.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest


@dataclass(frozen=True)
class RequestContext:
    ip: str | None
    user_agent: str
    user: Any = None
    via: str = "web"  # web | api | command | task
    # For callers that are not users (an agency system with an API key): who to name in the
    # audit trail and which agency they act for.
    actor_label: str = ""
    agency_code: str = ""


_current: ContextVar[RequestContext | None] = ContextVar("vgp_request_context", default=None)


def client_ip(request: HttpRequest) -> str | None:
    """The client's address, trusting exactly ``TRUSTED_PROXY_COUNT`` reverse proxies."""
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if proxies:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")


def current() -> RequestContext | None:
    return _current.get()


def activate(context: RequestContext | None) -> Any:
    return _current.set(context)


def deactivate(token: Any) -> None:
    _current.reset(token)


def from_request(request: HttpRequest, via: str = "web") -> RequestContext:
    return RequestContext(
        ip=client_ip(request),
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
        user=getattr(request, "user", None),
        via=via,
    )
