"""The JSON API: one NinjaAPI, each domain adds its router here.

Errors are JSON ``{"detail": "...", "errors": {...}}`` in the caller's language
(``Accept-Language``; Vietnamese by default); a 422 also names each invalid field with what is
wrong in ``fields`` (see ``validation.py``).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as NinjaValidationError

from vgp.accounts.api import router as accounts_router
from vgp.agencies.api import router as agencies_router
from vgp.feedback.api import router as feedback_router
from vgp.gazette.api import router as gazette_router
from vgp.legal.api import documents_router as legal_documents_router
from vgp.legal.api import search_router as legal_search_router
from vgp.news.api import articles_router, syndication_router

from .validation import field_messages

api = NinjaAPI(
    title="VGP API",
    version="1",
    description=(
        "API of the Government portal and operations platform. Agency systems authenticate "
        "with an API key issued by the IT administrator: header `X-API-Key: vgp_…` or "
        "`Authorization: Bearer vgp_…`."
    ),
    urls_namespace="api-v1",
)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: Exception) -> HttpResponse:
    return api.create_response(
        request, {"detail": _("A valid API key is required (header X-API-Key).")}, status=401
    )


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: Exception) -> HttpResponse:
    message = str(exc) or _("You do not have permission to do this.")
    return api.create_response(request, {"detail": message}, status=403)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    message = str(exc) or _("Not found.")
    return api.create_response(request, {"detail": message}, status=404)


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return api.create_response(
        request, {"detail": _("The request is not valid."), "errors": errors}, status=400
    )


@api.exception_handler(NinjaValidationError)
def _schema_invalid(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    # ``errors`` is django-ninja's list (English); ``fields`` says the same per field in the
    # caller's language.
    body = {
        "detail": _("The request is not valid."),
        "errors": exc.errors,
        "fields": field_messages(exc.errors),
    }
    return api.create_response(request, body, status=422)


api.add_router("/agencies", agencies_router)
api.add_router("/articles", articles_router)
api.add_router("/syndication", syndication_router)
api.add_router("/legal-documents", legal_documents_router)
api.add_router("/legal-search", legal_search_router)
api.add_router("/gazette", gazette_router)
api.add_router("/feedback", feedback_router)
api.add_router("/documents", "vgp.documents.api.router")
api.add_router("/signatures", "vgp.signatures.api.router")
api.add_router("/", accounts_router)
