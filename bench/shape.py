"""What the generated cases look like: statuses, dates, people and their event trails.

Rows are dicts of model field values (``attname`` keys, JSON fields as JSON text), ready
for ``bench.bulk.copy_rows``. See bench/generate.py for the overall shape of a dataset.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from typing import Any

from dsar import deadlines
from dsar.choices import ActorKind, Channel, Outcome, RefusalGround, Right, Status
from dsar.models import Case, Controller
from dsar.people.keys import search_text

OPEN_CASES = 4_200
DETAIL_EVENTS = 200
HISTORY_DAYS = 6 * 365
UTC = dt.UTC

# (value, weight): roughly what a retailer's privacy team sees.
RIGHTS = [
    (Right.ACCESS, 60), (Right.ERASURE, 20), (Right.OBJECTION, 7), (Right.RECTIFICATION, 5),
    (Right.PORTABILITY, 5), (Right.RESTRICTION, 2), (Right.AUTOMATED_DECISION, 1),
]  # fmt: skip
CHANNELS = [(Channel.WEB, 70), (Channel.EMAIL, 20), (Channel.POST, 7), (Channel.PHONE, 3)]
OPEN = [
    (Status.UNCONFIRMED, 5), (Status.AWAITING_IDENTITY, 15), (Status.IN_PROGRESS, 55),
    (Status.AWAITING_REQUESTER, 10), (Status.READY_FOR_REVIEW, 15),
]  # fmt: skip
HISTORY = [(Status.CLOSED, 88), (Status.WITHDRAWN, 7), (Status.REFUSED, 5)]
OUTCOMES = [(Outcome.FULFILLED, 70), (Outcome.PARTLY_FULFILLED, 15), (Outcome.NO_DATA_HELD, 15)]
FIRST = [
    "Amelia", "Oliver", "Isla", "George", "Ava", "Noah", "Mia", "Arthur", "Ivy", "Leo",
    "Grace", "Oscar", "Freya", "Harry", "Lily", "Jack", "Rosie", "Charlie", "Ella", "Finley",
    "Sophia", "Theo", "Evie", "Henry", "Aisha", "Mohammed", "Priya", "Arjun", "Zara", "Ravi",
]  # fmt: skip
LAST = [
    "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Patel",
    "Wright", "Robinson", "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall",
    "Wood", "Jackson", "Clarke", "Khan", "Lewis", "Hughes", "Edwards", "Shah", "Murphy",
    "Kaur", "Begum", "Ahmed",
]  # fmt: skip


def _choices(pairs: list[tuple[Any, int]]) -> tuple[list[Any], list[int]]:
    values = [v for v, _ in pairs]
    cumulative, total = [], 0
    for _, weight in pairs:
        total += weight
        cumulative.append(total)
    return values, cumulative


class CaseMaker:
    """Yields case rows (dicts of field values) oldest first, references in order."""

    def __init__(
        self, *, total: int, open_cases: int, today: dt.date, controllers: list[Controller],
        officers: dict[int, list[int]], seed: int = 8,
    ) -> None:  # fmt: skip
        self.rng = random.Random(seed)
        self.total, self.open_cases, self.today = total, open_cases, today
        self.controllers, self.officers = controllers, officers
        self.counters: dict[int, int] = {}
        self._due: dict[tuple[int, dt.date, bool], tuple[dt.date, dt.date]] = {}
        self.detail_reference = ""

    def _pick(self, table: tuple[list[Any], list[int]]) -> Any:
        return self.rng.choices(table[0], cum_weights=table[1])[0]

    def _deadline(self, ctrl: int, received: dt.date, extended: bool) -> tuple[dt.date, dt.date]:
        key = (ctrl, received, extended)
        if key not in self._due:
            options = self.controllers[ctrl].deadline_options()
            result = deadlines.compute_deadline(
                deadlines.DeadlineInput(received=received, extended=extended, **options)
            )
            self._due[key] = (result.original_due, result.due)
        return self._due[key]

    def __iter__(self) -> Iterator[dict[str, Any]]:
        history = self.total - self.open_cases
        first = self.today - dt.timedelta(days=HISTORY_DAYS)
        span = HISTORY_DAYS - 60
        statuses = _choices(HISTORY)
        for i in range(history):
            received = first + dt.timedelta(days=i * span // max(history, 1))
            yield self._case(received, self._pick(statuses))
        yield from self._open()

    def _open(self) -> Iterator[dict[str, Any]]:
        statuses = _choices(OPEN)
        plan = []
        for _ in range(self.open_cases):
            status = self._pick(statuses)
            roll = self.rng.random()
            extended = status != Status.UNCONFIRMED and roll < 0.05
            if status == Status.UNCONFIRMED:
                back = self.rng.randrange(14)  # discarded after 14 days
            elif extended:
                back = self.rng.randrange(20, 85)
            elif roll < 0.08:
                back = self.rng.randrange(33, 45)  # overdue
            else:
                back = self.rng.randrange(31)
            plan.append((self.today - dt.timedelta(days=back), status, extended))
        plan.sort(key=lambda p: p[0])
        for received, status, extended in plan:
            yield self._case(received, status, extended=extended)

    def _case(self, received: dt.date, status: str, *, extended: bool = False) -> dict[str, Any]:
        rng = self.rng
        ctrl = rng.randrange(len(self.controllers))
        controller = self.controllers[ctrl]
        right = self._pick(_RIGHTS)
        channel = Channel.WEB if status == Status.UNCONFIRMED else self._pick(_CHANNELS)
        is_open = status not in (Status.CLOSED, Status.WITHDRAWN, Status.REFUSED)
        extended = extended or (not is_open and rng.random() < 0.03)
        original_due, due = self._deadline(ctrl, received, extended)
        self.counters[received.year] = number = self.counters.get(received.year, 0) + 1
        first, last = rng.choice(FIRST), rng.choice(LAST)
        email = f"{first}.{last}.{number}.{received.year}@example.net".lower()
        created = dt.datetime.combine(received, dt.time(8), UTC) + dt.timedelta(
            minutes=rng.randrange(600)
        )
        confirmed = None
        if status != Status.UNCONFIRMED:
            confirmed = created + dt.timedelta(hours=1) if channel == Channel.WEB else created
        assignee = None
        if not is_open or (status != Status.UNCONFIRMED and rng.random() < 0.7):
            assignee = rng.choice(self.officers[controller.pk])
        case: dict[str, Any] = {
            "reference": f"DSAR-{received.year}-{number:06d}",
            "controller_id": controller.pk, "right": right, "channel": channel,
            "status": status, "version": 1 if is_open else 4,
            "requester_name": f"{first} {last}", "requester_email": email,
            "subject_identifiers": f'[{{"kind": "email", "value": "{email}"}}]',
            "received_on": received, "original_due_date": original_due, "due_date": due,
            "extended": extended, "assignee_id": assignee, "created_at": created,
            "confirmed_at": confirmed, "updated_at": confirmed or created,
            "declaration_at": created if channel == Channel.WEB else None,
        }  # fmt: skip
        # What the product writes on save (dsar.people.keys.search_text), from the same fields.
        case["search_text"] = search_text(
            Case(
                reference=case["reference"],
                requester_name=case["requester_name"],
                requester_email=email,
                subject_identifiers=[{"kind": "email", "value": email}],
            )
        )
        if extended:
            case["extension_reason"] = "Several systems to search; the request is complex."
        case.update(_RIGHT_FIELDS.get(right, {}))
        if not is_open:
            closed = dt.datetime.combine(min(due, self.today), dt.time(15), UTC)
            case.update(closed_at=closed, updated_at=closed)
            if status == Status.CLOSED:
                case["outcome"] = self._pick(_OUTCOMES)
                if case["outcome"] == Outcome.PARTLY_FULFILLED:
                    case["outcome_reasons"] = "Third-party data withheld (DPA 2018 Sch 2 para 16)."
            elif status == Status.REFUSED:
                case["refusal_ground"] = RefusalGround.IDENTITY_NOT_VERIFIED
                case["outcome_reasons"] = "No identity evidence received after two reminders."
        if (
            not self.detail_reference
            and status == Status.IN_PROGRESS
            and case["right"] == Right.ACCESS  # the same panels at every size
            and ctrl == 0
            and not extended
            and (self.today - received).days >= 12
        ):
            self.detail_reference = case["reference"]
        return case


_RIGHTS, _CHANNELS, _OUTCOMES = _choices(RIGHTS), _choices(CHANNELS), _choices(OUTCOMES)
_RIGHT_FIELDS = {
    Right.RECTIFICATION: {
        "rectification_inaccurate": "My postal address on the loyalty account.",
        "rectification_correction": "12 Station Road, Leeds LS1 4AB.",
    },
    Right.OBJECTION: {"objection_direct_marketing": True},
    Right.PORTABILITY: {"portability_destination": "requester"},
}

# Events each status implies, after "created" (and "confirmed" for the web): (kind, from, to).
ASSIGNED = ("assigned", "", "")
REVIEW = ("submitted_for_review", Status.IN_PROGRESS, Status.READY_FOR_REVIEW)
_TRAIL = {
    Status.UNCONFIRMED: [],
    Status.AWAITING_IDENTITY: [
        ("identity_requested", Status.IN_PROGRESS, Status.AWAITING_IDENTITY)
    ],
    Status.IN_PROGRESS: [ASSIGNED],
    Status.AWAITING_REQUESTER: [
        ASSIGNED,
        ("paused", Status.IN_PROGRESS, Status.AWAITING_REQUESTER),
    ],
    Status.READY_FOR_REVIEW: [ASSIGNED, REVIEW],
    Status.CLOSED: [ASSIGNED, REVIEW, ("closed", Status.READY_FOR_REVIEW, Status.CLOSED)],
    Status.WITHDRAWN: [ASSIGNED, ("withdrawn", Status.IN_PROGRESS, Status.WITHDRAWN)],
    Status.REFUSED: [ASSIGNED, ("refused", Status.IN_PROGRESS, Status.REFUSED)],
}
_DETAIL_CYCLE = [
    ("assigned", "", ""),
    ("identity_requested", Status.IN_PROGRESS, Status.AWAITING_IDENTITY),
    ("identity_verified", Status.AWAITING_IDENTITY, Status.IN_PROGRESS),
    ("submitted_for_review", Status.IN_PROGRESS, Status.READY_FOR_REVIEW),
    ("returned_for_work", Status.READY_FOR_REVIEW, Status.IN_PROGRESS),
]


def case_events(case: dict[str, Any], *, detail: bool = False) -> Iterator[dict[str, Any]]:
    """The trail the services would have written for a case in this state."""
    web = case["channel"] == Channel.WEB
    at = case["created_at"]
    officer = case["assignee_id"]
    by = ActorKind.OFFICER if officer else ActorKind.SYSTEM
    yield {
        "case_id": case["id"],
        "at": at,
        "kind": "created",
        "actor_kind": ActorKind.REQUESTER if web else by,
        "actor_id": None if web else officer,
        "to_status": Status.UNCONFIRMED if web else Status.IN_PROGRESS,
        "message": f"Received by {case['channel']}.",
        "data": f'{{"channel": "{case["channel"]}", "right": "{case["right"]}", '
        f'"received_on": "{case["received_on"].isoformat()}"}}',
    }
    if case["status"] == Status.UNCONFIRMED:
        return
    if web:
        yield {
            "case_id": case["id"],
            "at": case["confirmed_at"],
            "kind": "confirmed",
            "actor_kind": ActorKind.REQUESTER,
            "from_status": Status.UNCONFIRMED,
            "to_status": Status.IN_PROGRESS,
            "message": "The requester confirmed their email address.",
        }
    steps = _TRAIL[case["status"]]
    if detail:
        written = 2 if web else 1
        steps = [_DETAIL_CYCLE[i % len(_DETAIL_CYCLE)] for i in range(DETAIL_EVENTS - written)]
    for kind, before, after in steps:
        at += dt.timedelta(minutes=30 if detail else 180)
        if kind in ("closed", "withdrawn", "refused"):
            at = case["closed_at"]
        yield {
            "case_id": case["id"],
            "at": at,
            "kind": kind,
            "from_status": before,
            "to_status": after,
            "actor_id": officer,
            "actor_kind": by,
            "message": f"{kind.replace('_', ' ').capitalize()}.",
        }


def pauses(chunk: list[dict[str, Any]], today: dt.date) -> Iterator[dict[str, Any]]:
    for case in chunk:
        if case["status"] == Status.AWAITING_REQUESTER:
            start = min(case["received_on"] + dt.timedelta(days=2), today)
            yield {
                "case_id": case["id"], "started_on": start, "ended_on": None,
                "reason": "Asked which accounts and years the request covers.",
                "created_by_id": case["assignee_id"],
            }  # fmt: skip
