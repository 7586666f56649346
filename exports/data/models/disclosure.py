"""What an officer decided before anything is disclosed: withholding, the bundle, approvals.

- ``Withholding``: a record, one field of a record, or a whole category of the data found,
  left out of every export under a named DPA 2018 exemption, with the officer's reason.
- ``BundleDocument``: a file found by hand (an email saved as PDF, a scanned letter, call
  notes) added to the case's disclosure bundle; ``Redaction`` marks (areas or terms) on
  it, each with its exemption; ``RedactionJob`` the redacted copy a task made from them.
- ``Approval``: the second pair of eyes: one officer prepares releasing data, issuing an
  access or portability response, or running an erasure; another approves it.

Every row belongs to the case record and goes when the case is purged; the original of a
bundle document is served to officers only, and its file goes with its row.
"""

from __future__ import annotations

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils import timezone

from dsar.models import Case

from .casework import Collection


class Ground(models.TextChoices):
    """The exemptions an officer may rely on, each naming its DPA 2018 provision."""

    THIRD_PARTY = "third_party", "Third-party data (DPA 2018 Sch 2 para 16)"
    LEGAL_PRIVILEGE = "legal_privilege", "Legal professional privilege (DPA 2018 Sch 2 para 19)"
    CRIME_TAXATION = "crime_taxation", "Crime and taxation (DPA 2018 Sch 2 para 2)"
    MANAGEMENT_FORECASTS = (
        "management_forecasts",
        "Management forecasts (DPA 2018 Sch 2 para 22)",
    )
    NEGOTIATIONS = "negotiations", "Negotiations with the requester (DPA 2018 Sch 2 para 23)"
    CONFIDENTIAL_REFERENCES = (
        "confidential_references",
        "Confidential references (DPA 2018 Sch 2 para 24)",
    )
    REGULATORY_FUNCTIONS = (
        "regulatory_functions",
        "Regulatory functions (DPA 2018 Sch 2 paras 7 to 9)",
    )
    OTHER = "other", "Another exemption (DPA 2018 Sch 2, 3 or 4: named in the reason)"


class Withholding(models.Model):
    """Something found that is not disclosed: a record, a field of one, or a category."""

    class Scope(models.TextChoices):
        RECORD = "record", "A record"
        FIELD = "field", "A field of a record"
        CATEGORY = "category", "A whole category"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="withholdings")
    collection = models.ForeignKey(
        Collection, on_delete=models.CASCADE, related_name="withholdings"
    )
    scope = models.CharField(max_length=10, choices=Scope.choices)
    # Blank for a category withheld in every source.
    source_name = models.CharField(max_length=200, blank=True)
    category = models.CharField(max_length=100)
    # The record's position in its source's file for the category (0-based), as the
    # review table numbers it; null for a category.
    record = models.PositiveIntegerField(null=True, blank=True)
    field = models.CharField(max_length=200, blank=True)
    ground = models.CharField(max_length=30, choices=Ground.choices)
    reason = models.TextField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["category", "source_name", "record", "field", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["collection", "scope", "source_name", "category", "record", "field"],
                name="withholding_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.describe()}: {self.get_ground_display()}"

    def describe(self) -> str:
        """Where, never what: "Contact, record 3 from CRM, field phone"."""
        if self.scope == self.Scope.CATEGORY:
            return f"All {self.category} data" + (
                f" from {self.source_name}" if self.source_name else ""
            )
        text = f"{self.category}, record {self.record + 1} from {self.source_name}"
        return text + (f", field {self.field}" if self.scope == self.Scope.FIELD else "")


def bundle_path(document: BundleDocument, filename: str) -> str:
    return f"bundle/{document.case_id}/{timezone.now():%Y}/{filename}"


class BundleDocument(models.Model):
    """A document found by hand and added to the case's disclosure bundle."""

    class Kind(models.TextChoices):
        PDF = "application/pdf", "PDF"
        PNG = "image/png", "PNG image"
        JPEG = "image/jpeg", "JPEG image"
        TEXT = "text/plain", "Plain text"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="bundle_documents")
    title = models.CharField(max_length=200)
    content_type = models.CharField(max_length=40, choices=Kind.choices)
    # The original, for officers only; never served to the requester or exported.
    original = models.FileField(upload_to=bundle_path, max_length=200)
    sha256 = models.CharField("SHA-256 of the original", max_length=64)
    size = models.PositiveBigIntegerField()
    pages = models.PositiveIntegerField(default=1)
    include = models.BooleanField(
        default=True, help_text="Disclosed in the export (its redacted copy, once made)."
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["added_at", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_pdf(self) -> bool:
        return self.content_type == self.Kind.PDF

    @property
    def is_image(self) -> bool:
        return self.content_type in {self.Kind.PNG, self.Kind.JPEG}

    @property
    def extension(self) -> str:
        return {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg"}.get(
            self.content_type, "txt"
        )


class Redaction(models.Model):
    """One mark: an area of a page (in points from the top left) or a term everywhere."""

    class Kind(models.TextChoices):
        AREA = "area", "An area of a page"
        TERM = "term", "A term, everywhere it appears"

    document = models.ForeignKey(
        BundleDocument, on_delete=models.CASCADE, related_name="redactions"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    page = models.PositiveIntegerField(null=True, blank=True, help_text="1-based, areas only.")
    # The area as fractions (0 to 1) of the page's width and height, so a mark drawn on a
    # preview of any size lands in the same place.
    x0 = models.FloatField(null=True, blank=True)
    y0 = models.FloatField(null=True, blank=True)
    x1 = models.FloatField(null=True, blank=True)
    y1 = models.FloatField(null=True, blank=True)
    term = models.CharField(max_length=200, blank=True)
    ground = models.CharField(max_length=30, choices=Ground.choices)
    reason = models.TextField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["document", "id"]

    def __str__(self) -> str:
        return self.describe()

    def describe(self) -> str:
        """For officers (a term is shown to them, never in the export's manifest)."""
        if self.kind == self.Kind.TERM:
            return f"“{self.term}” everywhere"
        return f"An area of page {self.page}"

    @property
    def box(self) -> tuple[float, float, float, float]:
        return (self.x0 or 0.0, self.y0 or 0.0, self.x1 or 0.0, self.y1 or 0.0)


def redacted_path(job: RedactionJob, filename: str) -> str:
    return f"bundle/{job.document.case_id}/redacted/{filename}"


class RedactionJob(models.Model):
    """A redacted copy of a bundle document, made by a task from the marks at the time."""

    class Status(models.TextChoices):
        PENDING = "pending", "Being made"
        READY = "ready", "Ready"
        FAILED = "failed", "Could not be made"

    document = models.ForeignKey(BundleDocument, on_delete=models.CASCADE, related_name="jobs")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    redaction_ids = models.JSONField(default=list, blank=True, help_text="The marks applied.")
    file = models.FileField(upload_to=redacted_path, blank=True, max_length=200)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    areas_removed = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return f"Redaction of {self.document_id}: {self.get_status_display()}"


@receiver(post_delete, sender=BundleDocument)
@receiver(post_delete, sender=RedactionJob)
def _delete_bundle_file(sender, instance, **kwargs) -> None:
    """The original or the redacted copy goes with its row (case purge), after commit."""
    field = instance.original if sender is BundleDocument else instance.file
    name = field.name
    if name:
        transaction.on_commit(lambda: default_storage.delete(name))


class ApprovalAction(models.TextChoices):
    RELEASE = "release", "Releasing the data found"
    ACCESS_RESPONSE = "access_response", "Issuing the access response"
    PORTABILITY_RESPONSE = "portability_response", "Issuing the portability response"
    ERASURE = "erasure", "Running the erasure"


class Approval(models.Model):
    """One officer prepared an action; another must approve it before it happens."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for a second officer"
        APPROVED = "approved", "Approved and carried out"
        WITHDRAWN = "withdrawn", "Withdrawn"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="approvals")
    action = models.CharField(max_length=30, choices=ApprovalAction.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    # What the action needs when it is carried out (a collection id, a letter's fields,
    # the erasure's confirmation), as prepared: the approver approves exactly this.
    payload = models.JSONField(default=dict, blank=True)
    summary = models.TextField(blank=True)
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    prepared_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-prepared_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "action"],
                condition=models.Q(status="pending"),
                name="approval_one_pending_per_action",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()}: {self.get_status_display()}"
