"""Identity policies per controller and right, verification steps, evidence and chasers."""

from __future__ import annotations

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils import timezone

from dsar.choices import Right
from dsar.models import Case, Controller

from .choices import METHOD_ORDER, Method, StepStatus

DEFAULT_EVIDENCE_RETENTION_DAYS = 30
DEFAULT_CHASE_AFTER_DAYS = 14
DEFAULT_CLOSE_UNVERIFIED_AFTER_DAYS = 56


class IdentityPolicy(models.Model):
    """What a controller asks before acting on one kind of request.

    Ask only what is proportionate: an objection to marketing from the address on file may
    need only the email link, an access request a copy of a document. Without a policy
    for a right, nothing is asked automatically except the authority and letterhead steps
    below (disclosing to someone who may not act for the subject would be a breach); an
    officer can still add steps on the case page.
    """

    controller = models.ForeignKey(
        Controller, on_delete=models.CASCADE, related_name="identity_policies"
    )
    right = models.CharField(max_length=20, choices=Right.choices)
    require_email_ownership = models.BooleanField(
        "Email address confirmed by link",
        default=True,
        help_text="Web requests pass this when the requester confirms their email; others when "
        "they open the status link we email them.",
    )
    require_identity_document = models.BooleanField("Identity document", default=False)
    require_knowledge_check = models.BooleanField(
        "Knowledge check", default=False, help_text="Questions about data only they would know."
    )
    require_authority = models.BooleanField(
        "Authority for agents",
        default=True,
        help_text="When someone asks for another person (parent, solicitor, attorney).",
    )
    accepted_documents = models.JSONField(
        default=list,
        blank=True,
        help_text='e.g. ["Colour copy of passport"]. Empty: the controller\'s accepted documents.',
    )
    evidence_retention_days = models.PositiveIntegerField(
        default=DEFAULT_EVIDENCE_RETENTION_DAYS,
        help_text="Evidence files are deleted this many days after the check ends.",
    )
    chase_after_days = models.PositiveIntegerField(
        default=DEFAULT_CHASE_AFTER_DAYS,
        help_text="Remind the requester every this many days while we wait (0: never).",
    )
    close_unverified_after_days = models.PositiveIntegerField(
        default=DEFAULT_CLOSE_UNVERIFIED_AFTER_DAYS,
        help_text="Refuse as identity not verified after waiting this many days (0: never).",
    )

    class Meta:
        verbose_name_plural = "identity policies"
        ordering = ["controller__name", "right"]
        constraints = [
            models.UniqueConstraint(
                fields=["controller", "right"], name="identity_policy_unique_controller_right"
            )
        ]

    def __str__(self) -> str:
        return f"{self.controller}: {self.get_right_display()}"

    def clean(self) -> None:
        docs = self.accepted_documents
        if not isinstance(docs, list) or not all(isinstance(d, str) and d.strip() for d in docs):
            raise ValidationError(
                {"accepted_documents": 'A list of document names, e.g. ["Passport"].'}
            )
        if (
            self.chase_after_days
            and self.close_unverified_after_days
            and self.chase_after_days >= self.close_unverified_after_days
        ):
            raise ValidationError(
                {"chase_after_days": "Chase before the case would be closed as unverified."}
            )

    @property
    def methods(self) -> list[str]:
        """The methods every request of this kind needs (authority and letterhead aside)."""
        chosen = {
            Method.EMAIL_OWNERSHIP: self.require_email_ownership,
            Method.IDENTITY_DOCUMENT: self.require_identity_document,
            Method.KNOWLEDGE_CHECK: self.require_knowledge_check,
        }
        return [m for m in METHOD_ORDER if chosen.get(m)]


class VerificationStep(models.Model):
    """One check on one case: asked for, then passed, failed or waived by an officer.

    A step is a record, not a flag: a failed step stays in the history and asking again
    adds a new step of the same method.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="verification_steps")
    method = models.CharField(max_length=30, choices=Method.choices)
    status = models.CharField(max_length=10, choices=StepStatus.choices, default=StepStatus.PENDING)
    request_note = models.TextField(blank=True, help_text="What we asked for, in our words.")
    requested_at = models.DateTimeField(default=timezone.now)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    evidence_received_on = models.DateField(
        null=True, blank=True, help_text="The day the evidence for this step arrived."
    )
    decision_note = models.TextField(blank=True, help_text="Why it passed, failed or was waived.")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["requested_at", "id"]
        indexes = [models.Index(fields=["case", "status"], name="step_case_status_idx")]

    def __str__(self) -> str:
        return f"{self.get_method_display()} ({self.get_status_display()})"

    @property
    def is_pending(self) -> bool:
        return self.status == StepStatus.PENDING


def evidence_path(instance: EvidenceFile, filename: str) -> str:
    """A random name under the case's folder; only the extension of `filename` is kept
    (the service passes one chosen from the checked content, never the uploaded name)."""
    suffix = PurePosixPath(filename).suffix.lower()
    return f"evidence/{instance.step.case_id}/{uuid.uuid4().hex}{suffix}"


class EvidenceFile(models.Model):
    """A file a requester sent for a step. Stored under the storage backend, never served
    directly: only identity.views.evidence_view streams it, to officers who may act.
    Deleted (file and row) by the purge once the retention period after the check ends."""

    step = models.ForeignKey(VerificationStep, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to=evidence_path, max_length=255)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    document_kind = models.CharField(
        max_length=200, blank=True, help_text="Which accepted document the requester says it is."
    )
    uploaded_at = models.DateTimeField(default=timezone.now)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Empty when the requester uploaded it.",
    )

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return f"Evidence {self.pk} ({self.content_type})"

    @property
    def kind_label(self) -> str:
        return {"application/pdf": "PDF", "image/jpeg": "JPEG image", "image/png": "PNG image"}.get(
            self.content_type, self.content_type
        )


class IdentityChaser(models.Model):
    """One reminder to a requester who has not sent evidence. The unique (case, due_on) row
    is the claim: however often the sweep runs, each chaser is sent at most once."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="identity_chasers")
    due_on = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due_on"]
        constraints = [
            models.UniqueConstraint(fields=["case", "due_on"], name="identity_chaser_unique_due")
        ]

    def __str__(self) -> str:
        return f"{self.case_id} chased for {self.due_on}"


@receiver(post_delete, sender=EvidenceFile, dispatch_uid="identity.evidence_file_deleted")
def _delete_stored_file(sender: type[EvidenceFile], instance: EvidenceFile, **kwargs) -> None:
    """A deleted row takes its file with it, however it was deleted (the purge, or a case
    deleted at the end of its retention): a stored passport must never outlive its record.
    After commit, so a rolled-back deletion keeps the file."""
    name, storage = instance.file.name, instance.file.storage
    if name:
        transaction.on_commit(lambda: storage.delete(name))


class StatusLinkRevocation(models.Model):
    """The requester stopped every status link to their case made until ``at`` (issue 18):
    a forwarded or leaked link no longer opens the page. A new link can be asked for."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="status_revocations")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"Status links of case {self.case_id} revoked at {self.at:%Y-%m-%d %H:%M}"
