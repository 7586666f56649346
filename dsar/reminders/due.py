"""Deadline reminders, overdue reminders and the extension prompt, to the officers.

Only cases whose statutory clock runs (in progress, ready for review) are reminded:
an unconfirmed request, one awaiting identity evidence (the clock has not started: it
starts the day the evidence arrives) and a paused one (its due date grows every paused
day and is recomputed on resume) owe nothing until the clock runs again.

Each sweep handles one batch with a fixed number of queries: the controllers; the cases
owed something, in one query on the partial index ``case_open_due_idx`` (due-date ranges
per group of controllers sharing a day, region and thresholds, each excluding cases
whose notice is already claimed); the claims and their read-back; the emails; the events.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import Exists, OuterRef, Q

from .. import hooks
from ..choices import CLOCK_RUNNING_STATUSES, ActorKind
from ..deadlines import Region
from ..emails import queue_emails
from ..formats import plural, short_date
from ..models import Case, CaseEvent, Controller, Notice, OutgoingEmail
from ..notifications import (
    Recipient,
    extension_prompt_email,
    officer_recipient,
    overdue_email,
    reminder_email,
)
from . import schedule
from .base import BATCH_SIZE, Action, SweepResult, claim, group_controllers, key, record_events

log = logging.getLogger(__name__)
CLOCK_RUNNING = sorted(CLOCK_RUNNING_STATUSES)
# Timeline event kinds: "Reminder sent", "Overdue reminder sent", "Extension prompt sent".
EVENT_NAMES = {
    Notice.Kind.REMINDER: "reminder",
    Notice.Kind.OVERDUE: "overdue_reminder",
    Notice.Kind.EXTENSION_PROMPT: "extension_prompt",
}

# Case signals (dsar.hooks) for the notices that have one.
SIGNALS = {Notice.Kind.REMINDER: "due_soon", Notice.Kind.OVERDUE: "overdue"}


@dataclass
class Owed:
    """A notice a case is owed, and how to write its email once the claim is won."""

    case: Case
    notice: Notice
    detail: str
    email: Callable[[Recipient], OutgoingEmail]


def _claimed(kind: str, threshold: int, due_field: str) -> Exists:
    """A notice of this kind and threshold exists for the case's current due date."""
    return Exists(
        Notice.objects.filter(
            case=OuterRef("pk"), kind=kind, threshold=threshold, due_date=OuterRef(due_field)
        )
    )


def _notice(case: Case, kind: str, threshold: int, due_date: date) -> Notice:
    return Notice(
        controller=case.controller, case=case, kind=kind, threshold=threshold, due_date=due_date
    )


def remind_due_cases(*, limit: int = BATCH_SIZE) -> SweepResult:
    """One batch of deadline and overdue reminders; ``more`` when the batch was full."""
    with transaction.atomic():
        controllers = list(Controller.objects.all())
        if not controllers:
            return SweepResult()
        plans: dict[int, tuple[date, list[schedule.Stage]]] = {}
        owed, horizon = Q(), date.min
        groups = group_controllers(
            controllers,
            lambda c: (c.today(), c.holiday_region, tuple(sorted(set(c.reminder_days)))),
        )
        for (today, region, thresholds), ids in groups.items():
            stages = schedule.reminder_stages(today, thresholds, Region(region))
            plans.update(dict.fromkeys(ids, (today, stages)))
            # Usually every controller shares one rule: then no need to name them.
            which = Q(controller_id__in=ids) if len(groups) > 1 else Q()
            for s in stages:
                kind = Notice.Kind.OVERDUE if s.overdue else Notice.Kind.REMINDER
                after = Q(due_date__gte=s.start) if s.start is not None else Q()
                dates = Q(due_date__lt=s.end) & after
                owed |= which & dates & ~_claimed(kind, s.threshold, "due_date")
                horizon = max(horizon, s.end)
        cases = list(
            # One range scan of case_open_due_idx up to the furthest threshold, in its order.
            Case.objects.filter(owed, due_date__lt=horizon, status__in=CLOCK_RUNNING)
            .select_related("controller", "assignee")
            .order_by("due_date", "id")[:limit]
        )
        # (A controller created since the list was read waits for the next sweep.)
        items = [
            item
            for case in cases
            if case.controller_id in plans
            and (item := _reminder(case, *plans[case.controller_id])) is not None
        ]
        done = _send(items)
    return SweepResult(done=done, more=len(cases) == limit)


def _reminder(case: Case, today: date, stages: list[schedule.Stage]) -> Owed | None:
    stage = schedule.stage_for(case.due_date, stages)
    if stage is None:
        return None
    if stage.overdue:
        late = (today - case.due_date).days
        return Owed(
            case,
            _notice(case, Notice.Kind.OVERDUE, 0, case.due_date),
            f"{plural(late, 'day')} late (due {short_date(case.due_date)})",
            lambda to: overdue_email(case, to, days_late=late),
        )
    left = schedule.working_days_left(today, case.due_date, Region(case.controller.holiday_region))
    when = "today" if left <= 0 else f"in {plural(left, 'working day')}"
    return Owed(
        case,
        _notice(case, Notice.Kind.REMINDER, stage.threshold, case.due_date),
        f"due {when} ({short_date(case.due_date)})",
        lambda to: reminder_email(case, to, working_days_left=left),
    )


def prompt_extensions(*, limit: int = BATCH_SIZE) -> SweepResult:
    """One batch of prompts to decide on an extension now, five working days before the
    original deadline, since the requester must be told within the original period.

    Once per case and original due date; never for a case already extended.
    """
    threshold = schedule.EXTENSION_PROMPT_WORKING_DAYS
    with transaction.atomic():
        controllers = list(Controller.objects.all())
        if not controllers:
            return SweepResult()
        todays: dict[int, date] = {}
        window = Q()
        groups = group_controllers(controllers, lambda c: (c.today(), c.holiday_region))
        for (today, region), ids in groups.items():
            todays.update(dict.fromkeys(ids, today))
            start, end = schedule.extension_prompt_window(today, Region(region))
            # Not extended, so due_date is the original deadline and case_open_due_idx serves.
            which = Q(controller_id__in=ids) if len(groups) > 1 else Q()
            window |= which & Q(due_date__gte=start, due_date__lt=end)
        cases = list(
            Case.objects.filter(window, status__in=CLOCK_RUNNING, extended=False)
            .exclude(_claimed(Notice.Kind.EXTENSION_PROMPT, threshold, "original_due_date"))
            .select_related("controller", "assignee")
            .order_by("due_date", "id")[:limit]
        )
        items = [
            _extension_prompt(case, todays[case.controller_id])
            for case in cases
            if case.controller_id in todays
        ]
        done = _send(items)
    return SweepResult(done=done, more=len(cases) == limit)


def _extension_prompt(case: Case, today: date) -> Owed:
    due = case.original_due_date
    left = schedule.working_days_left(today, due, Region(case.controller.holiday_region))
    return Owed(
        case,
        _notice(case, Notice.Kind.EXTENSION_PROMPT, schedule.EXTENSION_PROMPT_WORKING_DAYS, due),
        f"decide on an extension: original deadline {short_date(due)}, "
        f"{plural(left, 'working day')} away",
        lambda to: extension_prompt_email(case, to, working_days_left=left),
    )


def _send(items: list[Owed]) -> list[Action]:
    """Claim the notices; write an email and a timeline event for each one won."""
    recipients: dict[int, Recipient | None] = {}
    for item in items:
        to = recipients[item.case.pk] = officer_recipient(item.case)
        item.notice.recipient = to.role if to else ""
    won = claim([item.notice for item in items])
    emails: list[OutgoingEmail] = []
    events: list[CaseEvent] = []
    done: list[Action] = []
    for item in items:
        notice, case = item.notice, item.case
        if key(notice) not in won:
            continue  # another sweep has it
        to = recipients[case.pk]
        label = notice.get_kind_display()
        if to is None:
            log.warning("No address to send the %s for case %s to.", notice.kind, case.reference)
            message = (
                f"{label} not sent ({item.detail}): the case has no assignee and the "
                "controller has no team or DPO address."
            )
        else:
            emails.append(item.email(to))
            message = f"{label} sent to {to.name or f'the {to.role} address'}: {item.detail}."
        events.append(
            CaseEvent(
                case=case,
                kind=f"{EVENT_NAMES[notice.kind]}_{'sent' if to else 'not_sent'}",
                actor_kind=ActorKind.SYSTEM,
                message=message,
                data={
                    "notice": notice.kind,
                    "threshold": notice.threshold,
                    "due_date": notice.due_date.isoformat(),
                    "recipient": notice.recipient,
                },
            )
        )
        done.append(Action(notice.kind, case.reference, notice.recipient, item.detail))
    queue_emails(emails)
    record_events(events)
    # Webhooks: due soon / overdue, once per case and due date (the listener dedupes on
    # the key), only for the notices this sweep's claim won.
    hooks.announce(
        [
            hooks.CaseSignal.of(item.case, signal, key=f"{signal}:{item.case.pk}:{due}")
            for item in items
            if key(item.notice) in won
            and (signal := SIGNALS.get(item.notice.kind))
            and (due := item.notice.due_date.isoformat())
        ]
    )
    return done
