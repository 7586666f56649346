"""When a data subject request is due: the UK rule as pure functions.

The rule (UK GDPR Art 12 and 12A; ICO guidance), applied in this order:

1. Start: the latest of the day the request arrives, the day requested identity (or
   authority) evidence arrives and the day a requested fee arrives. The day of receipt is
   day one, working day or not. Waiting for identity replaces the start; it is not added.
2. Limit: the same calendar date one month after the start; where that month has no such
   date, its last day. A controller may use a fixed number of days instead (the ICO allows
   28): start plus N days. Extended ("a further two months"): three months from the
   original start, or with the days rule the N-day date plus two months.
3. Clarification pauses: each day from asking to receiving the answer, both included, is
   added to the limit. Pauses add up; a day covered by two pauses counts once; days before
   the start do not count (the clock was not running). An open pause counts to ``as_of``.
4. Working day: if the final date is a Saturday, Sunday or bank holiday of the controller's
   region (substitute days included), the deadline is the next working day. This roll
   happens once, to the final date, never to an intermediate one.

Worked examples (the ICO's, England and Wales):

- received 3 September 2025 -> due Friday 3 October 2025;
- received 31 January 2028 -> due 29 February 2028 (leap year); received 31 January 2026
  -> 28 February 2026 is a Saturday, so due Monday 2 March 2026;
- received 1 January 2027 (a bank holiday, still day one) -> due Monday 1 February 2027.

Limits are what the law allows and no more (:func:`rule_problems`): a fixed-days rule is at
most 28 days (a longer one can end after the calendar month in February) and an extension
adds at most two further months.

Bank holidays come from the ``holidays`` package. This module imports nothing from Django,
so the rule can be tested, previewed and reused without a database.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from functools import cache
from typing import Any, TypeVar

import holidays
from dateutil.relativedelta import relativedelta

from .formats import full_date, plural, short_date

__all__ = [
    "MAX_DAYS",
    "MAX_EXTENSION_MONTHS",
    "PRESETS",
    "Deadline",
    "DeadlineInput",
    "Pause",
    "Regime",
    "Region",
    "Rule",
    "add_working_days",
    "check_rule",
    "compute_deadline",
    "holiday_name",
    "is_working_day",
    "next_working_day",
    "parse_date",
    "parse_pause",
    "regime_options",
    "rule_problems",
    "working_days_between",
]


class Rule(StrEnum):
    """How the basic time limit is measured."""

    CALENDAR_MONTH = "calendar_month"
    DAYS = "days"


class Region(StrEnum):
    """Whose bank holidays apply. England and Wales share a list."""

    ENGLAND = "england"
    SCOTLAND = "scotland"
    NORTHERN_IRELAND = "northern_ireland"

    @property
    def label(self) -> str:
        return _REGION_LABELS[self]


_REGION_LABELS = {
    Region.ENGLAND: "England and Wales",
    Region.SCOTLAND: "Scotland",
    Region.NORTHERN_IRELAND: "Northern Ireland",
}
_SUBDIVISIONS = {Region.ENGLAND: "ENG", Region.SCOTLAND: "SCT", Region.NORTHERN_IRELAND: "NIR"}

# A holidays calendar fills in a year the first time a date in it is looked up, which
# mutates the object; the lock keeps concurrent threads (web workers) from racing on that.
_HOLIDAY_LOCK = threading.Lock()
_E = TypeVar("_E", bound=StrEnum)


@cache
def _calendar(region: Region) -> holidays.HolidayBase:
    # No fixed ``years``: the calendar extends itself to any year asked about.
    return holidays.UnitedKingdom(subdiv=_SUBDIVISIONS[Region(region)])


def holiday_name(day: date, region: Region) -> str | None:
    """The bank holiday's name on ``day`` in ``region`` (e.g. "Boxing Day (observed)")."""
    cal = _calendar(Region(region))
    with _HOLIDAY_LOCK:
        return cal.get(day)


def is_working_day(day: date, region: Region) -> bool:
    """Monday to Friday and not a bank holiday of ``region``."""
    return day.weekday() < 5 and holiday_name(day, region) is None


def next_working_day(day: date, region: Region) -> date:
    """``day`` itself if it is a working day, else the first working day after it."""
    while not is_working_day(day, region):
        day += timedelta(days=1)
    return day


def add_working_days(day: date, n: int, region: Region) -> date:
    """The ``n``th working day after ``day`` (before it when ``n`` is negative).

    ``day`` itself is not counted, so ``add_working_days(due, -3, region)`` is the third
    working day before ``due``. ``n == 0`` returns ``day`` unchanged.
    """
    step = timedelta(days=1 if n > 0 else -1)
    remaining = abs(n)
    while remaining:
        day += step
        if is_working_day(day, region):
            remaining -= 1
    return day


def working_days_between(a: date, b: date, region: Region) -> int:
    """Working days after ``a`` up to and including ``b``; negative when ``b`` is before ``a``.

    The inverse of :func:`add_working_days` from a working day: "how many working days
    are left until the deadline".
    """
    if b < a:
        return -working_days_between(b, a, region)
    count = 0
    day = a
    while day < b:
        day += timedelta(days=1)
        if is_working_day(day, region):
            count += 1
    return count


@dataclass(frozen=True)
class Pause:
    """A clarification pause, both days included. ``end=None``: still waiting (open)."""

    start: date
    end: date | None = None

    def __post_init__(self) -> None:
        if self.end is not None and self.end < self.start:
            raise ValueError(
                f"A pause cannot end ({self.end.isoformat()}) before it starts "
                f"({self.start.isoformat()})."
            )


@dataclass(frozen=True)
class DeadlineInput:
    """Everything the rule needs. Plain strings are accepted for ``rule`` and ``region``."""

    received: date
    rule: Rule = Rule.CALENDAR_MONTH
    days: int = 28
    extension_months: int = 2
    region: Region = Region.ENGLAND
    extended: bool = False
    identity_received: date | None = None
    fee_received: date | None = None
    pauses: tuple[Pause, ...] = field(default=())

    def __post_init__(self) -> None:
        # Normalise first so callers may pass model field values (str, list) directly.
        object.__setattr__(self, "rule", _enum(Rule, self.rule, "deadline rule"))
        object.__setattr__(self, "region", _enum(Region, self.region, "holiday region"))
        object.__setattr__(self, "pauses", tuple(self.pauses))
        if self.days < 1:
            raise ValueError(f"The number of days must be at least 1 (got {self.days}).")
        if self.extension_months < 0:
            raise ValueError(
                f"The extension cannot be negative (got {self.extension_months} months)."
            )
        for label, day in (
            ("Identity evidence", self.identity_received),
            ("The fee", self.fee_received),
        ):
            if day is not None and day < self.received:
                raise ValueError(
                    f"{label} cannot be received ({day.isoformat()}) before the request "
                    f"({self.received.isoformat()})."
                )
        for pause in self.pauses:
            if not isinstance(pause, Pause):
                raise ValueError(f"Pauses must be Pause objects, not {type(pause).__name__}.")


def _enum(kind: type[_E], value: object, what: str) -> _E:
    try:
        return kind(value)
    except ValueError:
        allowed = ", ".join(m.value for m in kind)
        raise ValueError(f"Unknown {what} {value!r}: expected one of {allowed}.") from None


@dataclass(frozen=True)
class Deadline:
    """The engine's answer. ``due`` is ``extended_due`` if extended, else ``original_due``.

    ``original_limit`` is the original period as the statute counts it (pauses included,
    before the working-day roll): the last day on which the deadline may be extended.
    """

    start: date
    original_due: date
    extended_due: date
    due: date
    paused_days: int
    explanation: tuple[str, ...]
    original_limit: date | None = None


@dataclass(frozen=True)
class Regime:
    """A named deadline rule, so adding a regime is a row in :data:`PRESETS`, not code."""

    key: str
    label: str
    rule: Rule
    days: int
    extension_months: int
    # Rights whose clock a clarification may stop (UK GDPR Art 12A: access, and the access
    # part of portability). Right values as plain strings: this module has no Django.
    pausable_rights: frozenset[str] = frozenset({"access", "portability"})

    def deadline_input(self, received: date, **overrides: object) -> DeadlineInput:
        """A :class:`DeadlineInput` using this regime's rule; ``overrides`` set the rest."""
        return DeadlineInput(
            received=received,
            **{
                "rule": self.rule,
                "days": self.days,
                "extension_months": self.extension_months,
                **overrides,
            },
        )


PRESETS: dict[str, Regime] = {
    r.key: r
    for r in (
        Regime("uk_gdpr", "UK GDPR: one calendar month", Rule.CALENDAR_MONTH, 28, 2),
        Regime("uk_gdpr_28_days", "UK GDPR: 28 days (ICO option)", Rule.DAYS, 28, 2),
    )
}


def _start(inp: DeadlineInput) -> tuple[date, str]:
    candidates = [(inp.received, "the request was received")]
    if inp.identity_received is not None:
        candidates.append((inp.identity_received, "the identity evidence was received"))
    if inp.fee_received is not None:
        candidates.append((inp.fee_received, "the fee was received"))
    start, why = max(candidates, key=lambda c: c[0])  # ties keep the earliest listed
    line = f"Start: {full_date(start)}, the day {why}; the day of receipt counts as day one."
    if start != inp.received:
        line += (
            f" The request itself arrived on {full_date(inp.received)}; waiting replaces the"
            " start date rather than adding days."
        )
    return start, line


def _limits(inp: DeadlineInput, start: date) -> tuple[date, date, list[str]]:
    ext = inp.extension_months
    if inp.rule is Rule.CALENDAR_MONTH:
        limit = start + relativedelta(months=1)
        extended = start + relativedelta(months=1 + ext)
        lines = [f"Time limit: one calendar month from the start, {full_date(limit)}."]
        if limit.day != start.day:
            lines.append(
                f"{limit:%B} has no day {start.day}, so the limit is the last day of that month."
            )
        lines.append(
            f"If extended by {plural(ext, 'month')}: {plural(1 + ext, 'month')} from the"
            f" start, {full_date(extended)}."
        )
    else:
        limit = start + timedelta(days=inp.days)
        extended = limit + relativedelta(months=ext)
        lines = [
            f"Time limit: {plural(inp.days, 'day')} after the start, {full_date(limit)}.",
            f"If extended: that date plus {plural(ext, 'month')}, {full_date(extended)}.",
        ]
    return limit, extended, lines


def _paused_days(pauses: Iterable[Pause], start: date, as_of: date | None) -> tuple[int, list[str]]:
    """Days covered by the pauses on or after ``start``, each day counted once."""
    lines: list[str] = []
    periods: list[tuple[date, date]] = []
    for p in sorted(pauses, key=lambda p: p.start):
        end = p.end
        if end is None:
            end = max(p.start, as_of) if as_of is not None else p.start
            lines.append(
                f"Pause from {short_date(p.start)} is still open: counted to {short_date(end)}."
            )
        if end < start:
            lines.append(
                f"Pause {short_date(p.start)} to {short_date(end)} ended before the start,"
                " so it does not count."
            )
            continue
        if p.start < start:
            lines.append(
                f"Pause from {short_date(p.start)} began before the start: counted from"
                f" {short_date(start)}."
            )
        periods.append((max(p.start, start), end))
    merged: list[list[date]] = []
    for s, e in periods:  # sorted by start; merge overlapping or touching periods
        if merged and s <= merged[-1][1] + timedelta(days=1):
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    total = 0
    for s, e in merged:
        n = (e - s).days + 1
        total += n
        span = short_date(s) if s == e else f"{short_date(s)} to {short_date(e)}, both included"
        lines.append(f"Paused {span}: {plural(n, 'day')}.")
    if len(merged) != len(periods):
        lines.append("Overlapping pauses were merged so no day counts twice.")
    return total, lines


def _roll(day: date, region: Region, what: str) -> tuple[date, str]:
    """Move ``day`` to a working day once, saying why (naming any bank holiday)."""
    if is_working_day(day, region):
        return day, f"{what}, {full_date(day)}, is a working day."
    skipped = []
    rolled = day + timedelta(days=1)
    while not is_working_day(rolled, region):
        name = holiday_name(rolled, region)
        skipped.append(short_date(rolled) + (f": {name}" if name else ""))
        rolled += timedelta(days=1)
    name = holiday_name(day, region)
    reason = f"is a bank holiday in {region.label} ({name})" if name else "falls on a weekend"
    line = (
        f"{what}, {full_date(day)}, {reason}, so it moves to the next working day, "
        f"{full_date(rolled)}"
    )
    if skipped:
        line += f" (also skipping {'; '.join(skipped)})"
    return rolled, line + "."


def compute_deadline(inp: DeadlineInput, *, as_of: date | None = None) -> Deadline:
    """Apply the rule in the module docstring to ``inp``.

    An open pause counts up to and including ``as_of`` (by default only its first day),
    so the answer for a paused case moves on a day for every day it stays paused.
    """
    lines = [f"Request received {full_date(inp.received)}; bank holidays of {inp.region.label}."]
    start, start_line = _start(inp)
    lines.append(start_line)
    limit, extended_limit, limit_lines = _limits(inp, start)
    lines += limit_lines

    paused, pause_lines = _paused_days(inp.pauses, start, as_of)
    lines += pause_lines
    if paused:
        limit += timedelta(days=paused)
        extended_limit += timedelta(days=paused)
        lines.append(
            f"{plural(paused, 'paused day')} added: limit {full_date(limit)};"
            f" if extended, {full_date(extended_limit)}."
        )

    original_due, roll_line = _roll(limit, inp.region, "The limit")
    lines.append(roll_line)
    extended_due, roll_line = _roll(extended_limit, inp.region, "The extended limit")
    lines.append(roll_line)
    if inp.extended:
        due = extended_due
        lines.append(f"The deadline has been extended: due by the end of {full_date(due)}.")
    else:
        due = original_due
        lines.append(
            f"Due by the end of {full_date(due)} (if extended: {full_date(extended_due)})."
        )
    return Deadline(
        start=start,
        original_due=original_due,
        extended_due=extended_due,
        due=due,
        paused_days=paused,
        explanation=tuple(lines),
        original_limit=limit,
    )


# What UK GDPR allows a controller to choose (Art 12(3), Art 12A): no more.
MAX_DAYS = 28
MAX_EXTENSION_MONTHS = 2


def rule_problems(rule: object, days: object, extension_months: object) -> dict[str, str]:
    """Why a controller's deadline rule is not one the law allows, per field (empty: fine).

    The days value is checked whatever the rule, so a value that would be wrong the day
    the rule is switched is refused now, with its reason, rather than stored.
    """
    problems: dict[str, str] = {}
    if rule not in {r.value for r in Rule}:
        problems["deadline_rule"] = (
            "Choose one calendar month or a fixed number of days (at most 28)."
        )
    if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= MAX_DAYS:
        problems["deadline_days"] = (
            f"A fixed-days rule is at most {MAX_DAYS} days, and at least 1 (got {days}): the "
            "law gives one calendar month, and a longer count can end after it (in February). "
            "The ICO accepts 28 days for consistency."
        )
    if (
        not isinstance(extension_months, int)
        or isinstance(extension_months, bool)
        or not 0 <= extension_months <= MAX_EXTENSION_MONTHS
    ):
        problems["extension_months"] = (
            f"An extension adds at most {MAX_EXTENSION_MONTHS} further months (got "
            f"{extension_months}): UK GDPR Art 12A allows no more."
        )
    return problems


def check_rule(rule: object, days: object, extension_months: object) -> None:
    """Raise ValueError (all the problems, one sentence each) unless the rule is lawful."""
    problems = rule_problems(rule, days, extension_months)
    if problems:
        raise ValueError(" ".join(problems.values()))


def regime_options(base: Mapping[str, Any] | None = None, **overrides: Any) -> dict[str, Any]:
    """``base`` (e.g. a controller's rule) with the overrides that were given (not None).

    Asking for a number of days without naming a rule means the days rule.
    """
    given = {k: v for k, v in overrides.items() if v is not None}
    options = {**(base or {}), **given}
    if "days" in given and "rule" not in given:
        options["rule"] = Rule.DAYS
    return options


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_date(text: str) -> date:
    """A strict ``YYYY-MM-DD`` date, with a message fit to show a user."""
    text = text.strip()
    if _ISO_DATE.fullmatch(text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            pass
    raise ValueError(f"Not a date: {text!r} (expected YYYY-MM-DD, e.g. 2026-01-31).")


def parse_pause(text: str) -> Pause:
    """``START:END`` (both days included) or ``START:`` for a pause still open."""
    start_text, colon, end_text = text.partition(":")
    if not colon:
        raise ValueError(f"Not a pause: {text!r} (expected START:END, or START: while still open).")
    start = parse_date(start_text)
    end = parse_date(end_text) if end_text.strip() else None
    return Pause(start=start, end=end)
