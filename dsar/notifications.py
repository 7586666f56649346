"""The emails scheduled work sends: who gets them, and one small function per email.

Each function returns an unsaved OutgoingEmail rendered from its template triplet in
templates/emails/<name>/ (a missing template is an error); sweeps write them in bulk with
dsar.emails.queue_emails, in the transaction that claims them. Officer emails name the
case by reference and link to it; they carry no requester's personal data.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from .emails import build_email
from .formats import person_name
from .models import Case, Controller, OutgoingEmail
from .services import confirmation_url


@dataclass(frozen=True)
class Recipient:
    role: str  # assignee, team, dpo, requester: recorded; the address never is
    address: str
    name: str = ""


ASSIGNEE, TEAM, DPO, REQUESTER = "assignee", "team", "dpo", "requester"


def officer_recipient(case: Case) -> Recipient | None:
    """The assignee; unassigned (or assigned to someone gone), the team, then the DPO."""
    assignee, controller = case.assignee, case.controller
    if assignee is not None and assignee.is_active and assignee.email:
        name = person_name(assignee)
        return Recipient(ASSIGNEE, assignee.email, name)
    if controller.team_email:
        return Recipient(TEAM, controller.team_email)
    if controller.dpo_email:
        return Recipient(DPO, controller.dpo_email)
    return None


def dpo_recipient(controller: Controller) -> Recipient | None:
    if controller.dpo_email:
        return Recipient(DPO, controller.dpo_email, controller.dpo_name)
    if controller.team_email:
        return Recipient(TEAM, controller.team_email)
    return None


def case_url(case: Case) -> str:
    return f"{settings.SITE_URL}{case.get_absolute_url()}"


def _officer_email(template: str, case: Case, to: Recipient, **context: object) -> OutgoingEmail:
    return build_email(
        template=template,
        to=to.address,
        case=case,
        context={
            "controller": case.controller,
            "recipient": to,
            "case_url": case_url(case),
            **context,
        },
    )


def reminder_email(case: Case, to: Recipient, *, working_days_left: int) -> OutgoingEmail:
    return _officer_email("reminder_due", case, to, working_days_left=working_days_left)


def overdue_email(case: Case, to: Recipient, *, days_late: int) -> OutgoingEmail:
    return _officer_email("reminder_overdue", case, to, days_late=days_late)


def extension_prompt_email(case: Case, to: Recipient, *, working_days_left: int) -> OutgoingEmail:
    return _officer_email("extension_prompt", case, to, working_days_left=working_days_left)


def unconfirmed_chaser_email(case: Case, *, discard_on: dt.date) -> OutgoingEmail:
    """To the requester: a fresh confirmation link, and the last day to use it.

    That is the day the link expires or, if sooner, the day the request is discarded.
    """
    link_age = dt.timedelta(days=settings.CONFIRMATION_LINK_MAX_AGE_DAYS)
    zone = ZoneInfo(case.controller.time_zone)
    link_expires_on = timezone.localtime(timezone.now() + link_age, zone).date()
    return build_email(
        template="unconfirmed_chaser",
        to=case.requester_email,
        case=case,
        context={
            "controller": case.controller,
            "confirm_url": confirmation_url(case),
            "confirm_by": min(link_expires_on, discard_on),
        },
    )


@dataclass(frozen=True)
class DigestRow:
    reference: str
    right: str
    due_date: dt.date
    days_late: int
    assignee: str  # name, or "" when unassigned
    url: str


def overdue_digest_email(
    controller: Controller,
    to: Recipient,
    *,
    today: dt.date,
    rows: list[DigestRow],
    total: int,
    mailboxes: list | None = None,
) -> OutgoingEmail:
    return build_email(
        template="overdue_digest",
        to=to.address,
        context={
            "controller": controller,
            "recipient": to,
            "today": today,
            "rows": rows,
            "total": total,
            "more": total - len(rows),
            "mailboxes": mailboxes or [],
            "triage_url": f"{settings.SITE_URL}{reverse('dsar:triage')}",
            "queue_url": f"{settings.SITE_URL}{reverse('dsar:queue')}"
            f"?due=overdue&controller={controller.slug}",
        },
    )
