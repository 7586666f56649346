"""State changes to cases: one function per action.

Each runs in a transaction, locks the case row, checks the transition table, writes its
event in the same transaction and leaves side effects (emails) to run after commit.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import connection, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from . import deadlines, hooks
from .abuse.budgets import confirmation_email_allowed
from .choices import (
    ActorKind,
    Channel,
    ClockStart,
    Outcome,
    RefusalGround,
    Role,
    Status,
)
from .emails import queue_email, redact_case_emails
from .errors import CaseActionError, ConflictError, TransitionError
from .formats import long_date, person_name
from .models import Case, CaseEvent, Controller, Membership, ReferenceCounter
from .tokens import make_confirmation_token
from .transitions import TERMINAL, can_transition

User = AbstractBaseUser

# Fields a caller may set when creating a case; everything else is the service's business.
CASE_INPUT_FIELDS = frozenset(
    {
        "requester_name",
        "requester_email",
        "requester_phone",
        "requester_address",
        "relationship",
        "subject_name",
        "subject_email",
        "subject_address",
        "organisation_name",
        "subject_identifiers",
        "description",
        "rectification_inaccurate",
        "rectification_correction",
        "objection_processing",
        "objection_direct_marketing",
        "portability_destination",
        "portability_recipient",
        "preferred_reply",
        "declaration_at",
    }
)


# --- helpers -------------------------------------------------------------------------


def record_event(
    case: Case,
    kind: str,
    *,
    by: User | None = None,
    actor_kind: str | None = None,
    message: str = "",
    data: dict[str, Any] | None = None,
    from_status: str = "",
    to_status: str = "",
) -> CaseEvent:
    """Append an event. Call only inside the transaction that made the change.

    Creations and status changes are also announced (dsar.hooks; webhooks listen), to
    be told after commit.
    """
    event = CaseEvent.objects.create(
        case=case,
        kind=kind,
        actor=by,
        actor_kind=actor_kind or (ActorKind.OFFICER if by else ActorKind.SYSTEM),
        message=message,
        data=data or {},
        from_status=from_status,
        to_status=to_status,
    )
    hooks.announce(_signals(case, event))
    return event


def _signals(case: Case, event: CaseEvent) -> list[hooks.CaseSignal]:
    """created; status_changed (and closed, when the case ends) for a status move."""
    if not hooks.case_signal_listeners:
        return []
    if event.kind == "created":
        kinds = ["created"]
    elif event.to_status and event.to_status != event.from_status:
        kinds = ["status_changed"] + (["closed"] if event.to_status in TERMINAL else [])
    else:
        return []
    return [
        hooks.CaseSignal.of(
            case,
            kind,
            key=f"{kind}:{case.pk}:{event.pk}",
            previous_status=event.from_status,
            event=event.kind,
        )
        for kind in kinds
    ]


def lock_case(case: Case | int, expected_version: int | None = None) -> Case:
    """Re-read the case (or the case with this id) under a row lock, its controller with
    it; refuse if someone changed it since ``expected_version``. Every app's services lock
    a case this way, so all of them queue behind one another on the same row."""
    pk = case if isinstance(case, int) else case.pk
    fresh = Case.objects.select_for_update().select_related("controller").get(pk=pk)
    if expected_version is not None and fresh.version != expected_version:
        raise ConflictError(
            "Someone else changed this case while you were looking at it. "
            "Reload the page to see their change, then try again."
        )
    return fresh


def _save(case: Case, fields: list[str]) -> None:
    case.version = F("version") + 1
    case.save(update_fields=[*fields, "version", "updated_at"])
    case.refresh_from_db(fields=["version"])


def _move(case: Case, target: str) -> str:
    if not can_transition(case.status, target):
        raise TransitionError(
            f"A case that is {case.get_status_display().lower()} cannot become "
            f"{Status(target).label.lower()}."
        )
    previous, case.status = case.status, target
    return previous


def _require_reason(
    reason: str, field: str = "reason", message: str = "Give a reason: it goes on the case record."
) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise CaseActionError(message, field=field)
    return reason


def deadline_input(case: Case) -> deadlines.DeadlineInput:
    pauses = tuple(p.as_deadline_pause() for p in case.pauses.all()) if case.pk else ()
    return deadlines.DeadlineInput(
        received=case.received_on,
        **case.controller.deadline_options(),
        extended=case.extended,
        identity_received=case.identity_received_on,
        fee_received=case.fee_received_on,
        pauses=pauses,
    )


def compute_case_deadline(case: Case) -> deadlines.Deadline:
    """The engine's answer for this case now (an open pause counts up to today)."""
    return deadlines.compute_deadline(deadline_input(case), as_of=case.controller.today())


def _apply_deadline(case: Case) -> list[str]:
    """Recompute the stored due dates; returns the changed field names."""
    result = compute_case_deadline(case)
    changed = []
    if case.original_due_date != result.original_due:
        case.original_due_date = result.original_due
        changed.append("original_due_date")
    if case.due_date != result.due:
        case.due_date = result.due
        changed.append("due_date")
    return changed


def _next_reference(year: int) -> str:
    """One statement, so two requests at once never share a number (the row is locked by
    the update until the transaction ends). PostgreSQL and SQLite 3.35+ both speak it."""
    table = connection.ops.quote_name(ReferenceCounter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (year, last) VALUES (%s, 1) "  # noqa: S608 (model's table)
            f"ON CONFLICT (year) DO UPDATE SET last = {table}.last + 1 RETURNING last",
            [year],
        )
        (last,) = cursor.fetchone()
    return f"DSAR-{year}-{last:06d}"


def confirmation_url(case: Case, *, together: list[Case] | None = None) -> str:
    """The link that confirms ``case``, or every case of one submission (``together``)."""
    references = ",".join(c.reference for c in together) if together else case.reference
    return reverse("dsar:confirm", args=[case.controller.slug, make_confirmation_token(references)])


def _send_confirmation(cases: list[Case], controller: Controller) -> None:
    """One email per submission: it lists every reference and one link confirms them all."""
    first = cases[0]
    # At most a few confirmation emails per mailbox a day (dsar.abuse.budgets): past that
    # the request is kept, unconfirmed, but no email goes, so nobody can mail-bomb a stranger.
    if not first.requester_email or not confirmation_email_allowed(first.requester_email):
        return
    queue_email(
        template="confirm_request",
        to=first.requester_email,
        case=first,
        context={
            "confirm_url": confirmation_url(first, together=cases if len(cases) > 1 else None),
            "controller": controller,
            "link_max_age_days": settings.CONFIRMATION_LINK_MAX_AGE_DAYS,
            "cases": cases,
        },
    )


# --- creating and confirming ---------------------------------------------------------


@transaction.atomic
def case_create(
    *,
    controller: Controller,
    right: str,
    channel: str,
    fields: dict[str, Any],
    received_on: dt.date | None = None,
    by: User | None = None,
    send_confirmation: bool = True,
) -> Case:
    """Open a case. Web requests wait for email confirmation; others start at once.

    ``send_confirmation=False`` is for ``case_create_many``, which sends one email itself.
    """
    unknown = set(fields) - CASE_INPUT_FIELDS
    if unknown:
        raise CaseActionError(f"Unknown case fields: {', '.join(sorted(unknown))}.")
    today = controller.today()
    received_on = received_on or today
    if received_on > today:
        raise CaseActionError("The received date cannot be in the future.", field="received_on")
    case = Case(
        controller=controller, right=right, channel=channel, received_on=received_on, **fields
    )
    case.reference = _next_reference(today.year)
    _apply_deadline(case)
    web = channel == Channel.WEB
    case.status = Status.UNCONFIRMED if web else Status.IN_PROGRESS
    if not web:
        case.confirmed_at = timezone.now()
    case.save()
    record_event(
        case,
        "created",
        by=by,
        actor_kind=ActorKind.REQUESTER if web and not by else None,
        to_status=case.status,
        message=f"Received by {case.get_channel_display().lower()} on {long_date(received_on)}.",
        data={"channel": channel, "right": right, "received_on": received_on.isoformat()},
    )
    if web:
        if send_confirmation:
            _send_confirmation([case], controller)
    else:
        _route_confirmed(case, by=by)
    return case


@transaction.atomic
def case_create_many(
    *,
    controller: Controller,
    requests: list[tuple[str, dict[str, Any]]],
    channel: str,
    by: User | None = None,
) -> list[Case]:
    """One submission asking for several rights: one case per (right, fields), linked.

    All or nothing (one transaction). Each pair of cases is marked as the same person
    (an event on each), and a web submission gets ONE confirmation email listing every
    reference, whose link confirms them all: one request from the requester's view.
    """
    from .people.services import person_link  # people imports this module

    web = channel == Channel.WEB
    cases = [
        case_create(
            controller=controller,
            right=right,
            channel=channel,
            fields=fields,
            by=by,
            send_confirmation=False,
        )
        for right, fields in requests
    ]
    for i, case in enumerate(cases):
        for other in cases[i + 1 :]:
            person_link(case=case, other=other, by=by)
    if web and cases:
        _send_confirmation(cases, controller)
    return cases


def _route_confirmed(case: Case, *, by: User | None) -> None:
    """After confirmation: let satellite apps claim the case (e.g. identity checks)."""
    for router in hooks.confirmation_routers:
        target = router(case)
        if target and target != case.status:
            previous = _move(case, target)
            _save(case, ["status"])
            record_event(case, "status_changed", by=by, from_status=previous, to_status=target)
            break


@transaction.atomic
def case_confirm(*, case: Case) -> Case:
    """The requester followed the emailed link. Following it twice is harmless."""
    case = lock_case(case)
    if case.status != Status.UNCONFIRMED:
        return case
    previous = _move(case, Status.IN_PROGRESS)
    case.confirmed_at = timezone.now()
    fields = ["status", "confirmed_at"]
    if case.controller.clock_starts == ClockStart.CONFIRMED:
        case.received_on = case.controller.today()
        fields += ["received_on", *_apply_deadline(case)]
    _save(case, fields)
    record_event(
        case,
        "confirmed",
        actor_kind=ActorKind.REQUESTER,
        from_status=previous,
        to_status=case.status,
        message="The requester confirmed their email address.",
        data={"due_date": case.due_date.isoformat()},
    )
    _route_confirmed(case, by=None)
    if case.requester_email:
        queue_email(
            template="acknowledgement",
            to=case.requester_email,
            case=case,
            context={"controller": case.controller},
        )
    return case


# --- officer actions -----------------------------------------------------------------


@transaction.atomic
def case_assign(
    *, case: Case, assignee: User | None, by: User, expected_version: int | None = None
) -> Case:
    case = lock_case(case, expected_version)
    if not case.is_open:
        raise CaseActionError("Only open cases can be assigned.")
    old = case.assignee
    case.assignee = assignee
    _save(case, ["assignee"])
    name = person_name(assignee) if assignee else "nobody"
    record_event(
        case,
        "assigned",
        by=by,
        message=f"Assigned to {name}.",
        data={"from": old.pk if old else None, "to": assignee.pk if assignee else None},
    )
    return case


# Events that record identity verified: the core's own and the identity app's steps.
IDENTITY_VERIFIED_EVENTS = ("identity_verified", "verification_passed")


def identity_verified(case: Case) -> bool:
    """Has this case's identity been verified (so its clock has started for good)?"""
    return (
        case.identity_received_on is not None
        or case.events.filter(kind__in=IDENTITY_VERIFIED_EVENTS).exists()
    )


@transaction.atomic
def case_request_identity(
    *, case: Case, by: User, note: str = "", expected_version: int | None = None
) -> Case:
    """Ask for identity evidence. Until identity has been verified the clock waits for it
    (the start becomes the day it arrives). Once verified, a case stays started: a new
    step may be asked for, but the clock keeps running and the due date stays
    (UK GDPR Art 12(3) and ICO guidance), so asking again can never reset an overdue case."""
    case = lock_case(case, expected_version)
    if case.status == Status.IN_PROGRESS and identity_verified(case):
        record_event(
            case,
            "identity_requested",
            by=by,
            message=(note + " " if note else "")
            + "Identity was already verified: the clock keeps running while we wait.",
            data={"clock_running": True, "due_date": case.due_date.isoformat()},
        )
        return case
    previous = _move(case, Status.AWAITING_IDENTITY)
    _save(case, ["status"])
    record_event(
        case, "identity_requested", by=by, from_status=previous, to_status=case.status, message=note
    )
    return case


@transaction.atomic
def case_identity_received(
    *,
    case: Case,
    by: User | None,
    received_on: dt.date | None = None,
    expected_version: int | None = None,
) -> Case:
    """Identity verified: the statutory period now runs from the day the evidence came."""
    case = lock_case(case, expected_version)
    received_on = received_on or case.controller.today()
    if not (case.received_on <= received_on <= case.controller.today()):
        raise CaseActionError(
            "The evidence date must be between the received date and today.", field="received_on"
        )
    previous = _move(case, Status.IN_PROGRESS)
    case.identity_received_on = received_on
    changed = _apply_deadline(case)
    _save(case, ["status", "identity_received_on", *changed])
    record_event(
        case,
        "identity_verified",
        by=by,
        from_status=previous,
        to_status=case.status,
        message=(
            f"Identity evidence received {long_date(received_on)}; due {long_date(case.due_date)}."
        ),
        data={
            "identity_received_on": received_on.isoformat(),
            "due_date": case.due_date.isoformat(),
        },
    )
    return case


@transaction.atomic
def case_submit_for_review(
    *, case: Case, by: User, note: str = "", expected_version: int | None = None
) -> Case:
    case = lock_case(case, expected_version)
    previous = _move(case, Status.READY_FOR_REVIEW)
    _save(case, ["status"])
    record_event(
        case,
        "submitted_for_review",
        by=by,
        from_status=previous,
        to_status=case.status,
        message=note,
    )
    return case


@transaction.atomic
def case_reopen_work(
    *, case: Case, by: User, note: str = "", expected_version: int | None = None
) -> Case:
    """A reviewer sends the case back for more work."""
    case = lock_case(case, expected_version)
    if case.status != Status.READY_FOR_REVIEW:
        raise TransitionError("Only a case ready for review can be sent back.")
    previous = _move(case, Status.IN_PROGRESS)
    _save(case, ["status"])
    record_event(
        case, "returned_for_work", by=by, from_status=previous, to_status=case.status, message=note
    )
    return case


@transaction.atomic
def case_close(
    *, case: Case, by: User, outcome: str, reasons: str = "", expected_version: int | None = None
) -> Case:
    case = lock_case(case, expected_version)
    if outcome not in Outcome.values:
        raise CaseActionError("Choose an outcome.", field="outcome")
    if outcome == Outcome.PARTLY_FULFILLED:
        reasons = _require_reason(
            reasons, "reasons", "Give the exemptions applied: it goes on the case record."
        )
    previous = _move(case, Status.CLOSED)
    case.outcome, case.outcome_reasons, case.closed_at = outcome, reasons.strip(), timezone.now()
    _save(case, ["status", "outcome", "outcome_reasons", "closed_at"])
    record_event(
        case,
        "closed",
        by=by,
        from_status=previous,
        to_status=case.status,
        message=reasons,
        data={"outcome": outcome},
    )
    return case


@transaction.atomic
def case_refuse(
    *, case: Case, by: User | None, ground: str, reasons: str, expected_version: int | None = None
) -> Case:
    case = lock_case(case, expected_version)
    if ground not in RefusalGround.values:
        raise CaseActionError("Choose the ground for refusal.", field="ground")
    reasons = _require_reason(reasons, "reasons")
    previous = _move(case, Status.REFUSED)
    case.refusal_ground, case.outcome_reasons, case.closed_at = ground, reasons, timezone.now()
    _save(case, ["status", "refusal_ground", "outcome_reasons", "closed_at"])
    record_event(
        case,
        "refused",
        by=by,
        from_status=previous,
        to_status=case.status,
        message=reasons,
        data={"ground": ground},
    )
    return case


@transaction.atomic
def case_withdraw(
    *,
    case: Case,
    by: User | None,
    reason: str = "",
    actor_kind: str | None = None,
    expected_version: int | None = None,
) -> Case:
    """The requester withdrew (told an officer, or used their status page)."""
    case = lock_case(case, expected_version)
    previous = _move(case, Status.WITHDRAWN)
    case.outcome_reasons, case.closed_at = reason.strip(), timezone.now()
    _save(case, ["status", "outcome_reasons", "closed_at"])
    record_event(
        case,
        "withdrawn",
        by=by,
        actor_kind=actor_kind,
        from_status=previous,
        to_status=case.status,
        message=reason.strip(),
    )
    return case


# The clock's actions (pause, answer, extend, fee) live in dsar.clock_services; they are
# named here too, so every caller finds each action in one place.
_CLOCK_ACTIONS = frozenset(
    {
        "answer_clarification",
        "case_extend",
        "case_fee_received",
        "case_pause",
        "case_request_fee",
        "case_resume",
    }
)


def __getattr__(name: str) -> Any:
    if name in _CLOCK_ACTIONS:
        from . import clock_services  # imports this module: loaded on first use

        return getattr(clock_services, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# --- scheduled work ------------------------------------------------------------------

# What an unconfirmed request holds about a person, and the blank each field gets.
UNCONFIRMED_PERSONAL_FIELDS: dict[str, Any] = {
    "requester_name": "",
    "requester_email": "",
    "requester_phone": "",
    "requester_address": "",
    "subject_name": "",
    "subject_email": "",
    "subject_address": "",
    "organisation_name": "",
    "subject_identifiers": [],
    "description": "",
    "rectification_inaccurate": "",
    "rectification_correction": "",
    "objection_processing": "",
    "portability_recipient": "",
}


@transaction.atomic
def case_discard_unconfirmed(*, case: Case, after_days: int) -> Case:
    """A web request never confirmed within the controller's limit: withdraw it, forget them.

    Nobody proved they own the address, so nothing about them is kept: every personal field
    is blanked and the case's emails lose their recipients and bodies. The reference,
    dates and trail stay, so the register still counts the request. The status becomes
    withdrawn (the table allows it from any open status) with the reason recorded.
    A case confirmed (or discarded) meanwhile is returned unchanged.
    """
    case = lock_case(case)
    if case.status != Status.UNCONFIRMED:
        return case
    previous = _move(case, Status.WITHDRAWN)
    reason = f"Not confirmed within {after_days} days."
    for name, blank in UNCONFIRMED_PERSONAL_FIELDS.items():
        setattr(case, name, blank)
    case.outcome_reasons, case.closed_at = reason, timezone.now()
    _save(case, ["status", "outcome_reasons", "closed_at", *UNCONFIRMED_PERSONAL_FIELDS])
    redact_case_emails(case)
    record_event(
        case,
        "discarded",
        actor_kind=ActorKind.SYSTEM,
        from_status=previous,
        to_status=case.status,
        message=f"{reason} The request was discarded and its personal data removed.",
        data={"after_days": after_days, "removed": sorted(UNCONFIRMED_PERSONAL_FIELDS)},
    )
    return case


# --- issue 15: several cases at once -------------------------------------------------


@transaction.atomic
def case_assign_many(*, cases: list[Case], assignee: User | None, by: User) -> list[Case]:
    """Assign several cases in one go: one case_assign (and one event) each, all or none.

    The assignee must be an officer of every case's controller; if any case refuses, the
    whole batch rolls back and the error names that case.
    """
    if not cases:
        raise CaseActionError("Tick at least one case to assign.", field="cases")
    done = []
    for case in cases:
        if (
            assignee is not None
            and not Membership.objects.filter(
                user=assignee, controller_id=case.controller_id, role__in=[Role.OFFICER, Role.ADMIN]
            ).exists()
        ):
            raise CaseActionError(
                f"{case.reference}: {assignee.get_username()} is not an officer of "
                f"{case.controller.name}. Nothing was assigned.",
                field="assignee",
            )
        try:
            done.append(case_assign(case=case, assignee=assignee, by=by))
        except CaseActionError as exc:
            raise CaseActionError(
                f"{case.reference}: {exc.message} Nothing was assigned.", field=exc.field
            ) from exc
    return done
