"""Documents produced for a case (letters now, exports later), drafts and letterhead logos.

A Document's content never changes once made: a correction is a new Document that points
to the one it corrects, and issuing the same letter twice makes two documents. Only the
fields saying how far production and delivery have got (status, file, sha256, emailed_at)
are written after the row is created, once each, by the task that makes the PDF.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone

from dsar.models import Case, Controller

LOGO_MAX_BYTES = 512 * 1024


def document_path(document: Document, filename: str) -> str:
    """Unguessable names under documents/ in MEDIA_ROOT, which nothing serves directly."""
    year = (document.produced_at or timezone.now()).year
    return f"documents/{year}/{secrets.token_hex(16)}.pdf"


def logo_path(letterhead: Letterhead, filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "png"
    return f"letterheads/{letterhead.controller_id}-{secrets.token_hex(8)}.{extension}"


def validate_logo_size(file) -> None:
    if file.size > LOGO_MAX_BYTES:
        raise ValidationError(f"The logo must be {LOGO_MAX_BYTES // 1024} KB or smaller.")


class Letterhead(models.Model):
    """What a controller's letters show beyond its own fields: an optional logo."""

    controller = models.OneToOneField(
        Controller, on_delete=models.CASCADE, related_name="letterhead_settings"
    )
    logo = models.ImageField(
        upload_to=logo_path,
        blank=True,
        validators=[validate_logo_size],
        help_text="PNG or JPEG, up to 512 KB; printed at most 45 mm wide, 20 mm high.",
    )
    logo_description = models.CharField(
        max_length=200,
        blank=True,
        help_text="Read out by screen readers, e.g. 'Acme Retail logo'.",
    )

    def __str__(self) -> str:
        return f"Letterhead of {self.controller}"

    def clean(self) -> None:
        if self.logo and not self.logo_description.strip():
            raise ValidationError({"logo_description": "Describe the logo for screen readers."})


class Delivery(models.TextChoices):
    EMAIL = "email", "Email (the PDF attached)"
    POST = "post", "Post (print and send it)"


class Document(models.Model):
    """A file produced for a case, with its SHA-256 and who produced it."""

    class Category(models.TextChoices):
        LETTER = "letter", "Letter"
        EXPORT = "export", "Data export"
        RECEIVED = "received", "Received by email"  # issue 15: a request's message and files

    class Status(models.TextChoices):
        PENDING = "pending", "Being made"
        READY = "ready", "Ready"
        FAILED = "failed", "Could not be made"

    # CASCADE: documents are part of the case record and go when the case is purged after
    # its retention period (the file goes with the row, see below).
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents")
    category = models.CharField(max_length=20, choices=Category.choices, default=Category.LETTER)
    kind = models.CharField(max_length=40, help_text="Letter kind, e.g. access_response.")
    title = models.CharField(max_length=200)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    file = models.FileField(upload_to=document_path, blank=True, max_length=200)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    content_type = models.CharField(max_length=100, default="application/pdf")
    # Why the file could not be made, shown on the case page (issue 20); empty otherwise.
    failure = models.CharField(max_length=200, blank=True)
    # PROTECT: whoever produced a document stays on record; null means the system did.
    produced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    produced_at = models.DateTimeField(default=timezone.now, editable=False)
    issued_at = models.DateTimeField(null=True, blank=True)
    letter_date = models.DateField(null=True, blank=True, help_text="The date printed on it.")
    delivery = models.CharField(max_length=10, choices=Delivery.choices, blank=True)
    delivered_to = models.CharField(max_length=254, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    email = models.ForeignKey(
        "dsar.OutgoingEmail", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    fields = models.JSONField(default=dict, blank=True, help_text="Free-text parts as issued.")
    # The letter exactly as issued, made into the PDF by a task after commit: later changes
    # to the case cannot leak into a letter already issued.
    source_html = models.TextField(blank=True)
    # RESTRICT, not PROTECT: a corrected letter cannot be deleted on its own, but both go
    # when their case is purged.
    corrects = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.RESTRICT,
        related_name="corrections",
        help_text="The earlier document this one corrects.",
    )

    class Meta:
        ordering = ["-produced_at", "-id"]
        indexes = [
            models.Index(fields=["case", "produced_at"], name="document_case_idx"),
            # Used by the stuck sweeps of letters and exports only (stuck_letter_ids,
            # exports.data.exporting.stuck_export_ids).
            models.Index(
                fields=["produced_at"],
                condition=models.Q(status="pending"),
                name="document_pending_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.case_id})"

    def get_absolute_url(self) -> str:
        return reverse("exports:document_download", args=[self.case.reference, self.pk])

    @property
    def is_ready(self) -> bool:
        return self.status == self.Status.READY and bool(self.file)

    @property
    def download_name(self) -> str:
        extension = "zip" if self.content_type == "application/zip" else "pdf"
        return f"{self.case.reference}-{self.kind.replace('_', '-')}-{self.pk}.{extension}"

    @property
    def superseded_by(self) -> Document | None:
        """The latest correction of this document, if any."""
        return self.corrections.order_by("-produced_at", "-id").first()


@receiver(post_delete, sender=Document)
def _delete_document_file(sender, instance: Document, **kwargs) -> None:
    """A purged document takes its file with it, once the deletion is committed."""
    name = instance.file.name
    if name:
        transaction.on_commit(lambda: default_storage.delete(name))


class LetterDraft(models.Model):
    """An officer's unsent edits to a letter's free-text parts, one per case and kind."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="letter_drafts")
    kind = models.CharField(max_length=40)
    fields = models.JSONField(default=dict, blank=True)
    delivery = models.CharField(max_length=10, choices=Delivery.choices, blank=True)
    corrects = models.ForeignKey(
        Document, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "kind"], name="letter_draft_unique_case_kind")
        ]

    def __str__(self) -> str:
        return f"Draft {self.kind} for {self.case_id}"


# The data map, data sources and the work done with them live in exports.data; imported
# here, by name, so they are this app's models (app label "exports", unchanged).
from ..data.casework import (  # noqa: E402
    ActionRun,
    ActionStep,
    Collection,
    Download,
    DownloadLink,
    Exemption,
    ExemptionReason,
    Export,
    ObjectionDecision,
    SourceResult,
    SuppressionEntry,
)
from ..data.disclosure import (  # noqa: E402
    Approval,
    ApprovalAction,
    BundleDocument,
    Ground,
    Redaction,
    RedactionJob,
    Withholding,
)
from ..data.models import (  # noqa: E402
    COLUMN,
    IDENTIFIER,
    IDENTIFIER_KINDS,
    STANDARD_CATEGORIES,
    ActionRight,
    DataCategory,
    DataMapSettings,
    DataSource,
    DataSystem,
    LawfulBasis,
    ProcessingPurpose,
    SourceAction,
    SourceQuery,
)

__all__ = [
    "COLUMN",
    "IDENTIFIER",
    "IDENTIFIER_KINDS",
    "STANDARD_CATEGORIES",
    "ActionRight",
    "ActionRun",
    "ActionStep",
    "Approval",
    "ApprovalAction",
    "BundleDocument",
    "Collection",
    "DataCategory",
    "DataMapSettings",
    "DataSource",
    "DataSystem",
    "Delivery",
    "Document",
    "Download",
    "DownloadLink",
    "Exemption",
    "ExemptionReason",
    "Export",
    "Ground",
    "LawfulBasis",
    "LetterDraft",
    "Letterhead",
    "ObjectionDecision",
    "ProcessingPurpose",
    "Redaction",
    "RedactionJob",
    "SourceAction",
    "SourceQuery",
    "SourceResult",
    "SuppressionEntry",
    "Withholding",
    "document_path",
    "logo_path",
    "validate_logo_size",
]
