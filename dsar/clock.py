"""What may bend the clock, and when: the rules the case services ask before they act.

Pure functions (no database), so each rule is tested on its own and read in one place.
UK GDPR Arts 12, 12A and 15 and the ICO's right-of-access guidance; in short:

- A clarification pause (UK GDPR Art 12A; the ICO's "stop the clock") is only for an
  access request (and the access part of portability), only while the case is open and on
  or before its current deadline, and it starts on the day the question is sent: today,
  never backdated.
- An extension is made within the original period as the statute counts it: the
  calendar-month (or N-day) date plus any clarification days, *before* the working-day
  roll. Received 31 January 2026: the last day to extend is Saturday 28 February, not
  Monday 2 March.
- A fee may be asked only for a manifestly unfounded or excessive request, or for further
  copies (Art 12(5), 15(3)).
"""

from __future__ import annotations

import dataclasses
from datetime import date
from enum import StrEnum

from . import deadlines
from .formats import full_date

__all__ = [
    "FeeGround",
    "extension_refusal",
    "last_day_to_extend",
    "pausable_rights",
    "pause_refusal",
]


class FeeGround(StrEnum):
    """Why a fee may be asked: nothing else allows one."""

    MANIFESTLY_UNFOUNDED = "manifestly_unfounded"
    MANIFESTLY_EXCESSIVE = "manifestly_excessive"
    FURTHER_COPIES = "further_copies"

    @property
    def label(self) -> str:
        return _FEE_LABELS[self]


_FEE_LABELS = {
    FeeGround.MANIFESTLY_UNFOUNDED: "The request is manifestly unfounded (Art 12(5))",
    FeeGround.MANIFESTLY_EXCESSIVE: "The request is manifestly excessive (Art 12(5))",
    FeeGround.FURTHER_COPIES: "Further copies of data already provided (Art 15(3))",
}


def pausable_rights(regime: str = "uk_gdpr") -> frozenset[str]:
    """The rights whose clock a clarification may stop under the regime's preset."""
    return deadlines.PRESETS[regime].pausable_rights


def pause_refusal(
    *,
    right: str,
    right_label: str,
    is_open: bool,
    today: date,
    received: date,
    due: date,
    started_on: date | None = None,
) -> str | None:
    """Why the clock may not be stopped for a clarification now (None: it may).

    ``started_on`` is the day the officer says the question went; it must be today, the
    day the product sends it.
    """
    if right not in pausable_rights():
        return (
            f"Only an access request (or the access part of a portability request) can be "
            f"paused for clarification (UK GDPR Art 12A). This is a request for "
            f"{right_label.lower()}: ask your question in a message to the requester; the "
            "clock keeps running."
        )
    if not is_open:
        return "Only an open case can be paused."
    if today > due:
        return (
            f"The deadline ({full_date(due)}) has passed: a clarification can stop the clock only "
            "before the deadline. Answer with what you can now."
        )
    if started_on is not None and started_on != today:
        if started_on < received:
            return "A pause cannot start before the request was received."
        return (
            f"A pause starts on the day the clarification request is sent, which is today "
            f"({full_date(today)}): it cannot be backdated or set for a later day."
        )
    return None


def last_day_to_extend(inp: deadlines.DeadlineInput, *, as_of: date | None = None) -> date:
    """The end of the original period before the working-day roll (pauses included)."""
    result = deadlines.compute_deadline(dataclasses.replace(inp, extended=False), as_of=as_of)
    assert result.original_limit is not None  # always set by compute_deadline
    return result.original_limit


def extension_refusal(
    inp: deadlines.DeadlineInput, *, today: date, already_extended: bool
) -> str | None:
    """Why the deadline may not be extended today (None: it may)."""
    if already_extended:
        return "This case has already been extended."
    last = last_day_to_extend(inp, as_of=today)
    if today > last:
        return (
            f"The original period ended on {full_date(last)}: an extension must be made, and told "
            "to the requester, within it (UK GDPR Art 12A). The working-day roll to the due "
            "date does not lengthen the time to extend."
        )
    return None
