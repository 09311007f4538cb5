from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import translation

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


class ApiLanguageMiddleware:
    """Answer API calls in the language of ``Accept-Language`` (Vietnamese by default).

    ``LocaleMiddleware`` pins every path without a language prefix to the default language,
    which is right for pages (Vietnamese at ``/``, English at ``/en/``) but not for an API whose
    clients say what they read.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info.startswith("/api/"):
            language = translation.get_language_from_request(request, check_path=False)
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)
