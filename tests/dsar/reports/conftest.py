"""A known set of cases at two controllers, and every figure the reports must show for it.

Today is Wednesday 15 April 2026; "last quarter" is 1 January to 31 March 2026. Acme's
cases (the controller fixture) cover on time, late, extended, paused, refused (twice,
once as unverified), withdrawn, open in every clock state, across rights, channels and
months; one closes at 23:30 UTC on 31 March, which is 1 April in London (BST), so it is
not a response of the quarter. Other Group's cases would change every figure if counted.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from dsar.choices import Channel, Outcome, RefusalGround, Right, Status
from dsar.models import Pause
from tests.factories import CaseFactory

TODAY = dt.date(2026, 4, 15)
QUARTER = {"range": "last_quarter"}


@pytest.fixture
def today():
    with time_machine.travel(dt.datetime(2026, 4, 15, 10, 0, tzinfo=dt.UTC), tick=False):
        yield TODAY


def closed(day: str, hour: int = 12, minute: int = 0) -> dt.datetime:
    return dt.datetime.fromisoformat(day).replace(hour=hour, minute=minute, tzinfo=dt.UTC)


def d(day: str) -> dt.date:
    return dt.date.fromisoformat(day)


@pytest.fixture
def known_cases(today, controller, other_controller, officer, second_officer, outsider):
    """Returns the cases by letter (A-P at Acme, X-Z at Other Group)."""
    olivia, sam = officer, second_officer

    def make(letter: str, **kwargs):
        kwargs.setdefault("controller", controller)
        kwargs.setdefault("reference", f"DSAR-2026-{ord(letter):06d}")
        return CaseFactory(**kwargs)

    closed_ok = {"status": Status.CLOSED, "outcome": Outcome.FULFILLED}
    cases = {
        # Responded in the quarter.
        "A": make("A", right=Right.ACCESS, received_on=d("2026-01-05"), assignee=olivia,
                  closed_at=closed("2026-01-20"), **closed_ok),
        "B": make("B", right=Right.ACCESS, channel=Channel.WEB, received_on=d("2026-01-12"),
                  assignee=olivia, closed_at=closed("2026-02-20"), **closed_ok),
        "C": make("C", right=Right.ERASURE, channel=Channel.POST, received_on=d("2026-02-02"),
                  assignee=sam, extended=True, extension_reason="Complex: twelve systems.",
                  closed_at=closed("2026-03-30"), **closed_ok),
        "D": make("D", right=Right.ACCESS, received_on=d("2026-02-10"), assignee=sam,
                  due_date=d("2026-03-16"), closed_at=closed("2026-03-10"), **closed_ok),
        "E": make("E", right=Right.RECTIFICATION, channel=Channel.PHONE,
                  received_on=d("2026-03-02"), assignee=olivia, status=Status.REFUSED,
                  refusal_ground=RefusalGround.MANIFESTLY_EXCESSIVE,
                  closed_at=closed("2026-03-05")),
        "F": make("F", right=Right.ACCESS, channel=Channel.WEB, received_on=d("2026-03-03"),
                  status=Status.REFUSED, refusal_ground=RefusalGround.IDENTITY_NOT_VERIFIED,
                  closed_at=closed("2026-03-25")),
        "G": make("G", right=Right.OBJECTION, channel=Channel.WEB, received_on=d("2026-03-04"),
                  status=Status.WITHDRAWN, closed_at=closed("2026-03-06")),
        # Received in December, answered late in January.
        "H": make("H", right=Right.ACCESS, received_on=d("2025-12-15"), assignee=olivia,
                  closed_at=closed("2026-01-30"), **closed_ok),
        # Open today.
        "I": make("I", right=Right.ACCESS, received_on=d("2026-03-10"), assignee=olivia),
        "J": make("J", right=Right.ERASURE, received_on=d("2026-03-18"), assignee=sam),
        "K": make("K", right=Right.ACCESS, received_on=d("2026-03-25"),
                  status=Status.AWAITING_REQUESTER),
        "L": make("L", right=Right.PORTABILITY, channel=Channel.WEB, received_on=d("2026-04-14"),
                  status=Status.UNCONFIRMED),
        "M": make("M", right=Right.ACCESS, received_on=d("2026-04-01"), extended=True,
                  extension_reason="Numerous requests from the same person."),
        "N": make("N", right=Right.RESTRICTION, received_on=d("2026-03-31"), assignee=olivia,
                  status=Status.READY_FOR_REVIEW, extended=True,
                  extension_reason="Several systems to search."),
        # Closed at 23:30 UTC on 31 March: 1 April in London.
        "P": make("P", right=Right.ACCESS, received_on=d("2026-03-05"),
                  closed_at=closed("2026-03-31", 23, 30), **closed_ok),
        # Another controller: never counted.
        "X": make("X", controller=other_controller, received_on=d("2026-01-10"),
                  assignee=outsider, closed_at=closed("2026-03-01"), **closed_ok),
        "Y": make("Y", controller=other_controller, received_on=d("2026-02-01"),
                  assignee=olivia, extended=True, extension_reason="Complex."),
        "Z": make("Z", controller=other_controller, received_on=d("2026-03-01"),
                  status=Status.REFUSED, refusal_ground=RefusalGround.MANIFESTLY_UNFOUNDED,
                  closed_at=closed("2026-03-02")),
    }  # fmt: skip
    Pause.objects.create(case=cases["B"], started_on=d("2026-01-20"), ended_on=d("2026-01-21"),
                         reason="Which account?")  # fmt: skip
    Pause.objects.create(case=cases["D"], started_on=d("2026-02-12"), ended_on=d("2026-02-16"),
                         reason="Which shop?")  # fmt: skip
    Pause.objects.create(case=cases["K"], started_on=d("2026-04-01"), reason="Which years?")
    Pause.objects.create(case=cases["Y"], started_on=d("2026-02-03"), ended_on=d("2026-02-20"),
                         reason="Other group's pause")  # fmt: skip
    return cases


# Every figure of the quarter at Acme, as the page shows it (data-figure -> text).
EXPECTED_FIGURES = {
    "received.total": "12",
    "received.month.2026-01": "2",
    "received.month.2026-02": "2",
    "received.month.2026-03": "8",
    "received.right.access": "7",
    "received.right.erasure": "2",
    "received.right.rectification": "1",
    "received.right.objection": "1",
    "received.right.restriction": "1",
    "received.channel.email": "7",
    "received.channel.web": "3",
    "received.channel.post": "1",
    "received.channel.phone": "1",
    # A 15 days, B 39 (late), C 56, D 28, E 3, F 22, H 46 (late); P ended in April.
    "timeliness.closed": "7",
    "timeliness.on_time": "5",
    "timeliness.late": "2",
    "timeliness.on_time_rate": "71.4%",
    "timeliness.median_days": "28",
    "timeliness.p90_days": "50",
    "timeliness.access.closed": "5",
    "timeliness.access.on_time": "3",
    "timeliness.access.late": "2",
    "timeliness.access.on_time_rate": "60%",
    "timeliness.access.median_days": "28",
    "timeliness.access.p90_days": "43.2",
    "timeliness.erasure.closed": "1",
    "timeliness.erasure.on_time": "1",
    "timeliness.erasure.late": "0",
    "timeliness.erasure.on_time_rate": "100%",
    "timeliness.erasure.median_days": "56",
    "timeliness.erasure.p90_days": "56",
    "timeliness.rectification.closed": "1",
    "timeliness.rectification.on_time": "1",
    "timeliness.rectification.late": "0",
    "timeliness.rectification.on_time_rate": "100%",
    "timeliness.rectification.median_days": "3",
    "timeliness.rectification.p90_days": "3",
    "open.total": "6",
    "open.status.unconfirmed": "1",
    "open.status.awaiting_identity": "0",
    "open.status.in_progress": "3",
    "open.status.awaiting_requester": "1",
    "open.status.ready_for_review": "1",
    # I due 10 April (overdue), J 20 April (this week), M and N later, K paused, L unconfirmed.
    "open.due.overdue": "1",
    "open.due.week": "1",
    "open.due.later": "2",
    "open.due.waiting": "1",
    "open.due.not_started": "1",
    # Of the 12 received in the quarter: C (complex) and N (other); M was received in April.
    "extensions.count": "2",
    "extensions.reason.complex": "1",
    "extensions.share.complex": "50%",
    "extensions.reason.other": "1",
    "extensions.share.other": "50%",
    # B 2 days, D 5, K 1-15 April (still open) 15.
    "pauses.count": "3",
    "pauses.cases": "3",
    "pauses.total_days": "22",
    "refusals.count": "2",
    "refusals.ground.manifestly_excessive": "1",
    "refusals.ground.identity_not_verified": "1",
    "withdrawals": "1",
    "closed_unverified": "1",
    "workload.olivia.open": "2",
    "workload.olivia.closed": "4",
    "workload.olivia.late": "2",
    "workload.sam.open": "1",
    "workload.sam.closed": "2",
    "workload.sam.late": "0",
    "workload.unassigned.open": "3",
    "workload.unassigned.closed": "1",
    "workload.unassigned.late": "0",
}
