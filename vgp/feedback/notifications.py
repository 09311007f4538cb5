"""Messages to citizens about their submissions: e-mail, and a short text ready for SMS.

Each message is sent by a background task after the action's transaction commits; a failure is
kept by django-tasks (listed under Settings → Background tasks, retried there). Messages are in
Vietnamese, the language citizens submit in. The SMS text stays under 160 characters without
diacritics so that any gateway can deliver it in one part.
"""

from __future__ import annotations

import functools
import logging
import unicodedata

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from .models import FeedbackItem, Intake, Kind

logger = logging.getLogger(__name__)

RECEIVED = "received"
ROUTED = "routed"
ACCEPTED = "accepted"
INFO_REQUESTED = "info_requested"
REJECTED = "rejected"
DUPLICATE = "duplicate"
ANSWERED = "answered"

_SUBJECTS = {
    RECEIVED: gettext_noop("Your submission %(code)s has been received"),
    ROUTED: gettext_noop("Your submission %(code)s was sent to the competent agency"),
    ACCEPTED: gettext_noop("Your submission %(code)s was accepted"),
    INFO_REQUESTED: gettext_noop("More information is needed for your submission %(code)s"),
    REJECTED: gettext_noop("Your submission %(code)s was not accepted"),
    DUPLICATE: gettext_noop("Your submission %(code)s was merged with an earlier one"),
    ANSWERED: gettext_noop("Your submission %(code)s has been answered"),
}


def tracking_url(item: FeedbackItem | Intake) -> str:
    return f"{settings.WAGTAILADMIN_BASE_URL.rstrip('/')}{_track_path()}?code={item.code}"


@functools.cache
def _track_path() -> str:
    """The tracking page's address in the installation's language (URLs do not change while
    a process runs)."""
    with translation.override(settings.LANGUAGE_CODE):
        return reverse("feedback:track")


def subject(item: FeedbackItem | Intake, message: str) -> str:
    return _(_SUBJECTS[message]) % {"code": item.code}


def body(item: FeedbackItem, message: str) -> str:
    lines = [
        _("Dear %(name)s,") % {"name": item.name},
        "",
        subject(item, message) + ".",
        _("Kind: %(kind)s. Title: %(title)s.")
        % {"kind": Kind(item.kind).label, "title": item.title},
    ]
    if message == RECEIVED and item.routing_due:
        lines.append(
            _("Tracking code: %(code)s. Keep it, with the e-mail or telephone you gave.")
            % {"code": item.code}
        )
    if message == ROUTED and item.agency_id:
        lines.append(_("Handling agency: %(agency)s.") % {"agency": item.agency})
    if message == ACCEPTED and item.answer_due:
        lines.append(
            _("The agency will answer by %(date)s.")
            % {"date": date_format(item.answer_due, "SHORT_DATE_FORMAT")}
        )
    if message == INFO_REQUESTED:
        request = item.information_requests.order_by("-asked_at").first()
        if request is not None:
            lines += ["", _("Question:"), request.question]
        lines.append(_("Answer on the tracking page; the deadline is paused until you do."))
    if message == REJECTED:
        lines += ["", _("Reason:"), item.rejection_reason]
    if message == ANSWERED:
        lines += ["", _("Reply:"), item.reply]
    lines += ["", _("Follow it at: %(url)s") % {"url": tracking_url(item)}]
    return "\n".join(lines)


def sms_text(item: FeedbackItem | Intake, message: str = RECEIVED) -> str:
    """One SMS part: ASCII only, at most 160 characters."""
    with translation.override(settings.LANGUAGE_CODE):
        text = _("VGP: %(subject)s. Track with code %(code)s at %(site)s") % {
            "subject": subject(item, message),
            "code": item.code,
            "site": settings.WAGTAILADMIN_BASE_URL.split("//")[-1].rstrip("/"),
        }
    return _ascii(text)[:160]


def _ascii(text: str) -> str:
    """``text`` without diacritics, case kept (SMS gateways send 160 such characters)."""
    text = text.replace("đ", "d").replace("Đ", "D")
    return unicodedata.normalize("NFD", text).encode("ascii", "ignore").decode("ascii")


def enqueue_citizen_message(item_id: int, message: str) -> None:
    from .tasks import send_citizen_message

    send_citizen_message.enqueue(item_id, message)


def send(item: FeedbackItem, message: str) -> bool:
    """E-mail ``message`` to the citizen (when they gave an address); True when sent."""
    if not item.email:
        return False
    with translation.override(settings.LANGUAGE_CODE):
        send_mail(
            subject(item, message),
            body(item, message),
            settings.DEFAULT_FROM_EMAIL,
            [item.email],
        )
    return True
