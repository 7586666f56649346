"""The emails the identity app sends: one short function per email.

Each writes an OutgoingEmail row in the caller's transaction (dsar.emails.queue_email), so
an email exists exactly when the change that caused it was committed. The link in each is
a fresh status link for that case only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.conf import settings
from django.urls import reverse

from dsar.emails import queue_email
from dsar.models import Case, OutgoingEmail

from . import policies
from .models import VerificationStep
from .tokens import status_url


def needed_lines(case: Case, steps: Sequence[VerificationStep]) -> list[str]:
    """What the requester must still send, one sentence per pending step."""
    documents = policies.accepted_documents(case, policies.policy_for(case))
    return [policies.what_we_need(s.method, case, documents) for s in steps if s.is_pending]


def _context(case: Case, **extra: object) -> dict[str, object]:
    return {
        "controller": case.controller,
        "status_url": status_url(case),
        "link_max_age_days": settings.STATUS_LINK_MAX_AGE_DAYS,
        **extra,
    }


def identity_request(
    case: Case, steps: Sequence[VerificationStep], *, message: str = "", again: bool = False
) -> OutgoingEmail | None:
    """What we need to check, and the link to send it. None when there is no address."""
    if not case.requester_email:
        return None
    return queue_email(
        template="identity_request",
        to=case.requester_email,
        case=case,
        context=_context(
            case, needed=needed_lines(case, steps), message=message.strip(), again=again
        ),
    )


def status_link(case: Case) -> OutgoingEmail:
    """A fresh link, asked for on the status page."""
    return queue_email(
        template="status_link", to=case.requester_email, case=case, context=_context(case)
    )


def evidence_chaser(
    case: Case, steps: Sequence[VerificationStep], *, close_on: dt.date | None
) -> OutgoingEmail | None:
    if not case.requester_email:
        return None
    return queue_email(
        template="evidence_chaser",
        to=case.requester_email,
        case=case,
        context=_context(case, needed=needed_lines(case, steps), close_on=close_on),
    )


def closed_unverified(case: Case) -> OutgoingEmail | None:
    """The refusal, its reasons, the right to complain, and how to ask again."""
    if not case.requester_email:
        return None
    return queue_email(
        template="closed_unverified",
        to=case.requester_email,
        case=case,
        context={
            "controller": case.controller,
            "new_request_url": reverse("dsar:request_form", args=[case.controller.slug]),
        },
    )
