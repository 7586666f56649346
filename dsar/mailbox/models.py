"""Requests by email: a controller's IMAP mailbox, and what arrives in it to triage."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils import timezone

from . import crypto


class Mailbox(models.Model):
    """An IMAP-over-TLS mailbox that beat polls (dsar.mailbox.services.poll_mailbox)."""

    controller = models.ForeignKey(
        "dsar.Controller", on_delete=models.CASCADE, related_name="mailboxes"
    )
    name = models.CharField(max_length=100, help_text="For people, e.g. privacy@ inbox.")
    host = models.CharField(max_length=253)
    port = models.PositiveIntegerField(default=993)
    username = models.CharField(max_length=254)
    password_encrypted = models.TextField(editable=False)
    folder = models.CharField(max_length=200, default="INBOX")
    is_active = models.BooleanField(default=True)
    # What the last poll found (shown on the triage page and in the DPO's digest).
    last_polled_at = models.DateTimeField(null=True, blank=True)
    last_ok_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    failing_since = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["controller__name", "name"]
        verbose_name_plural = "mailboxes"

    def __str__(self) -> str:
        return f"{self.name} ({self.controller})"

    def set_password(self, password: str) -> None:
        self.password_encrypted = crypto.encrypt(password)

    def password(self) -> str:
        return crypto.decrypt(self.password_encrypted)

    @property
    def failing(self) -> bool:
        return bool(self.last_error)


class InboundEmail(models.Model):
    """One message from a mailbox: a draft request until an officer converts or discards it.

    Unique per controller by Message-ID, so however often (and however concurrently) the
    mailbox is polled, a message is imported once: the insert that wins the key does it.
    """

    class State(models.TextChoices):
        TO_TRIAGE = "to_triage", "To triage"
        CONVERTED = "converted", "Made a case"
        DISCARDED = "discarded", "Not a request"

    controller = models.ForeignKey(
        "dsar.Controller", on_delete=models.CASCADE, related_name="inbound_emails"
    )
    mailbox = models.ForeignKey(
        Mailbox, null=True, on_delete=models.SET_NULL, related_name="messages"
    )
    message_id = models.CharField(max_length=500)
    claim_token = models.UUIDField(default=uuid.uuid4, editable=False)
    from_email = models.CharField(max_length=254, blank=True)
    from_name = models.CharField(max_length=200, blank=True)
    subject = models.CharField(max_length=500, blank=True)
    received_at = models.DateTimeField(help_text="From the message's Date (or the server's).")
    body_text = models.TextField(blank=True)
    problem = models.CharField(
        max_length=500, blank=True, help_text="Why the message could not be read in full."
    )
    state = models.CharField(max_length=20, choices=State.choices, default=State.TO_TRIAGE)
    case = models.OneToOneField(
        # CASCADE: the message and its files go when the case it became is purged.
        "dsar.Case",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="inbound",
    )
    discard_reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    imported_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["controller", "message_id"], name="inbound_once_per_message"
            )
        ]
        indexes = [
            # The "to triage" list only.
            models.Index(
                fields=["controller", "received_at"],
                condition=models.Q(state="to_triage"),
                name="inbound_to_triage_idx",
            ),
            # The poller reads back the rows its insert won (as dsar.reminders claims).
            models.Index(fields=["claim_token"], name="inbound_claim_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.subject or '(no subject)'} ({self.get_state_display()})"


def inbound_file_path(instance: InboundFile, filename: str) -> str:
    from django.utils.crypto import get_random_string

    suffix = filename.rsplit(".", 1)[-1][:8] if "." in filename else "bin"
    return f"inbound/{instance.inbound.controller_id}/{get_random_string(20)}.{suffix}"


class InboundFile(models.Model):
    """The original message (.eml) or one of its attachments, as received."""

    inbound = models.ForeignKey(InboundEmail, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to=inbound_file_path, max_length=300)
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField("SHA-256", max_length=64)
    is_original = models.BooleanField(default=False, help_text="The whole message, as .eml.")

    class Meta:
        ordering = ["-is_original", "id"]

    def __str__(self) -> str:
        return self.name


@receiver(post_delete, sender=InboundFile)
def _delete_file(sender: type[InboundFile], instance: InboundFile, **kwargs: object) -> None:
    if instance.file.name:
        name = instance.file.name
        transaction.on_commit(lambda: default_storage.delete(name))
