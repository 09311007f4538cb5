from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from . import request_context


class RequestContextMiddleware:
    """Publish the acting user and client address for actions and the audit trail."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = request_context.activate(request_context.from_request(request))
        try:
            return self.get_response(request)
        finally:
            request_context.deactivate(token)
