"""The actions that bend the clock: pause for clarification, answer, extend, fee.

Same pattern as ``dsar.services`` (re-exported there): keyword-only, one transaction, the
case row locked, the transition table checked, an event written. The rules themselves
are in ``dsar.clock`` (pure). Every action that stops or moves the deadline tells the
requester in the same transaction (no deadline moves silently): an
email with their status link in the outbox, or, for a requester who asked for post, a
letter issued as a case document (``hooks.letter_senders``). If the message cannot be
written, nothing changes.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from . import clock, hooks
from . import services as core
from .choices import OPEN_STATUSES, ActorKind, ExtensionGround, ReplyChannel, Status
from .emails import queue_email
from .errors import CaseActionError
from .formats import long_date
from .models import Case, Pause

User = AbstractBaseUser


def _tell_requester(
    case: Case, *, by: User | None, email: str, letter: str, fields: dict[str, str], **ctx: Any
) -> dict[str, Any]:
    """Send the requester ``email`` (a template triplet) or the ``letter`` kind by post.

    Returns what was sent, for the event's data. Raises CaseActionError when the requester
    cannot be reached, so the action that needed telling them does not happen.
    """
    address = case.requester_address.strip()
    wants_post = case.preferred_reply == ReplyChannel.POST and address
    if case.requester_email and not wants_post:
        from .thread.hooks import status_url

        try:
            link = status_url(case)
        except LookupError:
            link = ""
        sent = queue_email(
            template=email,
            to=case.requester_email,
            case=case,
            context={
                "controller": case.controller,
                "status_url": link,
                "link_max_age_days": settings.STATUS_LINK_MAX_AGE_DAYS,
                **ctx,
            },
        )
        return {"sent_by": "email", "email_id": sent.pk}
    if not address:
        raise CaseActionError(
            "The requester gave no email or postal address, so they cannot be told: add one "
            "to the case first."
        )
    if not hooks.letter_senders:
        raise CaseActionError("No letters app is installed to send this by post.")
    document = hooks.letter_senders[0](case=case, kind=letter, fields=fields, by=by)
    return {"sent_by": "post", "document_id": getattr(document, "pk", None)}


def _open_pause(case: Case) -> Pause | None:
    return case.pauses.filter(ended_on__isnull=True).order_by("-started_on", "-id").first()


def awaiting_fee(case: Case) -> bool:
    """Asked for a fee that has not arrived (the clock waits for it)."""
    return case.fee_requested_on is not None and (
        case.fee_received_on is None or case.fee_received_on < case.fee_requested_on
    )


# --- clarification -------------------------------------------------------------------


@transaction.atomic
def case_pause(
    *,
    case: Case,
    by: User,
    reason: str,
    started_on: dt.date | None = None,
    expected_version: int | None = None,
) -> Case:
    """Ask the requester to clarify (``reason`` is the question) and stop the clock today.

    Only for access (Art 12A), open, on or before the deadline; the question is sent in
    the same transaction, so the pause starts the day it really goes.
    """
    case = core.lock_case(case, expected_version)
    question = core._require_reason(reason)
    today = case.controller.today()
    previous = core._move(case, Status.AWAITING_REQUESTER)  # a finished case: TransitionError
    refusal = clock.pause_refusal(
        right=case.right,
        right_label=case.get_right_display(),
        is_open=True,  # checked by the transition above
        today=today,
        received=case.received_on,
        due=case.due_date,
        started_on=started_on,
    )
    if refusal:
        raise CaseActionError(refusal, field="started_on" if started_on else None)
    pause = Pause.objects.create(case=case, started_on=today, reason=question, created_by=by)
    changed = core._apply_deadline(case)
    core._save(case, ["status", *changed])
    sent = _tell_requester(
        case,
        by=by,
        email="clarification_request",
        letter="clarification_request",
        fields={"questions": question},
        question=question,
    )
    pause.sent_by = sent["sent_by"]
    pause.save(update_fields=["sent_by"])
    core.record_event(
        case,
        "paused",
        by=by,
        from_status=previous,
        to_status=case.status,
        message=question,
        data={"started_on": today.isoformat(), **sent},
    )
    return case


@transaction.atomic
def answer_clarification(
    case: Case,
    *,
    text: str = "",
    answered_on: dt.date | None = None,
    actor: User | None = None,
    expected_version: int | None = None,
) -> Case:
    """The answer arrived: the clock restarts that day (the paused days, both ends
    included, are added). ``actor`` None is the requester answering on their status page
    (today, with their text); an officer records an answer that came by other means, with
    the day it arrived."""
    case = core.lock_case(case, expected_version)
    pause = _open_pause(case)
    if case.status != Status.AWAITING_REQUESTER or pause is None:
        raise CaseActionError("We are not waiting for an answer to a question on this request.")
    today = case.controller.today()
    text = (text or "").strip()
    if actor is None:
        if not text:
            raise CaseActionError("Write your answer.", field="text")
        answered_on = today
    answered_on = answered_on or today
    if not (pause.started_on <= answered_on <= today):
        raise CaseActionError(
            "The answer must arrive between the day the question was sent "
            f"({long_date(pause.started_on)}) and today.",
            field="ended_on",
        )
    previous = core._move(case, Status.IN_PROGRESS)
    pause.ended_on = answered_on
    pause.answer = text
    pause.answered_by = ActorKind.REQUESTER if actor is None else ActorKind.OFFICER
    pause.save(update_fields=["ended_on", "answer", "answered_by"])
    old_due = case.due_date
    changed = core._apply_deadline(case)
    core._save(case, ["status", *changed])
    core.record_event(
        case,
        "resumed",
        by=actor,
        actor_kind=ActorKind.REQUESTER if actor is None else None,
        from_status=previous,
        to_status=case.status,
        message=f"Answer received {long_date(answered_on)}: the clock runs again from that "
        f"day; due {long_date(case.due_date)}.",
        data={
            "ended_on": answered_on.isoformat(),
            "due_from": old_due.isoformat(),
            "due_to": case.due_date.isoformat(),
        },
    )
    return case


def case_resume(
    *,
    case: Case,
    by: User,
    ended_on: dt.date | None = None,
    answer: str = "",
    expected_version: int | None = None,
) -> Case:
    """An officer records the requester's answer that came by post, phone or email."""
    return answer_clarification(
        case, text=answer, answered_on=ended_on, actor=by, expected_version=expected_version
    )


# --- extension -----------------------------------------------------------------------


@transaction.atomic
def case_extend(
    *,
    case: Case,
    by: User,
    reason: str,
    ground: str = "",
    expected_version: int | None = None,
) -> Case:
    """Art 12A: a further two months (the controller's), decided within the original
    period before the working-day roll, with reasons told to the requester now. ``ground``
    (complex, numerous or both: ExtensionGround) is what the reports count."""
    case = core.lock_case(case, expected_version)
    reason = core._require_reason(reason)
    if ground and ground not in ExtensionGround.values:
        raise CaseActionError(
            "An extension is allowed only for a complex request or numerous requests.",
            field="ground",
        )
    if case.status not in OPEN_STATUSES - {Status.UNCONFIRMED}:
        raise CaseActionError("Only an open, confirmed case can be extended.")
    refusal = clock.extension_refusal(
        core.deadline_input(case), today=case.controller.today(), already_extended=case.extended
    )
    if refusal:
        raise CaseActionError(refusal)
    old_due = case.due_date
    case.extended = True
    case.extension_reason, case.extension_ground = reason, ground
    changed = core._apply_deadline(case)
    core._save(case, ["extended", "extension_reason", "extension_ground", *changed])
    sent = _tell_requester(
        case,
        by=by,
        email="extension_notice",
        letter="extension_notice",
        fields={"reasons": reason},
        reasons=reason,
        original_due=old_due,
        new_due=case.due_date,
    )
    core.record_event(
        case,
        "extended",
        by=by,
        message=reason,
        data={
            "due_from": old_due.isoformat(),
            "due_to": case.due_date.isoformat(),
            **({"ground": ground} if ground else {}),
            **sent,
        },
    )
    return case


# --- fees ----------------------------------------------------------------------------


@transaction.atomic
def case_request_fee(
    *,
    case: Case,
    by: User,
    ground: str,
    reason: str,
    amount: str,
    how_to_pay: str,
    expected_version: int | None = None,
) -> Case:
    """Ask for a fee (Art 12(5), 15(3)): sends the fee letter and stops the clock until
    the fee arrives (the start is then that day)."""
    case = core.lock_case(case, expected_version)
    if ground not in {g.value for g in clock.FeeGround}:
        raise CaseActionError(
            "A fee may be asked only for a manifestly unfounded or excessive request, or for "
            "further copies: choose which.",
            field="ground",
        )
    reason = core._require_reason(reason)
    amount = (amount or "").strip()
    if not amount:
        raise CaseActionError("Say how much the fee is.", field="amount")
    how_to_pay = (how_to_pay or "").strip()
    if not how_to_pay:
        raise CaseActionError("Say how the requester can pay.", field="how_to_pay")
    previous = core._move(case, Status.AWAITING_REQUESTER)
    case.fee_requested_on = case.controller.today()
    case.fee_ground, case.fee_amount = ground, amount
    core._save(case, ["status", "fee_requested_on", "fee_ground", "fee_amount"])
    sent = _tell_requester(
        case,
        by=by,
        email="fee_request",
        letter="fee_request",
        fields={"amount": amount, "reasons": reason, "how_to_pay": how_to_pay},
        amount=amount,
        reasons=reason,
        how_to_pay=how_to_pay,
    )
    core.record_event(
        case,
        "fee_requested",
        by=by,
        from_status=previous,
        to_status=case.status,
        message=f"Fee of {amount} asked ({clock.FeeGround(ground).label}). {reason}",
        data={"ground": ground, "amount": amount, **sent},
    )
    return case


@transaction.atomic
def case_fee_received(
    *,
    case: Case,
    by: User | None,
    received_on: dt.date | None = None,
    expected_version: int | None = None,
) -> Case:
    """The fee arrived: the clock starts again from that day (the only way
    ``fee_received_on`` is set)."""
    case = core.lock_case(case, expected_version)
    if case.status != Status.AWAITING_REQUESTER or not awaiting_fee(case):
        raise CaseActionError("No fee is awaited on this case.")
    today = case.controller.today()
    received_on = received_on or today
    if not (case.fee_requested_on <= received_on <= today):
        raise CaseActionError(
            f"The fee must arrive between the day it was asked "
            f"({long_date(case.fee_requested_on)}) and today.",
            field="received_on",
        )
    previous = core._move(case, Status.IN_PROGRESS)
    case.fee_received_on = received_on
    old_due = case.due_date
    changed = core._apply_deadline(case)
    core._save(case, ["status", "fee_received_on", *changed])
    core.record_event(
        case,
        "fee_received",
        by=by,
        from_status=previous,
        to_status=case.status,
        message=f"Fee received {long_date(received_on)}: the time limit runs from that day; "
        f"due {long_date(case.due_date)}.",
        data={
            "fee_received_on": received_on.isoformat(),
            "due_from": old_due.isoformat(),
            "due_to": case.due_date.isoformat(),
        },
    )
    return case
