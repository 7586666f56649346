"""Who looked at what (issue 16): every read of a case, its evidence, a document, an
export, a regulator's record or the register, by any signed-in user.

Append-only like the case trail, but a table of its own: reads are many and say nothing
about the request's handling, so they stay out of the case's timeline. The row names the
user and what they opened, never the content: a reference, a kind and an object's title.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from ..models import AppendOnlyError, Case, Controller


class AccessKind(models.TextChoices):
    CASE = "case", "Case page"
    EVIDENCE = "evidence", "Identity evidence"
    DOCUMENT = "document", "Document"
    EXPORT = "export", "Data export"
    RECORD = "record", "Record for a regulator (PDF)"
    REGISTER = "register", "Register"
    REGISTER_PERSONAL = "register_personal", "Register with personal data"


class AccessLogQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("The access log is append-only.")

    def delete(self):
        raise AppendOnlyError("The access log is append-only.")


class AccessLog(models.Model):
    at = models.DateTimeField(default=timezone.now, editable=False)
    # PROTECT: a user named in the access log is deactivated, never deleted.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=AccessKind.choices)
    controller = models.ForeignKey(
        Controller, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # CASCADE: the reads of a case go when the case is purged after its retention period.
    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.CASCADE, related_name="accesses"
    )
    reference = models.CharField(max_length=20, blank=True)
    object_id = models.CharField(max_length=40, blank=True)
    what = models.CharField(max_length=300, blank=True, help_text="The title of what was read.")

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            # The case page's "Who looked at this case" (auditors).
            models.Index(fields=["case", "at"], name="accesslog_case_at_idx"),
            # /audit/, newest first, per controller.
            models.Index(fields=["controller", "at"], name="accesslog_ctrl_at_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind} {self.reference} at {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("The access log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("The access log is append-only.")
