"""The routing and deadline rules, read once per process until an administrator changes them.

Every submission needs both (the suggested agency, the routing deadline); reading them from
the database each time would cost two queries per submission at intake's busiest. The rules
are cached in each process under a version kept in Django's cache (shared by every process in
production, read at most once a second: ``vgp.core.versions``); saving or deleting a rule
bumps the version (``RuleModel.save``/``delete``), so every process reloads within a second. A process also reloads after ``MAX_AGE`` seconds,
which bounds staleness if the shared cache lost the version.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from vgp.core.versions import SharedVersion

VERSION_KEY = "vgp:feedback:rules-version"
MAX_AGE = 300.0


@dataclass(frozen=True)
class RoutingRuleFacts:
    pk: int
    kind: str
    sector_id: int | None
    province_id: int | None
    agency_id: int
    priority: int

    @property
    def specificity(self) -> int:
        return sum(1 for value in (self.kind, self.sector_id, self.province_id) if value)


@dataclass(frozen=True)
class Snapshot:
    version: str
    loaded_at: float
    routing: tuple[RoutingRuleFacts, ...]
    # (kind, sector id or None) -> the rule's limits, as DeadlineRule field values
    deadlines: dict[tuple[str, int | None], tuple[int, int, int, int, int, int]]


_lock = threading.Lock()
_snapshot: Snapshot | None = None


_version = SharedVersion(VERSION_KEY)


def changed() -> None:
    """Call after any change of a routing or deadline rule."""
    _version.bump()


def current() -> Snapshot:
    global _snapshot
    version = _version.current()
    snapshot = _snapshot
    if (
        snapshot is not None
        and snapshot.version == version
        and time.monotonic() - snapshot.loaded_at < MAX_AGE
    ):
        return snapshot
    with _lock:
        _snapshot = _load(version)
        return _snapshot


def _load(version: str) -> Snapshot:
    from .models import DeadlineRule, RoutingRule

    routing = tuple(
        RoutingRuleFacts(r.pk, r.kind, r.sector_id, r.province_id, r.agency_id, r.priority)
        for r in RoutingRule.objects.order_by("priority", "id")
    )
    deadlines = {
        (r.kind, r.sector_id): (
            r.routing_days,
            r.acceptance_days,
            r.answer_days,
            r.extension_days,
            r.remote_extension_days,
            r.max_extensions,
        )
        for r in DeadlineRule.objects.all()
    }
    return Snapshot(version, time.monotonic(), routing, deadlines)
