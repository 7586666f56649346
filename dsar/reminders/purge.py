"""Closed cases past their controller's retention period are deleted.

A case closed, withdrawn or refused more than ``closed_case_retention_days`` ago goes, with
everything hanging off it (events, pauses, emails, notices: all cascade). What survives is
a PurgedCase row (reference, right, final status, dates; no personal data), so the
register of requests stays complete and the disposal itself is on record; a log line
would be lost with the logs. Another app's row that PROTECTs a case keeps it, logged by
reference, until that app lets go. A controller whose period is not set (its notice is
silent and no admin has set one) has nothing purged.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.db.models import ProtectedError, Q
from django.utils import timezone

from ..models import Case, Controller, PurgedCase
from ..transitions import TERMINAL
from .base import Action, SweepResult, group_controllers

log = logging.getLogger(__name__)
PURGE_BATCH_SIZE = 100


def purge_closed_cases(
    *, limit: int = PURGE_BATCH_SIZE, now: dt.datetime | None = None
) -> SweepResult:
    """One batch of expired closed cases, each deleted in its own transaction."""
    now = now or timezone.now()
    # Only where an admin set a period: "not set" purges nothing (issue 13).
    controllers = list(Controller.objects.filter(closed_case_retention_days__isnull=False))
    if not controllers:
        return SweepResult()
    expired = Q()
    for days, ids in group_controllers(controllers, lambda c: c.closed_case_retention_days).items():
        expired |= Q(controller_id__in=ids, closed_at__lt=now - dt.timedelta(days=days))
    # The partial index case_closed_at_idx serves this query.
    ids = list(
        Case.objects.filter(expired, status__in=sorted(TERMINAL))
        .order_by("closed_at", "id")
        .values_list("pk", flat=True)[:limit]
    )
    done = []
    for pk in ids:
        action = _purge(pk, expired)
        if action:
            done.append(action)
    # A batch that purged nothing (all protected) must not loop forever.
    return SweepResult(done=done, more=len(ids) == limit and bool(done))


def _purge(pk: int, expired: Q) -> Action | None:
    try:
        with transaction.atomic():
            case = (
                Case.objects.select_for_update()
                .filter(expired, pk=pk, status__in=sorted(TERMINAL))
                .first()
            )
            if case is None:  # purged by another sweep meanwhile
                return None
            PurgedCase.objects.create(
                controller_id=case.controller_id,
                reference=case.reference,
                right=case.right,
                status=case.status,
                received_on=case.received_on,
                closed_at=case.closed_at,
            )
            case.delete()
    except ProtectedError:
        log.warning("Case %s is past retention but another record protects it.", case.reference)
        return None
    log.info("Purged case %s, closed past its retention period.", case.reference)
    return Action("purged", case.reference, "", f"closed {case.closed_at:%d %b %Y}")
