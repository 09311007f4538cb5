"""Permission-checked reads of citizen feedback, for the pages, the admin and the API."""

from __future__ import annotations

import datetime as dt
import hmac
from typing import Any

from django.db.models import Q, QuerySet

from vgp.accounts import permissions
from vgp.search.analysis import fold

from .actions import (
    PERM_RECEIVE,
    PERM_VIEW,
    normalise_email,
    normalise_phone,
    register_intake,
)
from .models import Event, FeedbackItem, Intake, Kind


def normalise_code(code: str) -> str:
    """Tracking codes are read aloud and retyped: case, spaces and dashes do not matter."""
    raw = "".join(ch for ch in (code or "").upper() if ch.isalnum())
    raw = raw.replace("O", "0").replace("I", "1").replace("L", "1")
    if len(raw) != 12:
        return ""
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def find_for_citizen(code: str, contact: str) -> FeedbackItem | None:
    """The item with this tracking code, if ``contact`` is the e-mail or telephone given with
    it; None otherwise (the caller answers 404 either way, so a code alone reveals nothing).

    A submission received through the API but not registered yet (ADR 0013) is registered now,
    so that its citizen never meets a code the portal does not know."""
    normalised = normalise_code(code)
    if not normalised or not (contact or "").strip():
        return None
    item = (
        FeedbackItem.objects.select_related("agency", "sector", "province")
        .filter(code=normalised)
        .first()
    )
    if item is not None:
        return item if _contact_matches(item.contact_email, item.contact_phone, contact) else None
    intake = Intake.objects.filter(code=normalised, item__isnull=True).first()
    if intake is None or not _contact_matches(
        normalise_email(intake.payload["email"]), normalise_phone(intake.payload["phone"]), contact
    ):
        return None
    registered = register_intake(intake)
    return FeedbackItem.objects.select_related("agency", "sector", "province").get(pk=registered.pk)


def _contact_matches(email_on_file: str, phone_on_file: str, contact: str) -> bool:
    email, phone = normalise_email(contact), normalise_phone(contact)
    matches = bool(email_on_file) and hmac.compare_digest(email_on_file, email)
    matches |= bool(phone_on_file) and bool(phone) and hmac.compare_digest(phone_on_file, phone)
    return matches


def citizen_timeline(item: FeedbackItem) -> QuerySet[Event]:
    """The steps the citizen sees (internal notes and assignments to names stay internal)."""
    return item.events.filter(public=True).select_related("agency").order_by("at", "id")


def staff_items(user: Any) -> QuerySet[FeedbackItem]:
    """Items ``user`` may see: reception follows every item; an agency's staff see those
    their agency (or one of its units) holds."""
    base = FeedbackItem.objects.select_related("agency", "sector", "handler", "province")
    if not permissions.can(user, PERM_VIEW):
        return base.none()
    if permissions.is_nationwide(user) or permissions.can(user, PERM_RECEIVE):
        return base
    return base.filter(agency_id__in=permissions.agency_ids_of(user))


def public_items(
    *,
    q: str = "",
    agency_id: int | None = None,
    sector_id: int | None = None,
    kind: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[FeedbackItem]:
    """Published answers (consent given; never a denunciation), newest first. ``q`` matches
    every word, without regard to diacritics."""
    items = FeedbackItem.objects.published().select_related("agency", "sector")
    for word in fold(q).split()[:10]:
        items = items.filter(search_text__contains=word)
    if agency_id:
        items = items.filter(agency_id=agency_id)
    if sector_id:
        items = items.filter(sector_id=sector_id)
    if kind and kind in Kind.values and kind != Kind.DENUNCIATION:
        items = items.filter(kind=kind)
    if date_from:
        items = items.filter(answered_at__date__gte=date_from)
    if date_to:
        items = items.filter(answered_at__date__lte=date_to)
    return items.order_by("-published_at", "-id")


def published_item(pk: int) -> FeedbackItem | None:
    """A published answer, by its number (never by the tracking code, which stays private:
    with it, the citizen's contact would be the only secret guarding the tracking page)."""
    return public_items().filter(pk=pk).first()


def open_information_request(item: FeedbackItem) -> Any:
    return item.information_requests.filter(answered_at__isnull=True).order_by("-asked_at").first()


def duplicate_candidates(item: FeedbackItem, limit: int = 5) -> list[tuple[FeedbackItem, float]]:
    """Earlier items that look like the same matter (same kind, last 180 days): similarity
    of their folded syllable pairs (Jaccard), best first, above 0.2."""
    from datetime import timedelta

    from vgp.search.analysis import folded_syllables, pairs

    def shingles(text: str) -> set[str]:
        tokens = folded_syllables(text)
        return set(pairs(tokens)) | set(tokens) if len(tokens) < 3 else set(pairs(tokens))

    mine = shingles(f"{item.title} {item.content}")
    if not mine:
        return []
    since = item.received_at - timedelta(days=180)
    candidates = (
        FeedbackItem.objects.filter(kind=item.kind, received_at__gte=since)
        .exclude(pk=item.pk)
        .exclude(status="duplicate")
        .filter(Q(received_at__lte=item.received_at) | Q(status="received"))
        .only("id", "code", "title", "content", "status", "received_at", "agency_id")
        .order_by("-received_at")[:2000]
    )
    scored = []
    for other in candidates:
        theirs = shingles(f"{other.title} {other.content}")
        if not theirs:
            continue
        score = len(mine & theirs) / len(mine | theirs)
        if score >= 0.2:
            scored.append((other, round(score, 2)))
    scored.sort(key=lambda pair: -pair[1])
    return scored[:limit]
