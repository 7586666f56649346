"""Small registries through which the case core sets off work in satellite apps.

The core imports neither `identity` nor `exports`; those apps register here in their
`AppConfig.ready()`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from django.db import transaction

if TYPE_CHECKING:
    from .models import Case, OutgoingEmail

# Each router may return the status a newly confirmed case should move to (for example
# awaiting_identity when verification steps are needed); the first answer wins.
ConfirmationRouter = Callable[["Case"], str | None]
confirmation_routers: list[ConfirmationRouter] = []


def register_confirmation_router(router: ConfirmationRouter) -> ConfirmationRouter:
    if router not in confirmation_routers:
        confirmation_routers.append(router)
    return router


# Case actions a satellite app does better (identity's steps replace the core's bare
# "request identity" and "identity received"): pages and API neither offer nor accept them.
replaced_actions: set[str] = set()


def replace_case_actions(*slugs: str) -> None:
    replaced_actions.update(slugs)


# Storage names a satellite app keeps outside FileFields (in JSON, say), so the orphan-file
# sweep (dsar.files) never deletes them: each source returns the names it references.
file_reference_sources: list[Callable[[], Iterable[str]]] = []


def register_file_references(source: Callable[[], Iterable[str]]) -> None:
    if source not in file_reference_sources:
        file_reference_sources.append(source)


# Told of each email the outbox has sent, inside the transaction that marks it sent (the
# letters record that a letter went, and when).
EmailSentListener = Callable[["OutgoingEmail"], None]
email_sent_listeners: list[EmailSentListener] = []


def register_email_sent_listener(listener: EmailSentListener) -> EmailSentListener:
    if listener not in email_sent_listeners:
        email_sent_listeners.append(listener)
    return listener


def email_sent(email: OutgoingEmail) -> None:
    for listener in email_sent_listeners:
        listener(email)


# --- case signals --------------------------------------------------------------------
# What happened to a case that other systems may want to hear of (webhooks listen here).
# Services announce inside their transaction; listeners run only after it commits, with a
# snapshot taken at the time, and a failing listener never undoes or blocks the change.


@dataclass(frozen=True)
class CaseSignal:
    """One announcement. ``kind``: created, status_changed, closed, due_soon, overdue.

    ``key`` names the occurrence, so a listener can act at most once on it however often
    it is announced (a retried sweep); the snapshot holds no personal data.
    """

    kind: str
    key: str
    case_id: int
    controller_id: int
    controller: str  # slug
    reference: str
    right: str
    channel: str
    status: str
    previous_status: str
    due_date: str
    original_due_date: str
    event: str  # the CaseEvent kind that caused it, e.g. "confirmed"

    @classmethod
    def of(
        cls, case: Case, kind: str, *, key: str = "", previous_status: str = "", event: str = ""
    ) -> CaseSignal:
        return cls(
            kind=kind,
            key=key,
            case_id=case.pk,
            controller_id=case.controller_id,
            controller=case.controller.slug,
            reference=case.reference,
            right=case.right,
            channel=case.channel,
            status=case.status,
            previous_status=previous_status,
            due_date=case.due_date.isoformat(),
            original_due_date=case.original_due_date.isoformat(),
            event=event,
        )


CaseSignalListener = Callable[[list[CaseSignal]], None]
case_signal_listeners: list[CaseSignalListener] = []


def register_case_signal_listener(listener: CaseSignalListener) -> CaseSignalListener:
    if listener not in case_signal_listeners:
        case_signal_listeners.append(listener)
    return listener


def announce(signals: list[CaseSignal]) -> None:
    """Tell the listeners after the current transaction commits (robust: a listener's
    error is logged by Django and does not reach the caller)."""
    if not signals:
        return
    for listener in case_signal_listeners:
        transaction.on_commit(partial(listener, list(signals)), robust=True)


# --- letters by post -----------------------------------------------------------------
# The clock's actions (pause, extend, fee) tell the requester in the same transaction: by
# email (the core's outbox), or by a letter issued as a case document for a requester who
# asked for post. The letters app registers the function that issues one:
# ``sender(case=, kind=, fields=, by=)`` returns the issued document.
LetterSender = Callable[..., object]
letter_senders: list[LetterSender] = []


def register_letter_sender(sender: LetterSender) -> LetterSender:
    if sender not in letter_senders:
        letter_senders.append(sender)
    return sender
