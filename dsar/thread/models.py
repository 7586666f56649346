"""The message thread between officers and the requester on a case."""

from __future__ import annotations

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils import timezone

from dsar.choices import ActorKind


def message_file_path(instance: MessageFile, filename: str) -> str:
    """Stored names say nothing about the person: the case id and a random part."""
    from django.utils.crypto import get_random_string

    suffix = filename.rsplit(".", 1)[-1][:8] if "." in filename else "bin"
    return f"messages/{instance.message.case_id}/{get_random_string(20)}.{suffix}"


class Message(models.Model):
    """One message: written by an officer (emailed to the requester with their status link)
    or by the requester on their status page. Kept and purged with the case."""

    case = models.ForeignKey("dsar.Case", on_delete=models.CASCADE, related_name="messages")
    author_kind = models.CharField(max_length=20, choices=ActorKind.choices)
    # PROTECT: an officer named in a thread is deactivated, never deleted (as for events).
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    body = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["case", "created_at"], name="message_case_idx")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.author_kind} at {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def from_requester(self) -> bool:
        return self.author_kind == ActorKind.REQUESTER


class MessageFile(models.Model):
    """A file on a message: the requester's upload (checked by content, owned here) or one
    of the case's documents attached by an officer (the document keeps the file)."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to=message_file_path, max_length=300)
    name = models.CharField(max_length=200, help_text="The name shown to people.")
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField("SHA-256", max_length=64)
    document_id = models.PositiveBigIntegerField(
        null=True, blank=True, help_text="The case document attached (its file is not ours)."
    )

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name

    @property
    def owned(self) -> bool:
        return self.document_id is None


@receiver(post_delete, sender=MessageFile)
def _delete_owned_file(sender: type[MessageFile], instance: MessageFile, **kwargs: object) -> None:
    """A requester's upload goes with its row (a purge), once the deletion commits."""
    if instance.owned and instance.file.name:
        name = instance.file.name
        transaction.on_commit(lambda: default_storage.delete(name))
