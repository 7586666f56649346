"""Polling mailboxes into drafts, and an officer's decision on each draft.

Polling claims each message by inserting its (controller, Message-ID) row with ON
CONFLICT DO NOTHING and reading back the row its own insert won, so two polls at once
import a message once. A failing mailbox is recorded on its row (shown on the triage page
and in the DPO's digest) and never raises.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import imaplib
import logging
import ssl
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from dsar import services
from dsar.choices import Channel, Right
from dsar.errors import CaseActionError
from dsar.formats import plural
from dsar.models import Case

from . import imap
from .models import InboundEmail, InboundFile, Mailbox
from .parse import parse

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PollResult:
    imported: int = 0
    seen: int = 0
    error: str = ""


def poll_mailbox(mailbox: Mailbox) -> PollResult:
    """Import every message not yet imported. Safe to run twice, and at the same time."""
    imported = seen = 0
    error = ""
    try:
        with imap.connect(
            mailbox.host, mailbox.port, mailbox.username, mailbox.password(), mailbox.folder
        ) as client:
            for fetched in imap.messages(client):
                seen += 1
                if _import(mailbox, fetched):
                    imported += 1
    except (imaplib.IMAP4.error, OSError, ssl.SSLError, ValueError, EOFError) as exc:
        error = _describe(exc)
        # The address and the reason only: no credentials, no message content.
        log.warning("Mailbox %s failed: %s", mailbox.pk, error)
    now = timezone.now()
    updates = {"last_polled_at": now, "last_error": error}
    if error:
        if not mailbox.failing_since:
            updates["failing_since"] = now
    else:
        updates.update(last_ok_at=now, failing_since=None)
    Mailbox.objects.filter(pk=mailbox.pk).update(**updates)
    return PollResult(imported=imported, seen=seen, error=error)


def _describe(exc: Exception) -> str:
    if isinstance(exc, ssl.SSLError | ssl.CertificateError):
        return f"The server's TLS certificate or connection was refused: {exc}"[:500]
    if isinstance(exc, imaplib.IMAP4.error):
        text = str(exc).strip("b'\"")
        return f"The server refused: {text}"[:500]
    if isinstance(exc, ConnectionRefusedError | TimeoutError):
        return f"Could not connect to the server: {exc}"[:500]
    return f"{type(exc).__name__}: {exc}"[:500]


def _import(mailbox: Mailbox, fetched: imap.Fetched) -> bool:
    parsed = parse(fetched.raw)
    received_at = parsed.sent_at or fetched.internal_date or timezone.now()
    token = uuid.uuid4()
    with transaction.atomic():
        InboundEmail.objects.bulk_create(
            [
                InboundEmail(
                    controller_id=mailbox.controller_id,
                    mailbox=mailbox,
                    message_id=parsed.message_id,
                    claim_token=token,
                    from_email=parsed.from_email,
                    from_name=parsed.from_name,
                    subject=parsed.subject,
                    received_at=received_at,
                    body_text=parsed.body_text,
                    problem=parsed.problem,
                )
            ],
            ignore_conflicts=True,
        )
        row = InboundEmail.objects.filter(claim_token=token).first()
        if row is None:  # imported before, or by the other poll running now
            return False
        _store(row, "message.eml", "message/rfc822", fetched.raw, original=True)
        for attachment in parsed.attachments:
            _store(row, attachment.name, attachment.content_type, attachment.content)
    return True


def _store(row: InboundEmail, name: str, content_type: str, content: bytes, *, original=False):
    stored = InboundFile(
        inbound=row,
        name=name,
        content_type=content_type[:100],
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        is_original=original,
    )
    stored.file.save(name, ContentFile(content), save=False)
    stored.save()


# --- an officer's decision ---------------------------------------------------------------

# Hands the draft's files to the new case as its documents (exports registers it).
_received_files_handlers: list[Callable[[Case, list[InboundFile], AbstractBaseUser], None]] = []


def register_received_files_handler(handler: Callable) -> None:
    if handler not in _received_files_handlers:
        _received_files_handlers.append(handler)


def _locked_draft(inbound: InboundEmail) -> InboundEmail:
    fresh = InboundEmail.objects.select_for_update().select_related("controller").get(pk=inbound.pk)
    if fresh.state != InboundEmail.State.TO_TRIAGE:
        raise CaseActionError(
            f"This message was already dealt with ({fresh.get_state_display().lower()})."
        )
    return fresh


@transaction.atomic
def inbound_convert(
    *,
    inbound: InboundEmail,
    by: AbstractBaseUser,
    right: str,
    received_on: dt.date,
    requester_name: str = "",
) -> Case:
    """Make the draft a case: the sender is the requester's email, the message and its
    attachments become the case's documents."""
    inbound = _locked_draft(inbound)
    if right not in Right.values:
        raise CaseActionError("Choose the right being asked for.", field="right")
    name = (requester_name or inbound.from_name or inbound.from_email).strip()
    if not name:
        raise CaseActionError("Give the requester's name.", field="requester_name")
    case = services.case_create(
        controller=inbound.controller,
        right=right,
        channel=Channel.EMAIL,
        fields={
            "requester_name": name[:200],
            "requester_email": inbound.from_email,
            "description": inbound.body_text,
        },
        received_on=received_on,
        by=by,
    )
    inbound.state, inbound.case = InboundEmail.State.CONVERTED, case
    inbound.decided_by, inbound.decided_at = by, timezone.now()
    inbound.save(update_fields=["state", "case", "decided_by", "decided_at"])
    files = list(inbound.files.all())
    for handler in _received_files_handlers:
        handler(case, files, by)
    services.record_event(
        case,
        "created_from_email",
        by=by,
        message=f"From the {inbound.mailbox.name if inbound.mailbox else 'privacy'} mailbox; "
        f"{plural(len(files), 'file')} kept as documents.",
        data={"inbound": inbound.pk, "files": len(files)},
    )
    return case


@transaction.atomic
def inbound_discard(*, inbound: InboundEmail, by: AbstractBaseUser, reason: str) -> InboundEmail:
    """Not a request: kept for the record, with the officer's reason."""
    inbound = _locked_draft(inbound)
    reason = (reason or "").strip()
    if not reason:
        raise CaseActionError(
            "Say why it is not a request: it is kept with the message.", field="reason"
        )
    inbound.state, inbound.discard_reason = InboundEmail.State.DISCARDED, reason
    inbound.decided_by, inbound.decided_at = by, timezone.now()
    inbound.save(update_fields=["state", "discard_reason", "decided_by", "decided_at"])
    return inbound


def failing_mailboxes(controller_ids: list[int]) -> list[Mailbox]:
    """For the DPO's digest and the triage page."""
    return list(
        Mailbox.objects.filter(controller_id__in=controller_ids, is_active=True)
        .exclude(last_error="")
        .select_related("controller")
    )
