"""The date ranges a report covers: this month, last quarter, last 12 months or custom."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from ..formats import long_date

THIS_MONTH = "this_month"
LAST_QUARTER = "last_quarter"
LAST_12_MONTHS = "last_12_months"
CUSTOM = "custom"
RANGE_CHOICES = [
    (THIS_MONTH, "This month"),
    (LAST_QUARTER, "Last quarter"),
    (LAST_12_MONTHS, "Last 12 months"),
    (CUSTOM, "Custom dates"),
]
# A custom range longer than this is refused: the page draws one bar per month.
MAX_CUSTOM_DAYS = 5 * 366


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date  # inclusive
    key: str

    @property
    def label(self) -> str:
        return f"{long_date(self.start)} to {long_date(self.end)}"

    def months(self) -> list[dt.date]:
        """The first day of each month the period touches, in order."""
        months, day = [], self.start.replace(day=1)
        while day <= self.end:
            months.append(day)
            day = add_months(day, 1)
        return months

    def clip(self, month: dt.date) -> tuple[dt.date, dt.date]:
        """A month's first and last day, cut to the period (the queue link's range)."""
        last = month.replace(day=calendar.monthrange(month.year, month.month)[1])
        return max(month, self.start), min(last, self.end)


def add_months(day: dt.date, months: int) -> dt.date:
    """The first of the month ``months`` later (or earlier); ``day`` must be a first."""
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def month_end(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def period_for(key: str, today: dt.date) -> Period:
    """A named range, as of ``today``.

    - this month: the 1st to today;
    - last quarter: the last full calendar quarter (January-March, April-June...);
    - last 12 months: the 1st of the month eleven months ago to today, so twelve monthly
      bars, the current month's partial.
    """
    first = today.replace(day=1)
    if key == LAST_QUARTER:
        quarter_start = dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
        start = add_months(quarter_start, -3)
        return Period(start, month_end(add_months(start, 2)), key)
    if key == LAST_12_MONTHS:
        return Period(add_months(first, -11), today, key)
    return Period(first, today, THIS_MONTH)


class PeriodError(ValueError):
    """A custom range that cannot be reported on; the message says why."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.message, self.field = message, field


def custom_period(start: dt.date | None, end: dt.date | None) -> Period:
    if start is None:
        raise PeriodError("Enter the first day of the range, as 2026-03-01.", "from")
    if end is None:
        raise PeriodError("Enter the last day of the range, as 2026-03-31.", "to")
    if end < start:
        raise PeriodError("The last day must be on or after the first.", "to")
    if (end - start).days > MAX_CUSTOM_DAYS:
        raise PeriodError("Choose a range of at most five years.", "to")
    return Period(start, end, CUSTOM)
