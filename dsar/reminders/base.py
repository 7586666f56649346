"""What every sweep shares: its result, the claim on a unique row, the batch loop."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from typing import TypeVar

from django.db import transaction

from ..models import CaseEvent, Controller, Notice

# A sweep handles at most this many cases per call. Small enough that each bulk insert
# is one statement even on SQLite (999 parameters), so a batch costs the same number of
# queries whether 10 or 10,000 cases are due.
BATCH_SIZE = 50
K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True)
class Action:
    """One thing a sweep did (or, in a dry run, would do). No addresses, no bodies."""

    kind: str  # a Notice.Kind value, or "discarded" / "purged"
    reference: str  # the case reference, or the controller's slug for a digest
    recipient: str = ""  # assignee, team, dpo, requester; "" when nobody could be told
    detail: str = ""

    def __str__(self) -> str:
        to = (
            f" -> {self.recipient or 'nobody (no address)'}"
            if self.kind in Notice.Kind.values
            else ""
        )
        return f"{self.kind:<18} {self.reference:<18} {self.detail}{to}"


@dataclass
class SweepResult:
    done: list[Action] = field(default_factory=list)
    more: bool = False  # the batch was full: call again


Key = tuple[int | None, str, int, object]


def claim(notices: list[Notice]) -> set[Key]:
    """Insert the notices; return the keys of those this call won.

    One INSERT ... ON CONFLICT DO NOTHING (INSERT OR IGNORE on SQLite) for the batch,
    then one read of the rows carrying this call's token. A key another sweep is inserting
    makes PostgreSQL wait for that transaction: if it commits, our row is skipped; if it
    rolls back, ours goes in. Rows go in key order so two sweeps never deadlock. Must run
    inside the transaction that writes the emails, so a claim never commits without them.
    """
    if not notices:
        return set()
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("Claim notices inside the transaction that writes their emails.")
    token = uuid.uuid4()
    for notice in notices:
        notice.claim_token = token
    notices = sorted(notices, key=lambda n: (n.controller_id, n.case_id or 0, *_rest(n)))
    Notice.objects.bulk_create(notices, ignore_conflicts=True)
    won = (
        Notice.objects.filter(claim_token=token)
        .order_by()
        .values_list("case_id", "kind", "threshold", "due_date")
    )
    return set(won)


def _rest(n: Notice) -> tuple[str, int, object]:
    return n.kind, n.threshold, n.due_date


def key(notice: Notice) -> Key:
    return (notice.case_id, notice.kind, notice.threshold, notice.due_date)


def record_events(events: list[CaseEvent]) -> None:
    """The sweep's timeline entries, in one insert (events are append-only: insert only)."""
    if events:
        CaseEvent.objects.bulk_create(events)


def group_controllers(
    controllers: Iterable[Controller], by: Callable[[Controller], K]
) -> dict[K, list[int]]:
    """Controller ids by a shared setting, so one query serves all with the same rule."""
    groups: dict[K, list[int]] = defaultdict(list)
    for controller in controllers:
        groups[by(controller)].append(controller.pk)
    return dict(groups)


def drain(step: Callable[[], SweepResult], *, max_batches: int = 1000) -> list[Action]:
    """Call a one-batch sweep until nothing more remains (bounded, in case of a bug)."""
    done: list[Action] = []
    for _ in range(max_batches):
        result = step()
        done += result.done
        if not result.more:
            break
    return done
