"""Deadlines of citizen submissions, in working days (STANDARDS.md §4, ADR 0012).

Each stage has its own limit, from the :class:`~vgp.feedback.models.DeadlineRule` of the item's
kind and sector (the kind's default rule when the sector has none):

- reception routes an item within ``routing_days`` of its receipt;
- the agency accepts it within ``acceptance_days`` of its routing;
- the agency answers within ``answer_days`` of its acceptance, plus ``remote_extension_days``
  for a remote area, plus ``extension_days`` for each recorded extension.

**Pauses.** While an item waits for the citizen's information the clock stops: when the citizen
answers, every deadline still ahead moves by the working days that passed while waiting
(counted with the Civil Code rule of ``workdays.deadlines``: the day of the request is not
counted, the day of the answer is). Reminders and escalations skip paused items.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from vgp.workdays.deadlines import add_working_days, local_date, working_days_between

from . import rules
from .models import FeedbackItem, Kind

# Used when the administrators have removed every rule of a kind (the data migration creates
# them): the limits of the law, or the Government Office's practice where the law sets none.
FALLBACK = {
    Kind.FEEDBACK: (5, 10, 15, 0, 0, 0),
    Kind.PETITION: (5, 10, 15, 0, 0, 0),
    Kind.COMPLAINT: (5, 10, 30, 15, 15, 1),
    Kind.DENUNCIATION: (5, 7, 30, 30, 0, 2),
}


@dataclass(frozen=True)
class Limits:
    routing_days: int
    acceptance_days: int
    answer_days: int
    extension_days: int
    remote_extension_days: int
    max_extensions: int


def limits_for(kind: str, sector_id: int | None) -> Limits:
    """The sector's own rule of this kind, else the kind's default, else the law's."""
    known = rules.current().deadlines
    values = known.get((kind, sector_id)) or known.get((kind, None)) or FALLBACK[Kind(kind)]
    return Limits(*values)


def routing_due(received_at: dt.datetime, limits: Limits) -> dt.date:
    return add_working_days(received_at, limits.routing_days)


def acceptance_due(routed_at: dt.datetime, limits: Limits) -> dt.date:
    return add_working_days(routed_at, limits.acceptance_days)


def answer_due(
    accepted_at: dt.datetime, limits: Limits, *, remote: bool, extensions: int
) -> dt.date:
    days = limits.answer_days + extensions * limits.extension_days
    if remote:
        days += limits.remote_extension_days
    return add_working_days(accepted_at, days)


def paused_days(paused_at: dt.datetime, resumed_at: dt.datetime) -> int:
    return max(0, working_days_between(paused_at, resumed_at))


def shift(item: FeedbackItem, days: int) -> None:
    """Move the item's deadlines still ahead by ``days`` working days (after a pause)."""
    if days <= 0:
        return
    for name in ("routing_due", "acceptance_due", "answer_due"):
        due = getattr(item, name)
        if due is not None:
            setattr(item, name, add_working_days(due, days))


def days_left(due: dt.date, today: dt.date) -> int:
    """Working days from ``today`` to ``due`` (negative once overdue)."""
    return working_days_between(today, due)


def today() -> dt.date:
    from django.utils import timezone

    return local_date(timezone.now())
