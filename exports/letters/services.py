"""Letters as case documents: draft, issue, make the PDF, email it.

Issuing writes the Document (with the letter's HTML exactly as issued) and a
``letter_issued`` event in one transaction; a Celery task makes the PDF after commit and
records ``letter_made`` with the PDF's SHA-256 (the hash cannot be known before the PDF
exists, so it is in the second event, not the first). A letter to be emailed is written
to the outbox (dsar.emails) in that same transaction, with its PDF as an attachment, and
goes the way every email goes: claimed, retried and swept there. ``letter_emailed`` is
recorded when the outbox has sent it.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from dsar.emails import Attachment, deliver, queue_email
from dsar.errors import CaseActionError
from dsar.jobs import queue_after_commit
from dsar.models import Case, OutgoingEmail
from dsar.services import lock_case, record_event
from exports.letters.models import LetterDraft
from exports.models import Delivery, Document, document_path

from . import (
    LetterKind,
    check_issue_guards,
    get_kind,
    html_to_pdf,
    missing_fields,
    render_html,
    resolve_values,
    truth,
)

log = logging.getLogger(__name__)
User = AbstractBaseUser


def _kind(key: str) -> LetterKind:
    try:
        return get_kind(key)
    except KeyError:
        raise CaseActionError(f"There is no letter called {key!r}.") from None


def _delivery_to(case: Case, delivery: str) -> str:
    """Where the letter goes; refuses a channel the case has no address for."""
    if delivery == Delivery.EMAIL:
        if not case.requester_email:
            raise CaseActionError(
                "The requester has no email address: send this letter by post.", field="delivery"
            )
        return case.requester_email
    if delivery == Delivery.POST:
        if not case.requester_address.strip():
            raise CaseActionError(
                "The requester has no postal address: send this letter by email.",
                field="delivery",
            )
        return ", ".join(line.strip() for line in case.requester_address.splitlines() if line)
    raise CaseActionError("Choose how to send the letter.", field="delivery")


def default_delivery(case: Case) -> str:
    if case.preferred_reply == Delivery.POST and case.requester_address.strip():
        return Delivery.POST
    return Delivery.EMAIL if case.requester_email else Delivery.POST


@dataclass(frozen=True)
class LetterPreview:
    kind: LetterKind
    values: dict[str, str]
    missing: list[Any]  # FieldSpecs still to complete
    delivery: str
    corrects: Document | None
    html: str
    refusal: str | None  # why it may not be issued now, if it may not
    warnings: tuple[str, ...] = ()  # what the officer should know first (late, transfers)


def letter_preview(
    *,
    case: Case,
    kind: str,
    fields: Mapping[str, Any] | None = None,
    delivery: str = "",
    corrects: Document | None = None,
    for_pdf: bool = False,
) -> LetterPreview:
    """The letter as it would be issued today: defaults, the saved draft, then ``fields``."""
    letter = _kind(kind)
    draft = LetterDraft.objects.filter(case=case, kind=letter.key).first()
    values = resolve_values(case, letter, draft.fields if draft else None, fields)
    delivery = delivery or (draft.delivery if draft else "") or default_delivery(case)
    corrects = corrects or (draft.corrects if draft else None)
    today = case.controller.today()
    html = render_html(
        case,
        letter,
        values,
        letter_date=today,
        delivery=delivery,
        for_pdf=for_pdf,
        corrects=corrects,
    )
    return LetterPreview(
        kind=letter,
        values=values,
        missing=missing_fields(case, letter, values),
        delivery=delivery,
        corrects=corrects,
        html=html,
        refusal=letter.refuse_issue(case, today),
        warnings=tuple(truth.warnings(case, letter.key, today)),
    )


def letter_render_pdf(*, case: Case, kind: str, fields: Mapping[str, Any] | None = None) -> bytes:
    """A letter's PDF for checking or batch use: nothing is stored or sent."""
    return html_to_pdf(letter_preview(case=case, kind=kind, fields=fields, for_pdf=True).html)


def letter_draft_save(
    *,
    case: Case,
    kind: str,
    by: User,
    fields: Mapping[str, Any],
    delivery: str = "",
    corrects: Document | None = None,
) -> LetterDraft:
    """Keep an officer's edits until the letter is issued (not a case change: no event)."""
    letter = _kind(kind)
    # Only the parts given: a part left out keeps its default (the form sends every part,
    # so a part the officer cleared is kept empty).
    values = {f.name: str(fields[f.name] or "").strip() for f in letter.fields if f.name in fields}
    draft, _ = LetterDraft.objects.update_or_create(
        case=case,
        kind=letter.key,
        defaults={
            "fields": values,
            "delivery": delivery,
            "corrects": corrects,
            "updated_by": by,
        },
    )
    return draft


def _check_corrects(case: Case, corrects: Document | None) -> None:
    if corrects is not None and (
        corrects.case_id != case.pk or corrects.category != Document.Category.LETTER
    ):
        raise CaseActionError("A correction must replace a letter on the same case.")


@transaction.atomic
def letter_issue(
    *,
    case: Case,
    kind: str,
    by: User | None,
    fields: Mapping[str, Any] | None = None,
    delivery: str = "",
    corrects: Document | None = None,
    approval: object | None = None,
) -> Document:
    """Issue a letter: a new Document every time; its PDF is made after commit.

    ``approval``: a second officer's approval, for the letters a registered issue guard
    asks one for (access and portability responses, exports.data.services.approvals)."""
    letter = _kind(kind)
    case = lock_case(case)
    today = case.controller.today()
    refusal = letter.refuse_issue(case, today)
    if refusal:
        raise CaseActionError(refusal)
    _check_corrects(case, corrects)
    preview = letter_preview(
        case=case, kind=kind, fields=fields, delivery=delivery, corrects=corrects, for_pdf=True
    )
    if preview.missing:
        names = "; ".join(f.label for f in preview.missing)
        raise CaseActionError(
            f"Complete every required part before issuing: {names}.", field=preview.missing[0].name
        )
    untrue = truth.issue_refusal(letter, preview.values, preview.html)  # issue 13
    if untrue:
        raise CaseActionError(untrue)
    check_issue_guards(case, letter.key, approval)
    delivered_to = _delivery_to(case, preview.delivery)
    corrects = preview.corrects
    _check_corrects(case, corrects)
    title = letter.title + (" (correction)" if corrects else "")
    document = Document.objects.create(
        case=case,
        category=Document.Category.LETTER,
        kind=letter.key,
        title=title,
        produced_by=by,
        issued_at=timezone.now(),
        letter_date=today,
        delivery=preview.delivery,
        delivered_to=delivered_to,
        fields=preview.values,
        source_html=preview.html,
        corrects=corrects,
    )
    LetterDraft.objects.filter(case=case, kind=letter.key).delete()
    how = "to be emailed" if preview.delivery == Delivery.EMAIL else "to be posted"
    record_event(
        case,
        "letter_issued",
        by=by,
        message=f"{title}, {how}." + (f" Corrects document {corrects.pk}." if corrects else ""),
        data={
            "kind": letter.key,
            "document_id": document.pk,
            "delivery": preview.delivery,
            "corrects": corrects.pk if corrects else None,
            # The hash of the HTML issued; the PDF's own SHA-256 is in `letter_made`.
            "source_sha256": hashlib.sha256(preview.html.encode()).hexdigest(),
        },
    )
    queue_after_commit("exports.letters.tasks.make_letter_pdf", document.pk)
    return document


def document_make_pdf(*, document_id: int, final_attempt: bool = True) -> Document:
    """Make and store a letter's PDF from its issued HTML. Running it twice is harmless.

    On failure the error is re-raised for the task to retry (a retry may still succeed);
    on the last attempt the letter is marked failed with the reason, which the case page
    shows beside a button to make it again (``letter_retry``).
    """
    document = Document.objects.select_related("case__controller").get(pk=document_id)
    if document.category != Document.Category.LETTER:
        raise ValueError(f"Document {document_id} is not a letter: its own builder makes it.")
    if document.status == Document.Status.READY:
        return document
    step = "made"
    try:
        pdf = html_to_pdf(document.source_html)
        step = "stored"
        name = default_storage.save(document_path(document, "letter.pdf"), ContentFile(pdf))
    except Exception as exc:
        log.exception("The PDF of document %s could not be %s.", document_id, step)
        if final_attempt:
            _letter_failed(document, f"The PDF could not be {step} ({type(exc).__name__}).")
        raise
    digest = hashlib.sha256(pdf).hexdigest()
    with transaction.atomic():
        claimed = Document.objects.filter(
            pk=document_id, status__in=[Document.Status.PENDING, Document.Status.FAILED]
        ).update(status=Document.Status.READY, file=name, sha256=digest, size=len(pdf), failure="")
        if not claimed:  # another worker finished first: keep theirs
            transaction.on_commit(lambda: default_storage.delete(name))
            return Document.objects.get(pk=document_id)
        record_event(
            document.case,
            "letter_made",
            message=f"PDF of {document.title} stored (SHA-256 {digest[:12]}…).",
            data={
                "kind": document.kind,
                "document_id": document.pk,
                "sha256": digest,
                "size": len(pdf),
            },
        )
        if document.delivery == Delivery.EMAIL:
            document.file.name = name
            _queue_letter_email(document)
    return Document.objects.get(pk=document_id)


def _letter_failed(document: Document, reason: str) -> None:
    """The last attempt failed: the letter is failed, with the reason, and an event."""
    with transaction.atomic():
        if not Document.objects.filter(pk=document.pk, status=Document.Status.PENDING).update(
            status=Document.Status.FAILED, failure=reason
        ):
            return  # made meanwhile, or already failed
        record_event(
            document.case,
            "letter_failed",
            message=f"{document.title}: {reason} Make it again from the case page.",
            data={"kind": document.kind, "document_id": document.pk},
        )


def letter_retry(*, document: Document, by: AbstractBaseUser) -> Document:
    """An officer asks again for a letter whose PDF failed: pending again, made after
    commit by the same task (with its own retries)."""
    with transaction.atomic():
        if document.category != Document.Category.LETTER or not Document.objects.filter(
            pk=document.pk, status=Document.Status.FAILED
        ).update(status=Document.Status.PENDING, failure=""):
            raise CaseActionError("Only a letter whose PDF could not be made can be made again.")
        record_event(
            document.case,
            "letter_retried",
            message=f"{document.title}: making the PDF again.",
            data={"kind": document.kind, "document_id": document.pk},
            by=by,
        )
        queue_after_commit("exports.letters.tasks.make_letter_pdf", document.pk)
    document.refresh_from_db()
    return document


def _queue_letter_email(document: Document) -> OutgoingEmail:
    """Write the letter's email, its PDF attached, to the outbox (sent after commit)."""
    email = queue_email(
        template="letter",
        to=document.delivered_to,
        case=document.case,
        context={"document": document, "controller": document.case.controller},
        attachments=[Attachment(document.file.name, document.download_name, document.content_type)],
    )
    Document.objects.filter(pk=document.pk).update(email=email)
    return email


def letter_email_sent(email: OutgoingEmail) -> None:
    """Outbox listener: a letter's email went; record when, and the event."""
    if email.template != "letter":
        return
    for document in Document.objects.filter(email=email, emailed_at__isnull=True):
        Document.objects.filter(pk=document.pk).update(emailed_at=timezone.now())
        record_event(
            email.case,
            "letter_emailed",
            message=f"{document.title} emailed with the PDF attached.",
            data={"document_id": document.pk, "email_id": email.pk},
        )


def document_email(*, document_id: int) -> bool:
    """Send an issued letter's email now, through the outbox like every email (writing it
    first if it never was); True when this call sent it. Retry-safe: the outbox claims
    each send, so a worker queued meanwhile and this call never both send it."""
    with transaction.atomic():
        document = (
            Document.objects.select_for_update(of=("self",)).select_related("case__controller")
        ).get(pk=document_id)
        if (
            document.delivery != Delivery.EMAIL
            or document.emailed_at
            or document.status != Document.Status.READY
        ):
            return False
        email_id = document.email_id or _queue_letter_email(document).pk
    return deliver(email_id)


def stuck_letter_ids(
    *, older_than: timedelta = timedelta(minutes=10), limit: int = 50
) -> tuple[list[int], list[int]]:
    """(PDFs never made, emails never written): letters whose queued task never ran
    (broker down, worker lost), for the letters' own beat sweep. Letters only: every
    other kind of document has its own sweep and its own builder. Since the email is
    written with the PDF, the second list holds only letters made before that was so;
    an email once written is the outbox's to send, retry and sweep."""
    cutoff = timezone.now() - older_than
    letters = Document.objects.filter(category=Document.Category.LETTER)
    pdfs = letters.filter(status=Document.Status.PENDING, produced_at__lt=cutoff)
    emails = letters.filter(
        status=Document.Status.READY,
        delivery=Delivery.EMAIL,
        emailed_at__isnull=True,
        email__isnull=True,
        produced_at__lt=cutoff,
    )
    return (
        list(pdfs.order_by("produced_at").values_list("pk", flat=True)[:limit]),
        list(emails.order_by("produced_at").values_list("pk", flat=True)[:limit]),
    )
