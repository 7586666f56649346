"""Objections: the marketing suppression list, and officers' decisions on the others.

An objection to direct marketing is absolute (Art 21(2)-(3)): the subject's email
addresses and phone numbers go on the controller's suppression list as keyed hashes
(HMAC-SHA256 under ``SUPPRESSION_HASH_KEY``), never as plain values, and other systems
ask ``GET /api/v1/suppression/check/`` before sending marketing. Any other objection
(Art 21(1)) is decided by an officer, with reasons.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from dsar.choices import Right
from dsar.errors import CaseActionError
from dsar.models import Case, Controller
from dsar.services import lock_case, record_event

from ..identifiers import case_identifiers, keyed_hash, normalise
from ..models import ObjectionDecision, SuppressionEntry

User = AbstractBaseUser
PURPOSE = "suppression"


def digest(kind: str, value: str) -> str | None:
    """The stored form of an email or phone, or None when it is not one."""
    ident = normalise(kind, value)
    if ident is None:
        return None
    # Emails are suppressed whatever their case: over-suppressing marketing is harmless.
    normalised = ident.value.lower() if kind == "email" else ident.value
    return keyed_hash(kind, normalised, purpose=PURPOSE)


@transaction.atomic
def suppression_add_for_case(*, case: Case, by: User | None) -> list[SuppressionEntry]:
    """Put the subject's emails and phones on the controller's suppression list."""
    case = lock_case(case)
    if case.right != Right.OBJECTION or not case.objection_direct_marketing:
        raise CaseActionError(
            "Only an objection to direct marketing adds someone to the suppression list; "
            "decide other objections with reasons."
        )
    if not case.is_open:
        raise CaseActionError("The case is closed.")
    pairs = {
        (ident.kind, d)
        for ident in case_identifiers(case)
        if ident.kind in SuppressionEntry.Kind.values and (d := digest(ident.kind, ident.value))
    }
    if not pairs:
        raise CaseActionError("The case has no email address or phone number to suppress.")
    SuppressionEntry.objects.bulk_create(
        [
            SuppressionEntry(controller=case.controller, kind=kind, digest=d, case=case)
            for kind, d in sorted(pairs)
        ],
        ignore_conflicts=True,  # already suppressed: nothing to add
    )
    kinds = sorted({kind for kind, _ in pairs})
    record_event(
        case,
        "suppression_added",
        by=by,
        message=f"Added to {case.controller}'s marketing suppression list "
        f"({len(pairs)} {' and '.join(kinds)} hash{'es' if len(pairs) != 1 else ''}).",
        data={"kinds": kinds, "count": len(pairs)},
    )
    return list(
        SuppressionEntry.objects.filter(
            controller=case.controller, digest__in=[d for _, d in pairs]
        )
    )


def is_suppressed(controllers: Iterable[Controller], *, email: str = "", phone: str = "") -> bool:
    """Whether any of ``controllers`` has this email or phone on its suppression list."""
    keys = [(k, digest(k, v)) for k, v in (("email", email), ("phone", phone)) if v]
    keys = [(k, d) for k, d in keys if d]
    if not keys:
        return False
    from django.db.models import Q

    match = Q()
    for kind, d in keys:
        match |= Q(kind=kind, digest=d)
    return SuppressionEntry.objects.filter(
        match, controller__in=list(controllers), withdrawn_at__isnull=True
    ).exists()


@transaction.atomic
def suppression_withdraw(*, entry: SuppressionEntry, by: User, reason: str) -> SuppressionEntry:
    """Take an entry off the list without deleting it: who, when and why are kept on the
    entry, as an event on the controller and, when a case put it there, on that case."""
    from django.utils import timezone

    from dsar.configuration.services import record_change

    reason = (reason or "").strip()
    if not reason:
        raise CaseActionError("Say why the entry is withdrawn.")
    entry = (
        SuppressionEntry.objects.select_for_update().select_related("controller").get(pk=entry.pk)
    )
    if entry.withdrawn_at is not None:
        raise CaseActionError("This entry was already withdrawn.")
    entry.withdrawn_at, entry.withdrawn_by, entry.withdrawn_reason = timezone.now(), by, reason
    entry.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawn_reason"])
    label = f"{entry.get_kind_display()} hash {entry.digest[:10]}…"
    record_change(
        controller=entry.controller,
        by=by,
        kind="suppression_withdrawn",
        target=f"Suppression list: {label}",
        message=f"Withdrawn from the marketing suppression list: {reason}",
        before={"withdrawn": False},
        after={"withdrawn": True, "reason": reason},
    )
    if entry.case_id is not None:
        record_event(
            entry.case,
            "suppression_withdrawn",
            by=by,
            message=f"One {entry.get_kind_display().lower()} hash was withdrawn from the "
            f"marketing suppression list: {reason}",
            data={"kind": entry.kind, "entry_id": entry.pk},
        )
    return entry


@transaction.atomic
def objection_decide(
    *, case: Case, by: User, decision: str, reasons: str, processing: str = ""
) -> ObjectionDecision:
    """Record the decision on an objection to processing other than direct marketing."""
    case = lock_case(case)
    if case.right != Right.OBJECTION:
        raise CaseActionError("Only objections are decided here.")
    if not case.is_open:
        raise CaseActionError("The case is closed.")
    if decision not in ObjectionDecision.Decision.values:
        raise CaseActionError("Choose the decision.", field="decision")
    reasons = (reasons or "").strip()
    if not reasons:
        raise CaseActionError("Give the reasons: they go in the letter.", field="reasons")
    processing = (processing or case.objection_processing or "").strip()
    if not processing:
        raise CaseActionError("Say which processing the objection is about.", field="processing")
    made = ObjectionDecision.objects.create(
        case=case, processing=processing, decision=decision, reasons=reasons, decided_by=by
    )
    record_event(
        case,
        "objection_decided",
        by=by,
        message=f"{made.get_decision_display()}. {reasons}",
        data={"decision": decision},
    )
    return made
