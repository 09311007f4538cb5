"""Counting readings of news items, for "most read".

A reading is counted by the page's tracking pixel (``views.view_pixel``), not by the page's
view: anonymous pages come from the page cache or straight from nginx, where no view runs.
The count is a statistic, not an official's act, so it is not audited.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from .models import DailyViews, NewsItemPage


def count_view(item_id: int, day: dt.date | None = None) -> bool:
    """Add one reading of a live, not withdrawn item today; ``False`` if it is not such an item."""
    if not NewsItemPage.objects.live().filter(pk=item_id, withdrawn_at__isnull=True).exists():
        return False
    day = day or timezone.localdate()
    # One UPDATE … SET count = count + 1 in the common case: no read-modify-write race.
    if DailyViews.objects.filter(page_id=item_id, day=day).update(count=F("count") + 1):
        return True
    try:
        # The first reading of the day. The savepoint lets a concurrent first reading, which
        # wins the unique (page, day) constraint, fall back to the update below.
        with transaction.atomic():
            DailyViews.objects.create(page_id=item_id, day=day, count=1)
    except IntegrityError:
        DailyViews.objects.filter(page_id=item_id, day=day).update(count=F("count") + 1)
    return True
