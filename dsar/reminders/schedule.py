"""What is owed when: pure working-day arithmetic, no database.

A case due on ``due`` has ``W = working_days_between(today, due)`` working days left
(today not counted, the due day counted: 0 on the due day itself). With thresholds such
as 7, 3 and 1, the reminder owed is the one for the smallest threshold ``t`` with
``W <= t``: one email per stage, and a sweep that missed a stage (a case logged late, a
worker down for a day) sends only the current one, never a burst of stale ones. After the
due day, one overdue reminder is owed.

Stages are returned as half-open ranges of due dates, so a sweep finds every case owed
something with one query on the indexed due date.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from ..deadlines import Region, add_working_days, working_days_between

# The extension prompt goes this many working days before the original deadline.
EXTENSION_PROMPT_WORKING_DAYS = 5


@dataclass(frozen=True)
class Stage:
    """Due dates in ``[start, end)`` are owed the reminder for ``threshold`` (or overdue)."""

    overdue: bool
    threshold: int
    start: date | None  # None: no lower bound (overdue)
    end: date

    def contains(self, due: date) -> bool:
        return (self.start is None or self.start <= due) and due < self.end


def reminder_stages(today: date, thresholds: Iterable[int], region: Region) -> list[Stage]:
    """The overdue stage, then one stage per threshold, nearest first."""
    stages = [Stage(overdue=True, threshold=0, start=None, end=today)]
    start = today
    for t in sorted({int(t) for t in thresholds if int(t) >= 0}):
        # W <= t exactly when the due date comes before the (t + 1)th working day.
        end = add_working_days(today, t + 1, region)
        stages.append(Stage(overdue=False, threshold=t, start=start, end=end))
        start = end
    return stages


def stage_for(due: date, stages: Iterable[Stage]) -> Stage | None:
    return next((s for s in stages if s.contains(due)), None)


def extension_prompt_window(today: date, region: Region) -> tuple[date, date]:
    """Original deadlines in ``[start, end)`` are at most five working days away, not past."""
    return today, add_working_days(today, EXTENSION_PROMPT_WORKING_DAYS + 1, region)


def working_days_left(today: date, due: date, region: Region) -> int:
    return working_days_between(today, due, region)
