"""The DPO's monthly report: on the first working day of each month, the previous
month's figures for each controller, by email (text and HTML), exactly once.

Beat calls the sweep hourly. A controller is due from its digest hour (its own time zone)
on the first working day of the month (its holiday region), and stays due for the rest
of that month, so a beat that was down catches up. Exactly once: the email is written in
the transaction that inserts the controller's ``Notice`` for that month (unique on
controller, kind and month, ``INSERT ... ON CONFLICT DO NOTHING``), so two beats, a retry
or a second worker send nothing twice. The figures are those of the reports page, without
the workload table (it names officers): no personal data.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from .. import deadlines
from ..emails import build_email, queue_emails
from ..formats import local_time
from ..models import Controller, Notice, OutgoingEmail
from ..notifications import Recipient, dpo_recipient
from ..reminders.base import Action, SweepResult, claim, key
from .periods import Period, add_months, month_end
from .selectors import summary

log = logging.getLogger(__name__)
TEMPLATE = "monthly_report"


def first_working_day(month: dt.date, region: str) -> dt.date:
    return deadlines.next_working_day(month.replace(day=1), deadlines.Region(region))


def report_month(controller: Controller, now: dt.datetime) -> dt.date | None:
    """The month (its first day) whose report is due now, or None before it is due."""
    local = local_time(now, controller.time_zone)
    first = first_working_day(local.date(), controller.holiday_region)
    if local.date() < first or (local.date() == first and local.hour < controller.digest_hour):
        return None
    return add_months(local.date().replace(day=1), -1)


def controllers_due(now: dt.datetime | None = None) -> list[tuple[Controller, dt.date]]:
    """Active controllers whose report for last month is due and not yet claimed."""
    now = now or timezone.now()
    due = [
        (ctrl, month)
        for ctrl in Controller.objects.filter(is_active=True)
        if (month := report_month(ctrl, now)) is not None
    ]
    claimed = set(
        Notice.objects.filter(
            case=None,
            kind=Notice.Kind.MONTHLY_REPORT,
            controller__in=[c for c, _ in due],
            due_date__in={m for _, m in due},
        ).values_list("controller_id", "due_date")
    )
    return [(c, m) for c, m in due if (c.pk, m) not in claimed]


def monthly_report_email(
    controller: Controller, to: Recipient, *, period: Period, data: dict
) -> OutgoingEmail:
    query = urlencode(
        {"controller": controller.slug, "range": "custom", "from": period.start, "to": period.end}
    )
    return build_email(
        template=TEMPLATE,
        to=to.address,
        context={
            "controller": controller,
            "recipient": to,
            "month": period.start,
            "data": data,
            "report_url": f"{settings.SITE_URL}{reverse('reports:reports')}?{query}",
        },
    )


def send_monthly_report(
    *, controller: Controller, month: dt.date, now: dt.datetime | None = None
) -> Action | None:
    """One controller's report for ``month``; None when it went already (or has nowhere
    to go: then the claim stands and the warning is logged once)."""
    now = now or timezone.now()
    period = Period(month, month_end(month), "custom")
    with transaction.atomic():
        to = dpo_recipient(controller)
        notice = Notice(
            controller=controller,
            kind=Notice.Kind.MONTHLY_REPORT,
            due_date=month,
            recipient=to.role if to else "",
        )
        if key(notice) not in claim([notice]):
            return None
        detail = f"{month:%B %Y}"
        if to is None:
            log.warning("No DPO or team address for %s's monthly report.", controller.slug)
            return Action(notice.kind, controller.slug, "", detail)
        today = local_time(now, controller.time_zone).date()
        data = summary(controllers=[controller], period=period, today=today)
        queue_emails([monthly_report_email(controller, to, period=period, data=data)])
    return Action(notice.kind, controller.slug, to.role, detail)


def send_monthly_reports(*, now: dt.datetime | None = None) -> SweepResult:
    """Every report due now: one unit per controller."""
    done = []
    for controller, month in controllers_due(now):
        action = send_monthly_report(controller=controller, month=month, now=now)
        if action:
            done.append(action)
    return SweepResult(done=done)
