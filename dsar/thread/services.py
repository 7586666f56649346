"""Writing on a case's thread. Each message is an event; emails go after commit.

An officer's message is emailed to the requester with their status link; the requester
answers on the status page (files checked by content by the caller, as evidence is).
A requester's message while the case is paused for clarification is their answer: the
clock restarts from that day through the one clarification-answer service.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.core.files.base import File
from django.db import transaction
from django.utils import timezone

from dsar import services
from dsar.choices import ActorKind, Status
from dsar.emails import queue_email
from dsar.errors import CaseActionError
from dsar.models import Case

from . import hooks
from .models import Message, MessageFile

MAX_BODY = 20_000


@dataclass(frozen=True)
class Upload:
    """A requester's file, already checked by content (identity.evidence.check_file)."""

    name: str
    stream: File
    content_type: str
    size: int
    sha256: str


def _body(text: str, *, required: bool) -> str:
    text = (text or "").strip()
    if required and not text:
        raise CaseActionError("Write your message.", field="body")
    if len(text) > MAX_BODY:
        raise CaseActionError(
            f"Keep the message under {MAX_BODY:,} characters; attach a file for more.",
            field="body",
        )
    return text


@transaction.atomic
def message_to_requester(
    *, case: Case, by: AbstractBaseUser, body: str, document_ids: Sequence[int] = ()
) -> Message:
    """An officer writes to the requester (plain text, optionally some of the case's
    documents); they are emailed a link to read it on their status page."""
    case = services.lock_case(case)
    body = _body(body, required=True)
    if not case.requester_email:
        raise CaseActionError(
            "This requester gave no email address: write to them by post instead."
        )
    documents = {d.id: d for d in hooks.attachable_documents(case)}
    unknown = [i for i in document_ids if i not in documents]
    if unknown:
        raise CaseActionError("Attach only this case's finished documents.", field="documents")
    message = Message.objects.create(case=case, author_kind=ActorKind.OFFICER, author=by, body=body)
    for doc in (documents[i] for i in dict.fromkeys(document_ids)):
        MessageFile.objects.create(
            message=message,
            file=doc.file_name,
            name=doc.title,
            content_type=doc.content_type,
            size=doc.size,
            sha256=doc.sha256,
            document_id=doc.id,
        )
    case.requester_replied_at = None
    services._save(case, ["requester_replied_at"])
    services.record_event(
        case,
        "message_sent",
        by=by,
        message=body,
        data={"message": message.pk, "documents": list(dict.fromkeys(document_ids))},
    )
    queue_email(
        template="message_to_requester",
        to=case.requester_email,
        case=case,
        context={"controller": case.controller, "status_url": hooks.status_url(case)},
    )
    return message


@transaction.atomic
def message_from_requester(*, case: Case, body: str, uploads: Sequence[Upload] = ()) -> Message:
    """The requester writes on their status page. The officers are told by email, the
    queue shows "requester replied", and an answer during a clarification pause restarts
    the clock from today."""
    case = services.lock_case(case)
    if not case.is_open:
        raise CaseActionError(
            "This request is finished, so we can no longer take messages on it. "
            "You can make a new request at any time.",
        )
    body = _body(body, required=not uploads)
    message = Message.objects.create(case=case, author_kind=ActorKind.REQUESTER, body=body)
    for upload in uploads:
        stored = MessageFile(
            message=message,
            name=upload.name[:200],
            content_type=upload.content_type,
            size=upload.size,
            sha256=upload.sha256,
        )
        stored.file.save(upload.name, upload.stream, save=False)
        stored.save()
    case.requester_replied_at = timezone.now()
    services._save(case, ["requester_replied_at"])
    services.record_event(
        case,
        "message_received",
        actor_kind=ActorKind.REQUESTER,
        message=body,
        data={"message": message.pk, "files": len(uploads)},
    )
    _tell_officers(case)
    if (
        case.status == Status.AWAITING_REQUESTER
        and case.pauses.filter(ended_on__isnull=True).exists()
    ):
        # A reply while a question is open answers it (a fee is recorded by an officer).
        case = _answer_clarification(case, body or "(files sent on the status page)")
    return message


def _answer_clarification(case: Case, text: str) -> Case:
    """The one clarification-answer service (issue 13), or the resume it replaces."""
    answer = getattr(services, "answer_clarification", None)
    if answer is not None:
        return answer(case, text=text)
    return services.case_resume(case=case, by=None)


def _tell_officers(case: Case) -> None:
    to = (case.assignee.email if case.assignee else "") or case.controller.team_email
    if to:
        queue_email(
            template="message_from_requester",
            to=to,
            case=case,
            context={"controller": case.controller},
        )
