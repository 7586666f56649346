"""Documents produced for a case (letters, exports, files received), shared by both halves.

A Document's content never changes once made: a correction is a new Document that points
to the one it corrects, and issuing the same letter twice makes two documents. Only the
fields saying how far production and delivery have got (status, file, sha256, emailed_at)
are written after the row is created, once each, by the task that makes the PDF.

Each half keeps its own models (``exports.letters.models``, ``exports.data``); they are
imported here by name so Django finds them under the app label ``exports``.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone

from dsar.models import Case


def document_path(document: Document, filename: str) -> str:
    """Unguessable names under documents/ in MEDIA_ROOT, which nothing serves directly."""
    year = (document.produced_at or timezone.now()).year
    return f"documents/{year}/{secrets.token_hex(16)}.pdf"


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
            # exports.data.services.exporting.stuck_export_ids).
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


# Each half's models, imported by name so they are this app's models (app label
# "exports", unchanged): the letters' after Document, which they refer to.
from ..data.models import (  # noqa: E402
    ActionRun,
    ActionStep,
    Approval,
    BundleDocument,
    Collection,
    DataCategory,
    DataMapSettings,
    DataSource,
    DataSystem,
    Download,
    DownloadLink,
    Exemption,
    Export,
    ObjectionDecision,
    ProcessingPurpose,
    Redaction,
    RedactionJob,
    SourceAction,
    SourceQuery,
    SourceResult,
    SuppressionEntry,
    Withholding,
)
from ..letters.models import LetterDraft, Letterhead  # noqa: E402

__all__ = [
    "ActionRun",
    "ActionStep",
    "Approval",
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
    "Export",
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
]
