"""Evidence files: storing a checked upload for a step, and recording each viewing.

Same pattern as identity.services (case row locked first, an event in the same
transaction). Logs name files by id only: never their name, path or content.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from dsar import services as case_services
from dsar.choices import ActorKind
from dsar.errors import CaseActionError

from . import evidence
from .choices import UPLOAD_METHODS
from .models import EvidenceFile, VerificationStep
from .services import lock_step, method_label

log = logging.getLogger(__name__)
User = AbstractBaseUser


def evidence_add(
    *,
    step: VerificationStep,
    upload: UploadedFile,
    document_kind: str = "",
    by: User | None = None,
) -> EvidenceFile:
    """Store a file for a pending step after checking its content (EvidenceRejected).

    The file is written first and the row after; if the row cannot be written the file is
    deleted again, so storage never holds evidence without a record (and so a purge).
    """
    checked = evidence.check_file(
        upload, size=upload.size or 0, max_bytes=settings.EVIDENCE_MAX_BYTES
    )
    if step.method not in UPLOAD_METHODS:
        raise CaseActionError("This check does not take a file.")
    row = EvidenceFile(
        step=step,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        document_kind=document_kind.strip()[:200],
        uploaded_by=by,
    )
    row.file.save(f"evidence{checked.extension}", upload, save=False)
    try:
        with transaction.atomic():
            case, locked = lock_step(step)
            if not locked.is_pending or not case.is_open:
                raise CaseActionError("We no longer need this: reload the page to see why.")
            row.step = locked
            row.save()
            locked.evidence_received_on = case.controller.today()
            locked.save(update_fields=["evidence_received_on"])
            case_services.record_event(
                case,
                "evidence_uploaded",
                by=by,
                actor_kind=ActorKind.OFFICER if by else ActorKind.REQUESTER,
                message=f"{method_label(locked.method)}: a {row.kind_label} "
                f"({evidence.human_size(row.size)}) was sent for checking.",
                data={
                    "evidence": row.pk,
                    "step": locked.pk,
                    "content_type": row.content_type,
                    "size": row.size,
                    "sha256": row.sha256,
                },
            )
    except BaseException:
        row.file.storage.delete(row.file.name)
        raise
    log.info("Evidence %s stored for step %s of case %s.", row.pk, step.pk, step.case_id)
    return row


@transaction.atomic
def evidence_viewed(*, evidence_file: EvidenceFile, by: User) -> None:
    """Each viewing of a file is an event on its case (who saw a passport, and when)."""
    step = evidence_file.step
    case_services.record_event(
        step.case,
        "evidence_viewed",
        by=by,
        message=f"{method_label(step.method)}: evidence file {evidence_file.pk} viewed.",
        data={"evidence": evidence_file.pk, "step": step.pk},
    )
    # Issue 16: and a read in the access log (dsar.reports), shown to auditors.
    from dsar.reports.access import record_access
    from dsar.reports.models import AccessKind

    record_access(
        user=by,
        kind=AccessKind.EVIDENCE,
        case=step.case,
        object_id=evidence_file.pk,
        what=f"{method_label(step.method)}: evidence file {evidence_file.pk}",
    )
