"""What was done for a case with the data map: collections, exports, links, actions.

These rows are part of the case record (they go when the case is purged); each change to
them is made by a service in ``exports.data`` that writes the case's event in the same
transaction.
"""

from __future__ import annotations

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils import timezone

from dsar.models import Case, Controller

from .datamap import ActionRight, DataCategory, DataSource, SourceAction


class Collection(models.Model):
    """One search of every active source for a case's subject."""

    class Status(models.TextChoices):
        COLLECTING = "collecting", "Collecting"
        COLLECTED = "collected", "Collected: to review"
        RELEASED = "released", "Reviewed and released"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="collections")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.COLLECTING)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField(default=timezone.now)
    identifier_kinds = models.JSONField(default=list, blank=True, help_text="Kinds searched.")
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    released_at = models.DateTimeField(null=True, blank=True)
    release_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"Collection {self.pk} for {self.case_id}"

    @property
    def is_released(self) -> bool:
        return self.status == self.Status.RELEASED


class SourceResult(models.Model):
    """What one source gave for a collection: records per category in files, or an error.

    Records are kept as JSON Lines files in storage (one per category), never in the
    database, so a source with a million rows costs neither memory nor table space.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting"
        RUNNING = "running", "Searching"
        DONE = "done", "Searched"
        FAILED = "failed", "Failed"

    collection = models.ForeignKey(Collection, on_delete=models.CASCADE, related_name="results")
    source = models.ForeignKey(
        DataSource, null=True, blank=True, on_delete=models.SET_NULL, related_name="results"
    )
    source_name = models.CharField(max_length=200)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    error = models.TextField(blank=True)
    record_count = models.PositiveIntegerField(default=0)
    counts = models.JSONField(default=dict, blank=True, help_text="{category: rows}")
    files = models.JSONField(default=dict, blank=True, help_text="{category: storage name}")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["source_name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["collection", "source"], name="sourceresult_once_per_source"
            )
        ]

    def __str__(self) -> str:
        return f"{self.source_name}: {self.get_status_display()}"

    @property
    def finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}


@receiver(post_delete, sender=SourceResult)
def _delete_result_files(sender, instance: SourceResult, **kwargs) -> None:
    """Collected copies go with their row (case purge, erasure), once that is committed."""
    names = [n for n in (instance.files or {}).values() if n]
    if names:
        transaction.on_commit(lambda: [default_storage.delete(n) for n in names])


class Export(models.Model):
    """What an export Document holds: which collection, for which right, its manifest."""

    class Purpose(models.TextChoices):
        ACCESS = "access", "Access (everything found)"
        PORTABILITY = "portability", "Portability (provided by the subject, automated)"

    document = models.OneToOneField(
        "exports.Document", on_delete=models.CASCADE, related_name="export"
    )
    collection = models.ForeignKey(Collection, on_delete=models.PROTECT, related_name="exports")
    purpose = models.CharField(max_length=20, choices=Purpose.choices)
    manifest = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} export {self.document_id}"


class DownloadLink(models.Model):
    """An expiring link to one export, for the requester or the recipient they named."""

    class Audience(models.TextChoices):
        REQUESTER = "requester", "The requester"
        RECIPIENT = "recipient", "The organisation the requester named (Art 20(2))"

    document = models.ForeignKey(
        "exports.Document", on_delete=models.CASCADE, related_name="download_links"
    )
    audience = models.CharField(max_length=20, choices=Audience.choices)
    sent_to = models.EmailField(blank=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    download_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-id"]
        # Used by the purge of expired links only (exports.data.services.delivery).
        indexes = [models.Index(fields=["expires_at"], name="downloadlink_expires_idx")]

    def __str__(self) -> str:
        return f"Link {self.pk} to document {self.document_id}"

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()


class Download(models.Model):
    """One download through a link (also an event on the case, which outlives the link)."""

    link = models.ForeignKey(DownloadLink, on_delete=models.CASCADE, related_name="downloads")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"Download at {self.at:%Y-%m-%d %H:%M}"


class ExemptionReason(models.TextChoices):
    LEGAL_OBLIGATION = "legal_obligation", "A legal obligation to keep it (Art 17(3)(b))"
    LEGAL_CLAIMS = "legal_claims", "Establishing, exercising or defending legal claims"
    PUBLIC_INTEREST = "public_interest", "Public interest or official authority"
    OTHER = "other", "Another exemption (named in the detail)"


class Exemption(models.Model):
    """A category kept (or withheld) on this case, with the reason: shown in the letters."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="exemptions")
    category = models.ForeignKey(DataCategory, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=30, choices=ExemptionReason.choices)
    detail = models.TextField(help_text="e.g. HMRC requires invoices to be kept for six years.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["category__order", "category__name"]
        constraints = [
            models.UniqueConstraint(fields=["case", "category"], name="exemption_once_per_category")
        ]

    def __str__(self) -> str:
        return f"{self.category}: {self.get_reason_display()}"


class ActionRun(models.Model):
    """Erasure, rectification or restriction carried out across the sources for a case."""

    class Status(models.TextChoices):
        RUNNING = "running", "In progress"
        DONE = "done", "Done"
        INCOMPLETE = "incomplete", "Finished with failures"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="action_runs")
    right = models.CharField(max_length=20, choices=ActionRight.choices)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.RUNNING)
    values = models.JSONField(
        default=dict, blank=True, help_text="Rectification: the corrected values given."
    )
    recipients_to_tell = models.TextField(
        blank=True,
        help_text="Art 19: recipients to tell of the erasure, rectification or restriction.",
    )
    identifier_proof = models.JSONField(
        default=list,
        blank=True,
        help_text="Keyed hashes of the identifiers used: proof of what was erased, not the "
        "identifiers themselves.",
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_right_display()} on {self.case_id}"

    @property
    def rows_affected(self) -> int:
        return sum(step.rows_affected or 0 for step in self.steps.all())


class ActionStep(models.Model):
    """One source's part of a run: a statement's result, a manual task, or an exemption."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"
        MANUAL = "manual", "To do by hand"
        EXEMPT = "exempt", "Kept: exemption"

    run = models.ForeignKey(ActionRun, on_delete=models.CASCADE, related_name="steps")
    action = models.ForeignKey(
        SourceAction, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source_name = models.CharField(max_length=200)
    category_name = models.CharField(max_length=100)
    operation = models.CharField(max_length=10, choices=SourceAction.Operation.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    rows_affected = models.PositiveIntegerField(null=True, blank=True)
    instructions = models.TextField(blank=True)
    note = models.TextField(blank=True)
    error = models.TextField(blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["run", "id"]

    def __str__(self) -> str:
        return f"{self.source_name} / {self.category_name}: {self.get_status_display()}"

    @property
    def finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED, self.Status.EXEMPT}


class SuppressionEntry(models.Model):
    """Someone who objected to direct marketing: a keyed hash of an email or phone, never
    the value, so the list can be checked but not read back or sold."""

    class Kind(models.TextChoices):
        EMAIL = "email", "Email"
        PHONE = "phone", "Phone"

    controller = models.ForeignKey(
        Controller, on_delete=models.CASCADE, related_name="suppressions"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    digest = models.CharField(max_length=64)
    # SET_NULL: the suppression must outlive the case that caused it (purged in years).
    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # Issue 18: an entry is never deleted; withdrawing one (the person asked to hear from
    # the controller again, say) is recorded with who, when and why, and the entry stays.
    withdrawn_at = models.DateTimeField(null=True, blank=True, editable=False)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    withdrawn_reason = models.TextField(blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "suppression entries"
        constraints = [
            # One standing entry per hash (a withdrawn one stays beside a newer one); its
            # index also serves the check endpoint's lookup.
            models.UniqueConstraint(
                fields=["controller", "kind", "digest"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="suppression_unique_digest",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.digest[:10]}…"


class ObjectionDecision(models.Model):
    """An officer's decision on an objection other than to direct marketing (Art 21(1))."""

    class Decision(models.TextChoices):
        UPHELD = "upheld", "Upheld: we stop this processing"
        REJECTED = "rejected", "Not upheld: compelling legitimate grounds, or legal claims"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="objection_decisions")
    processing = models.TextField(help_text="The processing objected to.")
    decision = models.CharField(max_length=10, choices=Decision.choices)
    reasons = models.TextField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-decided_at", "-id"]

    def __str__(self) -> str:
        return self.get_decision_display()
