"""The English edition: which Vietnamese item a translation comes from, and whether it lags.

An English item and its Vietnamese original share Wagtail's ``translation_key`` (kept by
"Translate" and by ``copy_for_translation``). A translation is *out of date* when its original
was published after the translation was last brought in line with it
(``translation_synced_at``: set when the translation is created and when a translator marks it
up to date, see ``editorial``). A translation with no such date counts as out of date once its
original has been published.
"""

from __future__ import annotations

from typing import Any

from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.urls import reverse
from wagtail.models import Locale, PageLogEntry

from .models import NewsItemPage


def original_locale() -> Locale:
    """The edition translations start from: the installation's language (Vietnamese)."""
    return Locale.get_default()


def is_translation(page: Any) -> bool:
    return bool(page.locale_id != original_locale().pk)


def original_of(page: NewsItemPage) -> NewsItemPage | None:
    """The Vietnamese item that ``page`` translates, or None (an original, or no original)."""
    locale = original_locale()
    if page.locale_id == locale.pk:
        return None
    return (
        NewsItemPage.objects.filter(translation_key=page.translation_key, locale=locale)
        .order_by("pk")
        .first()
    )


def is_out_of_date(translation: NewsItemPage, original: NewsItemPage | None) -> bool:
    if original is None or original.last_published_at is None:
        return False
    synced = translation.translation_synced_at
    return synced is None or original.last_published_at > synced


def original_changes_url(translation: NewsItemPage, original: NewsItemPage | None) -> str:
    """Wagtail's comparison of the original as published when the translation was last in line
    with it, against the original as it is live now; empty if there is no such version."""
    if original is None or translation.translation_synced_at is None or not original.live:
        return ""
    published_then = (
        PageLogEntry.objects.filter(
            page=original,
            action="wagtail.publish",
            revision__isnull=False,
            timestamp__lte=translation.translation_synced_at,
        )
        .order_by("-timestamp", "-pk")
        .values_list("revision_id", flat=True)
        .first()
    )
    if published_then is None:
        return ""
    return reverse(
        "wagtailadmin_pages:revisions_compare",
        kwargs={"pk": original.pk, "revision_id_a": published_then, "revision_id_b": "live"},
    )


def out_of_date_translations(queryset: QuerySet[Any] | None = None) -> QuerySet[Any]:
    """Translated items whose original changed since; annotated with the original's facts.

    Each row carries ``original_id``, ``original_title`` and ``original_published_at``, so a
    listing needs no query per row.
    """
    locale = original_locale()
    originals = NewsItemPage.objects.filter(
        translation_key=OuterRef("translation_key"), locale=locale
    ).order_by("pk")
    items = queryset if queryset is not None else NewsItemPage.objects.all()
    return (
        items.exclude(locale=locale)
        .annotate(
            original_id=Subquery(originals.values("pk")[:1]),
            original_title=Subquery(originals.values("title")[:1]),
            original_published_at=Subquery(originals.values("last_published_at")[:1]),
        )
        .filter(original_published_at__isnull=False)
        .filter(
            Q(translation_synced_at__isnull=True)
            | Q(original_published_at__gt=F("translation_synced_at"))
        )
        .order_by("-original_published_at", "pk")
    )
