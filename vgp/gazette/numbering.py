"""Issue numbers: one series per year, starting at 1.

The national numbering scheme of the gazette is not confirmed (STANDARDS.md §5), so the rule
lives here and only suggests: the next number after the highest one of the year. The editor
may change it; the database keeps (year, number) unique, whatever the scheme turns out to be.
"""

from __future__ import annotations

from django.db.models import Max

from .models import GazetteIssue


def next_free_number(year: int) -> int:
    """The number to suggest for a new issue of ``year``."""
    highest = GazetteIssue.objects.filter(year=year).aggregate(highest=Max("number"))["highest"]
    return (highest or 0) + 1
