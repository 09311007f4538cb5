"""Public pages of citizen feedback: what each kind is, the submission form, the page after it,
tracking (with the answer to a request for information) and the published answers.

Server-rendered; everything works without JavaScript (the proof of work is the only script,
and a form without it is still accepted under a tighter rate limit unless
``FEEDBACK_POW_REQUIRED`` says otherwise).

Decisions worth knowing:

- **Honeypot.** A form whose hidden "website" box was filled creates nothing and is shown again
  with a generic message ("the form could not be sent"), its values kept and the box emptied.
  A success-looking page would fool a robot a little longer, but it would also fool a person
  whose browser filled the box by itself (autofill), who would then wait for an answer to a
  submission that never existed; with the generic message that person simply sends it again.
- **Order of checks on a submission.** The form's own checks first (a typo must not cost one of
  the three submissions an hour allowed without JavaScript), then the proof of work, then the
  rate limits (per address, and per email address and telephone number), then the action.
  The whole is run under ``rate_limits.admission`` (too many at once: 429, values kept).
- **One-time form token.** Every form carries a random token, passed to ``actions.submit`` as
  the idempotency key: a double click or a re-post gives the item already created. A valid
  proof of work is remembered for that token (a digest of the solution, in the cache), since
  the second post of a double click carries a solution the first one already spent.
- **Session rules.** The page after a submission is shown only to the session that sent it
  (the codes it sent, with their item ids, are kept in the session for a working day); any
  other visitor is sent to the tracking page. Tracking asks for the code and the contact;
  once they match, the session remembers that item for an hour (the session key is renewed
  at that moment), so that answering a request for information and the page shown after it
  do not ask again. Every lookup on the tracking page counts against the ``tracking`` rate
  limit; a wrong contact and an unknown code get the same answer (404).
- Nothing here shows internal notes, handlers' names, the submitter's contact details on a
  public page, or any other item.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging
import time
import uuid
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseRedirect,
)
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_safe

from vgp.agencies.models import Agency
from vgp.core.rate_limits import Limit, Overloaded, client_ip
from vgp.portal.paging import paginate

from . import actions, attachments, notifications, proof_of_work, queries, rate_limits
from . import reply_letter as reply_letter_files
from .forms import (
    KIND_HINTS,
    AnsweredFilterForm,
    AnswerForm,
    DescribedForm,
    SubmissionForm,
    TrackForm,
    sector_name,
)
from .models import KIND_SHORT, Channel, Event, EventKind, FeedbackItem, Kind, Status

logger = logging.getLogger(__name__)

PER_PAGE = 20
SUBMITTED_SESSION_KEY = "feedback_submitted"
TRACKED_SESSION_KEY = "feedback_tracked"
ANSWER_SENT_SESSION_KEY = "feedback_answer_sent"
SUBMITTED_SECONDS = 8 * 3600
TRACKED_SECONDS = 3600
# A session remembers this many items of each sort at most (the oldest go first).
REMEMBERED_MAX = 20
FORM_PROOF_PREFIX = "vgp:feedback:form-proof:"
PROOF_ANCHOR = "feedback-proof"
BUSY_MESSAGE = gettext_noop(
    "Many people are sending forms right now. Your form has not been sent: wait a few seconds "
    "and send it again."
)


def _see_other(url: str) -> HttpResponseRedirect:
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response


def _track_url(code: str = "") -> str:
    url = reverse("feedback:track")
    return f"{url}?{urlencode({'code': code})}" if code else url


def _when(seconds: int) -> str:
    moment = timezone.localtime(timezone.now() + dt.timedelta(seconds=seconds))
    return date_format(moment, "SHORT_DATETIME_FORMAT")


def _error_list(form: DescribedForm, extra: list[tuple[str, str]] | None = None) -> list[Any]:
    """(anchor, message) for the error summary: the page's own problems first, then each
    field's in the form's order, then what concerns the whole form (no anchor)."""
    found: list[tuple[str, str]] = list(extra or [])
    if not form.is_bound:
        return found
    for name, field in form.fields.items():
        anchor = "" if field.widget.is_hidden else form[name].id_for_label
        if name == "kind":
            anchor = "id_kind_0"
        found.extend((anchor, str(message)) for message in form.errors.get(name, []))
    found.extend(("", str(message)) for message in form.non_field_errors())
    return found


# --- the session's memory -----------------------------------------------------------------------


def _remember(request: HttpRequest, key: str, code: str, entry: dict[str, Any]) -> None:
    entries = dict(request.session.get(key, {}))
    entries[code] = entry
    if len(entries) > REMEMBERED_MAX:
        newest = sorted(entries.items(), key=lambda pair: pair[1]["until"])[-REMEMBERED_MAX:]
        entries = dict(newest)
    request.session[key] = entries


def _recall(request: HttpRequest, key: str, code: str) -> dict[str, Any] | None:
    entry = request.session.get(key, {}).get(code) if code else None
    if not isinstance(entry, dict) or entry.get("until", 0) < time.time():
        return None
    return entry


def _item(pk: Any, code: str) -> FeedbackItem | None:
    """The item a session has proved it may see (by the code and contact, or by sending it)."""
    if not isinstance(pk, int):
        return None
    return (
        FeedbackItem.objects.select_related("agency", "sector", "province")
        .filter(pk=pk, code=code)
        .first()
    )


def _submitted_by_session(request: HttpRequest, code: str) -> FeedbackItem | None:
    entry = _recall(request, SUBMITTED_SESSION_KEY, code)
    return _item(entry.get("pk"), code) if entry else None


def _tracked_by_session(request: HttpRequest, code: str) -> FeedbackItem | None:
    entry = _recall(request, TRACKED_SESSION_KEY, code)
    return _item(entry.get("pk"), code) if entry else None


def _code_of_token(request: HttpRequest, token: str) -> str:
    for code, entry in request.session.get(SUBMITTED_SESSION_KEY, {}).items():
        if isinstance(entry, dict) and entry.get("token") == token:
            return str(code)
    return ""


# --- home ---------------------------------------------------------------------------------------

SEND_LINKS = {
    Kind.FEEDBACK: gettext_lazy("Send feedback"),
    Kind.PETITION: gettext_lazy("Send a petition or proposal"),
    Kind.COMPLAINT: gettext_lazy("Send a complaint"),
    Kind.DENUNCIATION: gettext_lazy("Send a denunciation"),
}


@require_GET
def home(request: HttpRequest) -> TemplateResponse:
    """The four kinds of submission, and the ways in: send, track, read the answers."""
    kinds = [
        {
            "value": value,
            "short": KIND_SHORT[Kind(value)],
            "hint": KIND_HINTS[Kind(value)],
            "send": SEND_LINKS[Kind(value)],
        }
        for value, _label in Kind.choices
    ]
    return TemplateResponse(
        request, "feedback/home.html", {"kinds": kinds, "denunciation": Kind.DENUNCIATION.value}
    )


# --- the submission form ------------------------------------------------------------------------


def _submit_page(
    request: HttpRequest,
    form: SubmissionForm,
    *,
    status: int = 200,
    problem: str = "",
    proof_error: str = "",
    files_dropped: bool = False,
    retry_after: int | None = None,
) -> TemplateResponse:
    form.describe()
    extra = [("", problem)] if problem else []
    if proof_error:
        extra.append((PROOF_ANCHOR, proof_error))
    errors = _error_list(form, extra)
    if files_dropped and errors:
        errors.append(
            (
                form["attachments"].id_for_label,
                _("For your safety the files you chose were not kept: choose them again."),
            )
        )
    context = {
        "form": form,
        "kind_options": form.kind_options(),
        "errors": errors,
        "files_dropped": files_dropped,
        "proof_error": proof_error,
        "proof_anchor": PROOF_ANCHOR,
        "denunciation": Kind.DENUNCIATION.value,
        **proof_of_work.widget_context(),
    }
    response = TemplateResponse(request, "feedback/submit.html", context, status=status)
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


def _proven(token: str, payload: str) -> bool:
    """A valid proof of work for this form: a fresh solution, or the one this same form
    (its token) already presented, for the re-post of a double click."""
    if not payload:
        return False
    key = f"{FORM_PROOF_PREFIX}{token}"
    fingerprint = hashlib.sha256(payload.encode()).hexdigest()
    if proof_of_work.verify_solution(payload):
        cache.set(key, fingerprint, proof_of_work.expires_seconds())
        return True
    remembered = cache.get(key)
    return isinstance(remembered, str) and hmac.compare_digest(remembered, fingerprint)


def _refused_message(limit: Limit) -> str:
    message = _(
        "Too many submissions have come from your connection, or with your email address or "
        "telephone number. Your form has not been sent. You can send it again after %(when)s."
    ) % {"when": _when(limit.retry_after)}
    if limit.policy == "ip_no_script":
        message += " " + _(
            "With JavaScript turned on in your browser, more submissions an hour are accepted."
        )
    return message


@never_cache
@require_http_methods(["GET", "POST"])
def submit(request: HttpRequest) -> HttpResponse:
    """The form for the four kinds; on success, 303 to the page with the tracking code."""
    if request.method != "POST":
        form = SubmissionForm(initial={"form_token": _new_token(), "kind": request.GET.get("loai")})
        return _submit_page(request, form)
    try:
        with rate_limits.admission("feedback-submit"):
            return _receive(request)
    except Overloaded as overloaded:
        # Shown again without its files, so that being busy costs no file checks.
        return _submit_page(
            request,
            SubmissionForm(request.POST),
            status=429,
            problem=_(BUSY_MESSAGE),
            files_dropped=bool(request.FILES),
            retry_after=overloaded.retry_after,
        )


def _new_token() -> str:
    return str(uuid.uuid4())


def _receive(request: HttpRequest) -> HttpResponse:
    files_dropped = bool(request.FILES.getlist("attachments"))
    form = SubmissionForm(request.POST, request.FILES)
    if form.honeypot_filled():
        logger.info("Feedback form with its honeypot filled, from %s", client_ip(request))
        data = request.POST.copy()
        data[SubmissionForm.HONEYPOT] = ""
        return _submit_page(
            request,
            SubmissionForm(data),
            status=400,
            problem=_("The form could not be sent. Check it and send it again."),
            files_dropped=files_dropped,
        )
    if not form.is_valid():
        return _submit_page(request, form, files_dropped=files_dropped)

    token = str(form.cleaned_data["form_token"])
    sent_before = bool(_code_of_token(request, token))
    if not sent_before:
        # A form this session already sent skips these: the action gives back its item.
        payload = request.POST.get(proof_of_work.FIELD_NAME, "")
        proven = _proven(token, payload)
        if not proven and not proof_of_work.fallback_allowed():
            return _submit_page(
                request,
                form,
                proof_error=_(
                    "The check “I am not a robot” has expired or failed: tick it again and wait "
                    "until it says “Verified”, then send the form."
                )
                if payload
                else _(
                    "Tick “I am not a robot” and wait until it says “Verified”, then send the "
                    "form. This check needs JavaScript."
                ),
                files_dropped=files_dropped,
            )
        contacts = [form.cleaned_data.get("email", ""), form.cleaned_data.get("phone", "")]
        ip = client_ip(request) or ""
        limit = rate_limits.check_submission(ip, contacts, with_proof=proven)
        if not limit.allowed:
            return _submit_page(
                request,
                form,
                status=429,
                problem=_refused_message(limit),
                files_dropped=files_dropped,
                retry_after=limit.retry_after,
            )

    try:
        item, _created = actions.submit(
            form.submission(), channel=Channel.WEB, idempotency_key=token
        )
    except actions.IdempotencyConflict:
        # This token already made an item with other content (the back button, an edit, the
        # form sent again): keep the values, give the form a new token, and say so.
        code = _code_of_token(request, token)
        data = request.POST.copy()
        data["form_token"] = _new_token()
        again = SubmissionForm(data)
        return _submit_page(
            request,
            again,
            problem=(
                _(
                    "This form was already sent: its tracking code is %(code)s. To send another "
                    "submission, check the form below and send it again."
                )
                % {"code": code}
                if code
                else _(
                    "This form was already sent. To send another submission, check the form "
                    "below and send it again."
                )
            ),
            files_dropped=files_dropped,
        )
    except ValidationError as error:
        form.add_action_errors(error, default_field="attachments")
        return _submit_page(request, form, files_dropped=files_dropped)

    _remember(
        request,
        SUBMITTED_SESSION_KEY,
        item.code,
        {"pk": item.pk, "token": token, "until": int(time.time()) + SUBMITTED_SECONDS},
    )
    return _see_other(reverse("feedback:submitted", args=[item.code]))


# --- after the submission -----------------------------------------------------------------------


@never_cache
@require_GET
def submitted(request: HttpRequest, code: str) -> HttpResponse:
    """The tracking code, what happens next, and the text ready for an SMS — only for the
    session that sent it; anyone else is sent to the tracking page."""
    normalised = queries.normalise_code(code)
    item = _submitted_by_session(request, normalised) if normalised else None
    if item is None:
        return _see_other(_track_url(normalised))
    context = {
        "item": item,
        "kind_short": KIND_SHORT[Kind(item.kind)],
        "sms_text": notifications.sms_text(item),
        "track_url": _track_url(item.code),
    }
    return TemplateResponse(request, "feedback/submitted.html", context)


# --- tracking -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One public step of the citizen's timeline, in words for the citizen."""

    at: dt.datetime
    title: str
    text_label: str = ""
    text: str = ""


def _agency_name(agency: Agency | None) -> str:
    return str(agency.name) if agency is not None else ""


def _step(event: Event, competent: dict[int, Agency]) -> Step:
    agency = _agency_name(event.agency)
    kind = event.kind
    if kind == EventKind.SUBMITTED:
        return Step(event.at, _("Received by the portal"))
    if kind == EventKind.ROUTED:
        title = (
            _("Sent to the competent agency: %(agency)s") % {"agency": agency}
            if agency
            else _("Sent to the competent agency")
        )
        return Step(event.at, title)
    if kind == EventKind.RETURNED:
        other = _agency_name(competent.get(event.data.get("competent_agency") or 0))
        if other:
            title = _("Returned by %(agency)s, which named the competent agency: %(other)s") % {
                "agency": agency or _("the agency"),
                "other": other,
            }
        else:
            title = _("Returned by %(agency)s to the reception desk") % {
                "agency": agency or _("the agency")
            }
        return Step(event.at, title, _("Reason"), event.message)
    if kind == EventKind.ACCEPTED:
        title = _("Accepted by %(agency)s") % {"agency": agency} if agency else _("Accepted")
        return Step(event.at, title)
    if kind == EventKind.ASSIGNED:
        return Step(event.at, _("An official was assigned to handle it"))
    if kind == EventKind.INFO_REQUESTED:
        return Step(event.at, _("More information was asked of you"), _("Question"), event.message)
    if kind == EventKind.INFO_PROVIDED:
        return Step(
            event.at, _("You sent the information asked for"), _("Your answer"), event.message
        )
    if kind == EventKind.EXTENDED:
        new_due = event.data.get("to")
        try:
            day = (
                date_format(dt.date.fromisoformat(new_due), "SHORT_DATE_FORMAT") if new_due else ""
            )
        except (TypeError, ValueError):
            day = ""
        title = (
            _("The time to answer was extended to %(date)s") % {"date": day}
            if day
            else _("The time to answer was extended")
        )
        return Step(event.at, title, _("Reason"), event.message)
    if kind == EventKind.ANSWERED:
        return Step(event.at, _("Answered"))
    if kind == EventKind.PUBLISHED:
        return Step(event.at, _("The reply was published, without your name or contact details"))
    if kind == EventKind.REJECTED:
        return Step(event.at, _("Not accepted"), _("Reason"), event.message)
    if kind == EventKind.DUPLICATE:
        return Step(event.at, _("Merged with an earlier submission on the same matter"))
    # Any other public step: its name only (a message may be meant for staff).
    return Step(event.at, str(EventKind(kind).label))


def _timeline(item: FeedbackItem) -> list[Step]:
    events = list(queries.citizen_timeline(item))
    wanted = {
        event.data.get("competent_agency")
        for event in events
        if event.kind == EventKind.RETURNED and isinstance(event.data.get("competent_agency"), int)
    }
    competent = Agency.objects.in_bulk(list(wanted)) if wanted else {}
    return [_step(event, competent) for event in events]


def _result_context(item: FeedbackItem, answer_form: AnswerForm | None = None) -> dict[str, Any]:
    question = queries.open_information_request(item)
    if question is not None and answer_form is None:
        answer_form = AnswerForm()
    if answer_form is not None:
        answer_form.describe()
    return {
        "item": item,
        "track_form_url": reverse("feedback:track"),
        "kind_short": KIND_SHORT[Kind(item.kind)],
        "sector": sector_name(item.sector),
        "agency_name": _agency_name(item.agency),
        "paused": item.status == Status.AWAITING_CITIZEN,
        "answered": item.status == Status.ANSWERED,
        "timeline": _timeline(item),
        "files": [
            {"name": f.original_name, "size": attachments.format_size(f.size)}
            for f in item.attachments.all()
        ],
        "question": question,
        "reply_letter_url": reverse("feedback:reply_letter", kwargs={"code": item.code})
        if item.status == Status.ANSWERED and item.reply_letter
        else "",
        "answer_form": answer_form if question is not None else None,
        "answer_errors": _error_list(answer_form) if answer_form is not None else [],
    }


def _track_page(
    request: HttpRequest,
    form: TrackForm,
    *,
    status: int = 200,
    problem: str = "",
    retry_after: int | None = None,
) -> TemplateResponse:
    form.describe()
    extra = [(form["code"].id_for_label, problem)] if problem else []
    context = {"form": form, "errors": _error_list(form, extra), "item": None}
    response = TemplateResponse(request, "feedback/track.html", context, status=status)
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


def _result_page(
    request: HttpRequest,
    item: FeedbackItem,
    answer_form: AnswerForm | None = None,
    *,
    status: int = 200,
    answer_sent: bool = False,
) -> TemplateResponse:
    context = {**_result_context(item, answer_form), "answer_sent": answer_sent}
    return TemplateResponse(request, "feedback/track.html", context, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def track(request: HttpRequest) -> HttpResponse:
    """Code + email or telephone → the item's status, timeline, deadline and reply; and the
    answer to a question the agency asked."""
    if request.method == "POST":
        if request.POST.get("action") == "answer":
            return _answer(request)
        return _lookup(request)
    code = queries.normalise_code(request.GET.get("code", ""))
    item = _tracked_by_session(request, code) if code else None
    if item is not None:
        answer_sent = request.session.get(ANSWER_SENT_SESSION_KEY) == item.code
        if answer_sent:
            del request.session[ANSWER_SENT_SESSION_KEY]
        return _result_page(request, item, answer_sent=answer_sent)
    return _track_page(request, TrackForm(initial={"code": request.GET.get("code", "")[:30]}))


def _lookup(request: HttpRequest) -> HttpResponse:
    form = TrackForm(request.POST)
    limit = rate_limits.hit_policy("tracking", client_ip(request) or "")
    if not limit.allowed:
        return _track_page(
            request,
            form,
            status=429,
            problem=_("Too many lookups have come from your connection. Try again after %(when)s.")
            % {"when": _when(limit.retry_after)},
            retry_after=limit.retry_after,
        )
    if not form.is_valid():
        return _track_page(request, form)
    item = queries.find_for_citizen(form.cleaned_data["code"], form.cleaned_data["contact"])
    if item is None:
        # The same words whether the code exists or not: a code alone reveals nothing.
        return _track_page(
            request,
            form,
            status=404,
            problem=_(
                "No submission matches this tracking code with this email address or telephone "
                "number. Check both and try again."
            ),
        )
    # From here the session may see this item: a fresh session key, so that a key planted
    # before (session fixation) is worth nothing.
    request.session.cycle_key()
    _remember(
        request,
        TRACKED_SESSION_KEY,
        item.code,
        {"pk": item.pk, "until": int(time.time()) + TRACKED_SECONDS},
    )
    return _see_other(_track_url(item.code))


def _answer(request: HttpRequest) -> HttpResponse:
    code = queries.normalise_code(request.POST.get("code", ""))
    item = _tracked_by_session(request, code) if code else None
    if item is None:
        # The session forgot (or never knew) this item: ask for the code and contact again.
        return _track_page(
            request,
            TrackForm(initial={"code": code}),
            status=403,
            problem=_(
                "For your security, enter your tracking code and your email address or "
                "telephone number again, then send your answer."
            ),
        )
    if queries.open_information_request(item) is None:
        return _see_other(_track_url(item.code))
    form = AnswerForm(request.POST, request.FILES)
    if not form.is_valid():
        return _result_page(request, item, form)
    try:
        with rate_limits.admission("feedback-answer"):
            actions.provide_information(
                item, answer=form.cleaned_data["answer"], files=form.uploads()
            )
    except Overloaded as overloaded:
        form.add_error(None, _(BUSY_MESSAGE))
        response = _result_page(request, item, form, status=429)
        response["Retry-After"] = str(overloaded.retry_after)
        return response
    except ValidationError as error:
        form.add_action_errors(error, default_field="attachments")
        return _result_page(request, item, form)
    # Said on the next page by the tracking template, beside the answer in the timeline.
    request.session[ANSWER_SENT_SESSION_KEY] = item.code
    return _see_other(_track_url(item.code))


@never_cache
@require_safe
def reply_letter(request: HttpRequest, code: str) -> HttpResponseBase:
    """The reply letter (PDF), for the session that follows this item on the tracking page:
    the same rule as the reply it carries. Anyone else gets 404, as for an unknown code."""
    normalised = queries.normalise_code(code)
    item = _tracked_by_session(request, normalised) if normalised else None
    if item is None or item.status != Status.ANSWERED or not item.reply_letter:
        raise Http404("No reply letter for this session.")
    return reply_letter_files.download(item)


# --- answered items -----------------------------------------------------------------------------


@require_GET
def answered_list(request: HttpRequest) -> TemplateResponse:
    """Published answers (consent given; never a denunciation), searchable and filtered, 20 a
    page. A filter that cannot be read is reported on the form and left out."""
    form = AnsweredFilterForm(request.GET)
    form.is_valid()
    form.describe()
    items = queries.public_items(**form.filters())
    paged = paginate(request, items, PER_PAGE)
    context = {
        "form": form,
        "errors": _error_list(form),
        "items": [
            {
                "item": item,
                "kind_short": KIND_SHORT[Kind(item.kind)],
                "sector": sector_name(item.sector),
                "agency_name": _agency_name(item.agency),
            }
            for item in paged
        ],
        "paged": paged,
        "total": paged.page.paginator.count,
        "page_number": paged.page.number,
        "searched": form.has_criteria(),
    }
    return TemplateResponse(request, "feedback/answered_list.html", context)


@require_GET
def answered_detail(request: HttpRequest, pk: int) -> TemplateResponse:
    """One published answer: the summary and the reply with personal data removed."""
    item = queries.published_item(pk)
    if item is None:
        raise Http404("No published answer has this code.")
    context = {
        "item": item,
        "kind_short": KIND_SHORT[Kind(item.kind)],
        "sector": sector_name(item.sector),
        "agency_name": _agency_name(item.agency),
    }
    return TemplateResponse(request, "feedback/answered_detail.html", context)
