"""Letters say only what is true (issue 13): the checks made before a letter is issued.

- No placeholder reaches a requester: a part still reading "To be completed", "to be
  confirmed" or "Not stated" (or left empty where the law needs it) refuses the issue,
  naming each section to write.
- A transfer mechanism that is no longer valid (the EU-US Privacy Shield, struck down in
  *Schrems II*, July 2020) is flagged to the officer and never printed as a safeguard.
- A letter issued after the deadline says so and apologises; the officer is warned first.
- The courts named for a judicial remedy are those of the controller's region.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping

from dsar.formats import long_date
from dsar.models import Case

from .base import LetterKind

# Words an officer or a data map leaves for "someone should write this".
PLACEHOLDER = re.compile(
    r"to be completed|to be confirmed|not stated|\[todo\]|lorem ipsum|tbc\b", re.IGNORECASE
)
# Transfer mechanisms no longer valid: never printed as a safeguard.
INVALID_MECHANISMS = (
    (re.compile(r"privacy\s+shield", re.IGNORECASE), "the EU-US Privacy Shield"),
    (re.compile(r"safe\s+harbou?r", re.IGNORECASE), "the EU-US Safe Harbour"),
)
# Letters that carry no response date of their own (the clock waits, or was never due).
NOT_A_RESPONSE = frozenset({"identity_request", "fee_request", "closed_unverified"})

COURTS = {
    "england": "In England and Wales, this is the County Court or the High Court.",
    "scotland": "In Scotland, this is the Sheriff Court or the Court of Session.",
    "northern_ireland": "In Northern Ireland, this is the County Court or the High Court of "
    "Justice in Northern Ireland.",
}


def has_placeholder(text: str) -> bool:
    return bool(PLACEHOLDER.search(text or ""))


def invalid_mechanism(text: str) -> str | None:
    """The name of a no-longer-valid transfer mechanism that ``text`` relies on, if any."""
    for pattern, name in INVALID_MECHANISMS:
        if pattern.search(text or ""):
            return name
    return None


def placeholder_sections(kind: LetterKind, values: Mapping[str, str]) -> list[str]:
    """The labels of the parts that still hold placeholder text."""
    return [f.label for f in kind.fields if has_placeholder(values.get(f.name, ""))]


def issue_refusal(kind: LetterKind, values: Mapping[str, str], html: str) -> str | None:
    """Why the letter may not be issued as it stands (None when it may)."""
    sections = placeholder_sections(kind, values)
    if sections:
        return (
            "A letter may say only what is true: write these sections before issuing (they "
            f"still hold placeholder text): {'; '.join(sections)}."
        )
    if has_placeholder(re.sub(r"<[^>]+>", " ", html)):
        return (
            "A letter may say only what is true: the letter still holds placeholder text "
            "(“To be completed”, “to be confirmed” or “Not stated”). Complete it before "
            "issuing."
        )
    return None


def is_late(case: Case, kind_key: str, letter_date: dt.date) -> bool:
    """Issued after the response was due (a letter that is itself a wait is never late)."""
    return kind_key not in NOT_A_RESPONSE and letter_date > case.due_date


def courts(case: Case) -> str:
    return COURTS.get(case.controller.holiday_region, COURTS["england"])


def warnings(case: Case, kind_key: str, today: dt.date) -> list[str]:
    """What the officer should know before issuing (shown above the preview)."""
    notes = []
    if is_late(case, kind_key, today):
        notes.append(
            f"This letter is late: the response was due by {long_date(case.due_date)}. "
            f"The letter says so and apologises; the requester may "
            "complain to the ICO about the delay."
        )
    if kind_key == "access_response":
        notes += transfer_flags(case)
    return notes


def transfer_flags(case: Case) -> list[str]:
    """Transfers the data map names on a mechanism that is no longer valid."""
    from exports.data.models import DataMapSettings, DataSystem

    flags = []
    texts = [
        (s.name, s.transfer_safeguard)
        for s in DataSystem.objects.filter(controller=case.controller, outside_uk=True)
    ]
    settings = DataMapSettings.objects.filter(controller=case.controller).first()
    if settings is not None:
        texts.append(("the data map's transfers text", settings.transfers))
    for name, text in texts:
        mechanism = invalid_mechanism(text)
        if mechanism:
            flags.append(
                f"{name}: the notice relies on {mechanism}, which is no longer a valid "
                "transfer mechanism. It is not printed as a safeguard: write the safeguard "
                "actually used (e.g. the UK Extension to the EU-US Data Privacy Framework, "
                "or the ICO's International Data Transfer Agreement)."
            )
    return flags
