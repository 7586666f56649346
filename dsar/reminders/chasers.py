"""Unconfirmed web requests: one chaser with a fresh link, then discarded.

A web request waits unconfirmed until its sender follows the emailed link. After the
controller's ``unconfirmed_chase_after_days`` the requester gets one reminder with a new
link (the first may have expired); after ``unconfirmed_discard_after_days`` the request is
discarded: withdrawn with the reason recorded and its personal data removed
(dsar.services.case_discard_unconfirmed). Ages count from the form's submission.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from .. import services
from ..choices import ActorKind, Status
from ..emails import queue_emails
from ..formats import local_time, short_date
from ..models import Case, CaseEvent, Controller, Notice
from ..notifications import REQUESTER, unconfirmed_chaser_email
from .base import BATCH_SIZE, Action, SweepResult, claim, group_controllers, key, record_events


def chase_unconfirmed(*, limit: int = BATCH_SIZE, now: dt.datetime | None = None) -> SweepResult:
    """One batch of chasers to requesters who have not confirmed their web request."""
    now = now or timezone.now()
    with transaction.atomic():
        controllers = list(Controller.objects.all())
        if not controllers:
            return SweepResult()
        ages = Q()
        groups = group_controllers(
            controllers,
            lambda c: (c.unconfirmed_chase_after_days, c.unconfirmed_discard_after_days),
        )
        for (chase, discard), ids in groups.items():
            ages |= Q(
                controller_id__in=ids,
                created_at__lte=now - dt.timedelta(days=chase),
                created_at__gt=now - dt.timedelta(days=discard),
            )
        chased = Notice.objects.filter(case=OuterRef("pk"), kind=Notice.Kind.UNCONFIRMED_CHASER)
        cases = list(
            Case.objects.filter(ages, status=Status.UNCONFIRMED)
            .exclude(requester_email="")
            .exclude(Exists(chased))
            .select_related("controller")
            .order_by("created_at", "id")[:limit]
        )
        notices = {
            case.pk: Notice(
                controller=case.controller,
                case=case,
                kind=Notice.Kind.UNCONFIRMED_CHASER,
                due_date=case.due_date,
                recipient=REQUESTER,
            )
            for case in cases
        }
        won = claim(list(notices.values()))
        emails, events, done = [], [], []
        for case in cases:
            if key(notices[case.pk]) not in won:
                continue
            discard_on = _discard_on(case)
            emails.append(unconfirmed_chaser_email(case, discard_on=discard_on))
            events.append(
                CaseEvent(
                    case=case,
                    kind="confirmation_reminder_sent",
                    actor_kind=ActorKind.SYSTEM,
                    message="Reminded the requester to confirm their request, with a new link.",
                    data={"discard_on": discard_on.isoformat()},
                )
            )
            done.append(
                Action(
                    Notice.Kind.UNCONFIRMED_CHASER,
                    case.reference,
                    REQUESTER,
                    f"discarded on {short_date(discard_on)} if not confirmed",
                )
            )
        queue_emails(emails)
        record_events(events)
    return SweepResult(done=done, more=len(cases) == limit)


def _discard_on(case: Case) -> dt.date:
    """The controller's local day on which the unconfirmed request will be discarded."""
    lapse = case.created_at + dt.timedelta(days=case.controller.unconfirmed_discard_after_days)
    return local_time(lapse, case.controller.time_zone).date()


def discard_unconfirmed(*, limit: int = BATCH_SIZE, now: dt.datetime | None = None) -> SweepResult:
    """One batch of unconfirmed requests past the controller's limit: discarded."""
    now = now or timezone.now()
    controllers = list(Controller.objects.all())
    if not controllers:
        return SweepResult()
    expired = Q()
    for days, ids in group_controllers(
        controllers, lambda c: c.unconfirmed_discard_after_days
    ).items():
        expired |= Q(controller_id__in=ids, created_at__lte=now - dt.timedelta(days=days))
    cases = list(
        Case.objects.filter(expired, status=Status.UNCONFIRMED)
        .select_related("controller")
        .order_by("created_at", "id")[:limit]
    )
    done = []
    for case in cases:
        days = case.controller.unconfirmed_discard_after_days
        case = services.case_discard_unconfirmed(case=case, after_days=days)
        if case.status == Status.WITHDRAWN:
            done.append(Action("discarded", case.reference, "", f"not confirmed in {days} days"))
    return SweepResult(done=done, more=len(cases) == limit)
