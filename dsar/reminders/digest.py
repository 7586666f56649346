"""The DPO's daily overdue digest: every overdue case, how late, who has it, with links.

Beat calls the sweep hourly; a controller gets its digest on the first run at or after
its ``digest_hour`` in its own time zone, once per local day (a Notice on the controller
and the day). Nothing is sent, and nothing claimed, while nothing is overdue. "Overdue"
means the running clock is past the due day, as for the reminders (see ``due``).
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.utils import timezone

from ..choices import CLOCK_RUNNING_STATUSES
from ..emails import queue_emails
from ..formats import local_time, person_name, plural
from ..mailbox.services import failing_mailboxes
from ..models import Case, Controller, Notice
from ..notifications import DigestRow, case_url, dpo_recipient, overdue_digest_email
from .base import Action, SweepResult, claim, key

log = logging.getLogger(__name__)
# The email lists this many cases, the latest first, then "and N more" with a link to the queue.
DIGEST_MAX_ROWS = 100


def _local_now(controller: Controller, now: dt.datetime) -> dt.datetime:
    return local_time(now, controller.time_zone)


def controllers_due_a_digest(now: dt.datetime | None = None) -> list[tuple[Controller, dt.date]]:
    """Controllers past their digest hour today (their time) without today's digest."""
    now = now or timezone.now()
    due = []
    for controller in Controller.objects.all():
        local = _local_now(controller, now)
        if local.hour >= controller.digest_hour:
            due.append((controller, local.date()))
    claimed = set(
        Notice.objects.filter(
            case=None,
            kind=Notice.Kind.OVERDUE_DIGEST,
            controller__in=[c for c, _ in due],
            due_date__in={day for _, day in due},
        ).values_list("controller_id", "due_date")
    )
    return [(c, day) for c, day in due if (c.pk, day) not in claimed]


def send_overdue_digest(*, controller: Controller, today: dt.date) -> Action | None:
    """One controller's digest for ``today``, unless nothing is overdue or it went already."""
    with transaction.atomic():
        overdue = Case.objects.filter(
            controller=controller, status__in=sorted(CLOCK_RUNNING_STATUSES), due_date__lt=today
        )
        cases = list(
            overdue.select_related("assignee").order_by("due_date", "id")[:DIGEST_MAX_ROWS]
        )
        # Issue 15: a mailbox that cannot be read is news for the DPO too.
        failing = failing_mailboxes([controller.pk])
        if not cases and not failing:
            return None
        total = overdue.count() if len(cases) == DIGEST_MAX_ROWS else len(cases)
        to = dpo_recipient(controller)
        notice = Notice(
            controller=controller,
            kind=Notice.Kind.OVERDUE_DIGEST,
            due_date=today,
            recipient=to.role if to else "",
        )
        if key(notice) not in claim([notice]):
            return None
        detail = plural(total, "overdue case") + (
            f", {len(failing)} failing mailbox{'es' * (len(failing) != 1)}" if failing else ""
        )
        if to is None:
            log.warning("No DPO or team address for %s's overdue digest.", controller.slug)
            return Action(notice.kind, controller.slug, "", detail)
        rows = [
            DigestRow(
                reference=case.reference,
                right=case.get_right_display(),
                due_date=case.due_date,
                days_late=(today - case.due_date).days,
                assignee=person_name(case.assignee) if case.assignee else "",
                url=case_url(case),
            )
            for case in cases
        ]
        queue_emails(
            [
                overdue_digest_email(
                    controller, to, today=today, rows=rows, total=total, mailboxes=failing
                )
            ]
        )
    return Action(notice.kind, controller.slug, to.role, detail)


def send_overdue_digests(*, now: dt.datetime | None = None) -> SweepResult:
    """Every digest due now: one unit per controller (a handful of queries each)."""
    done = []
    for controller, today in controllers_due_a_digest(now):
        action = send_overdue_digest(controller=controller, today=today)
        if action:
            done.append(action)
    return SweepResult(done=done)
