"""A controller's letterhead and an officer's unsent letter drafts.

Part of the ``exports`` app (imported by name in ``exports.models``), so their tables
and migrations stay the app's. Loaded by Django after ``exports.models``' ``Document``.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from dsar.models import Case, Controller
from exports.models import Delivery, Document

LOGO_MAX_BYTES = 512 * 1024


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
