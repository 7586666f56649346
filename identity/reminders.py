"""Scheduled work: delete evidence past its retention, chase requesters who have not sent
evidence, and close as unverified those who never do.

Each sweep takes `now` (tests pass one; the tasks pass the real time), works one case or
one file per transaction, and is safe to run twice at once: a file is claimed by locking
and re-reading its row, a chaser by a unique (case, due day) row, a closure by the status
move itself (a case refused once cannot be refused again).
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from dsar import services as case_services
from dsar.choices import ActorKind, Status
from dsar.formats import local_time, long_date
from dsar.models import Case
from dsar.services import lock_case

from . import evidence, notifications, policies
from .choices import Method, StepStatus
from .models import EvidenceFile, IdentityChaser, VerificationStep
from .services import case_close_unverified

log = logging.getLogger(__name__)


# --- purge -----------------------------------------------------------------------------


def check_ended_at(step: VerificationStep) -> dt.datetime | None:
    """When the check ended: its decision, or the case closing while it was pending."""
    ends = [step.case.closed_at] if step.case.closed_at else []
    if not step.is_pending and step.reviewed_at:
        ends.append(step.reviewed_at)
    return min(ends) if ends else None


def purge_expired_evidence(now: dt.datetime | None = None) -> int:
    """Delete every evidence file (from storage and the database) whose check ended more
    than the policy's retention days ago; each deletion is an event on its case."""
    now = now or timezone.now()
    candidates = list(
        EvidenceFile.objects.filter(
            ~Q(step__status=StepStatus.PENDING) | Q(step__case__closed_at__isnull=False)
        ).select_related("step__case__controller")
    )
    by_key = policies.policies_by_key({f.step.case.controller_id for f in candidates})
    purged = 0
    for item in candidates:
        case = item.step.case
        retention = policies.Timings.of(
            by_key.get((case.controller_id, case.right))
        ).evidence_retention_days
        ended = check_ended_at(item.step)
        if ended is None or ended + dt.timedelta(days=retention) > now:
            continue
        if _purge_one(item.pk, case.pk, ended=ended, retention_days=retention):
            purged += 1
    return purged


@transaction.atomic
def _purge_one(evidence_id: int, case_id: int, *, ended: dt.datetime, retention_days: int) -> bool:
    case = lock_case(case_id)
    item = EvidenceFile.objects.select_related("step").filter(pk=evidence_id).first()
    if item is None:  # another sweep got there first
        return False
    # Storage first, inside the transaction: if the commit then fails, the row stays and
    # the next sweep finishes the job (deleting a missing file is harmless). The other
    # order could leave a passport in storage with no row left to find it by.
    item.file.storage.delete(item.file.name)
    ended_on = local_time(ended, case.controller.time_zone).date()
    case_services.record_event(
        case,
        "evidence_purged",
        actor_kind=ActorKind.SYSTEM,
        message=f"{Method(item.step.method).label}: evidence file {item.pk} ({item.kind_label}, "
        f"{evidence.human_size(item.size)}) deleted, {retention_days} days after the check "
        f"ended on {long_date(ended_on)}.",
        data={
            "evidence": item.pk,
            "step": item.step_id,
            "content_type": item.content_type,
            "size": item.size,
            "sha256": item.sha256,
            "check_ended_at": ended.isoformat(),
            "retention_days": retention_days,
        },
    )
    item.delete()
    log.info("Purged evidence %s of case %s.", evidence_id, case_id)
    return True


# --- chasing and closing as unverified --------------------------------------------------


def chase_unverified(now: dt.datetime | None = None) -> dict[str, int]:
    """For each case waiting on the requester for identity: send the chaser that is due
    (at most one per interval), or close it as unverified once the policy's limit has
    passed. Returns counts of chasers sent and cases closed."""
    now = now or timezone.now()
    cases = list(
        Case.objects.filter(
            status=Status.AWAITING_IDENTITY, verification_steps__status=StepStatus.PENDING
        )
        .distinct()
        .select_related("controller")
    )
    by_key = policies.policies_by_key({c.controller_id for c in cases})
    counts = {"chased": 0, "closed": 0}
    for case in cases:
        result = chase_one(
            case, now, policies.Timings.of(by_key.get((case.controller_id, case.right)))
        )
        if result:
            counts[result] += 1
    return counts


def waiting_on_requester(steps: list[VerificationStep]) -> list[VerificationStep]:
    """Pending steps only the requester can move: nothing sent yet, and not a knowledge
    check (which the officer runs by contacting them)."""
    return [
        s
        for s in steps
        if s.is_pending and not s.evidence_received_on and s.method != Method.KNOWLEDGE_CHECK
    ]


def chase_one(case: Case, now: dt.datetime, timings: policies.Timings) -> str | None:
    """One case: "closed", "chased" or None (nothing due)."""
    steps = list(case.verification_steps.filter(status=StepStatus.PENDING))
    waiting = waiting_on_requester(steps)
    if not waiting:
        return None
    tz = case.controller.time_zone
    today = local_time(now, tz).date()
    since = min(local_time(s.requested_at, tz).date() for s in waiting)
    close_on = (
        since + dt.timedelta(days=timings.close_unverified_after_days)
        if timings.close_unverified_after_days
        else None
    )
    under_review = any(s.evidence_received_on for s in steps)
    if close_on and today >= close_on and not under_review:
        return _close(case, waiting, since=since, days=timings.close_unverified_after_days)
    if not timings.chase_after_days:
        return None
    rounds = (today - since).days // timings.chase_after_days
    if rounds < 1:
        return None
    due_on = since + dt.timedelta(days=rounds * timings.chase_after_days)
    if close_on and due_on >= close_on:
        return None
    return _chase(case, due_on=due_on, close_on=close_on)


@transaction.atomic
def _chase(case: Case, *, due_on: dt.date, close_on: dt.date | None) -> str | None:
    case = lock_case(case)
    if case.status != Status.AWAITING_IDENTITY:
        return None
    _chaser, created = IdentityChaser.objects.get_or_create(case=case, due_on=due_on)
    if not created:
        return None
    pending = list(case.verification_steps.filter(status=StepStatus.PENDING))
    notifications.evidence_chaser(case, pending, close_on=close_on)
    case_services.record_event(
        case,
        "identity_chaser_sent",
        actor_kind=ActorKind.SYSTEM,
        message="Reminded the requester what we still need"
        + (f"; the request closes on {long_date(close_on)} without it." if close_on else "."),
        data={"due_on": due_on.isoformat(), "close_on": close_on.isoformat() if close_on else None},
    )
    return "chased"


def _close(case: Case, waiting: list[VerificationStep], *, since: dt.date, days: int) -> str | None:
    asked = "; ".join(sorted({Method(s.method).label.lower() for s in waiting}))
    reasons = (
        f"We asked on {long_date(since)} for what we need to confirm the requester's identity "
        f"({asked}) and had not received it {days} days later."
    )
    with transaction.atomic():
        fresh = Case.objects.select_for_update().get(pk=case.pk)
        pending = list(fresh.verification_steps.filter(status=StepStatus.PENDING))
        # Re-checked under the lock: evidence that arrived meanwhile stops the closure.
        if fresh.status != Status.AWAITING_IDENTITY or any(s.evidence_received_on for s in pending):
            return None
        case_close_unverified(case=fresh, by=None, reasons=reasons)
    log.info("Closed case %s as identity not verified after %s days.", case.pk, days)
    return "closed"
