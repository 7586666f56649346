"""How dates, moments, counts and people's names read on pages, in emails, letters and the log.

One implementation of each, so a letter, the email about it and the case page write the
same day the same way. Plain Python (no Django), so the deadline explanations can use it.
The ``%-d`` directive is not portable, hence ``day.day`` for the unpadded day.
"""

from __future__ import annotations

import datetime as dt
from typing import Protocol
from zoneinfo import ZoneInfo


class Named(Protocol):
    def get_full_name(self) -> str: ...

    def get_username(self) -> str: ...


def long_date(day: dt.date) -> str:
    """Letters, case events and reports: "9 October 2026"."""
    return f"{day.day} {day:%B %Y}"


def full_date(day: dt.date) -> str:
    """Messages to officers and requesters: "Friday 9 October 2026"."""
    return f"{day:%A} {day.day} {day:%B %Y}"


def short_date(day: dt.date) -> str:
    """Lists, subjects and reminder lines: "Fri 9 Oct 2026"."""
    return f"{day:%a} {day.day} {day:%b %Y}"


def local_time(moment: dt.datetime, time_zone: str) -> dt.datetime:
    """A moment as the controller's clock showed it (its own zone, not the server's)."""
    return moment.astimezone(ZoneInfo(time_zone))


def plural(n: int, noun: str) -> str:
    """A count and its noun: "1 day", "3 working days" (regular plurals only)."""
    return f"{n} {noun}{'' if n == 1 else 's'}"


def person_name(user: Named) -> str:
    """A user as others see them: their full name, or their username if they gave none."""
    return user.get_full_name() or user.get_username()
