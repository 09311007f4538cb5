"""The public page where anyone checks the signatures of a PDF (/xac-thuc/).

Server-rendered, no JavaScript. A check is counted against the visitor's address before the
file is read (``rate_limits``, 429 with the time to come back); the upload is kept in memory
and cut off at ``SIGNATURE_VERIFY_MAX_BYTES`` (``uploads``), so the page is exempt from the
CSRF middleware, which would read the body first, and checks the token itself afterwards.
Nothing uploaded is stored, and the page is never cached.

Answers: 200 with the form or the report; 200 with the form's errors (no file, a bad date);
400 for a file that cannot be checked (not a PDF, damaged, encrypted…), 413 for one too large,
429 when the address has checked too often or the server is busy.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from vgp.core.rate_limits import Overloaded, client_ip

from . import rate_limits
from .forms import VerifyForm
from .presentation import report_view
from .uploads import BoundedUpload, bound_uploads
from .verification import VerificationError, verify_pdf

logger = logging.getLogger("vgp.signatures")

TEMPLATE = "signatures/verify.html"


def _come_back_at(seconds: int) -> str:
    moment = timezone.localtime(timezone.now() + dt.timedelta(seconds=seconds))
    return date_format(moment, "SHORT_DATETIME_FORMAT")


def _page(
    request: HttpRequest,
    form: VerifyForm,
    *,
    status: int = 200,
    problem: str = "",
    report: Any = None,
    retry_after: int | None = None,
) -> TemplateResponse:
    form.describe()
    errors = form.error_list([("", problem)] if problem else None)
    context = {
        "form": form,
        "errors": errors,
        "report": report_view(report) if report is not None else None,
    }
    response = TemplateResponse(request, TEMPLATE, context, status=status)
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


@csrf_exempt  # the token is checked by _check, once the bounded upload handler is in place
@never_cache
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """The form; on POST, the report of the file sent."""
    if request.method != "POST":
        return csrf_protect(_form)(request)
    ip = client_ip(request)
    limit = rate_limits.hit_ip(ip)
    if not limit.allowed:
        logger.info("Signature verification refused (rate limit) from %s", ip)
        problem = _(
            "Too many files have been checked from your connection. Your file was not checked: "
            "you can check it again after %(when)s."
        ) % {"when": _come_back_at(limit.retry_after)}
        return _page(
            request, VerifyForm(), status=429, problem=problem, retry_after=limit.retry_after
        )
    handler = bound_uploads(request)
    return csrf_protect(_check)(request, handler)


def _form(request: HttpRequest) -> HttpResponse:
    return _page(request, VerifyForm())


def _check(request: HttpRequest, handler: BoundedUpload) -> HttpResponse:
    form = VerifyForm(request.POST, request.FILES, too_large=handler.too_large)
    if not form.is_valid():
        if handler.too_large:
            logger.info("Signature verification refused (too_large) from %s", client_ip(request))
            return _page(request, form, status=413)
        return _page(request, form)
    try:
        with rate_limits.admission():
            report = verify_pdf(form.cleaned_data["file"], at=form.cleaned_data["at"])
    except Overloaded as overloaded:
        problem = _(
            "Many files are being checked right now. Your file was not checked: wait a few "
            "seconds and send it again."
        )
        return _page(
            request, VerifyForm(), status=429, problem=problem, retry_after=overloaded.retry_after
        )
    except VerificationError as error:
        logger.info("Signature verification refused (%s) from %s", error.code, client_ip(request))
        form.add_error("file", str(error))
        return _page(request, form, status=413 if error.code == "too_large" else 400)
    return _page(request, VerifyForm(initial={"at": request.POST.get("at", "")}), report=report)
