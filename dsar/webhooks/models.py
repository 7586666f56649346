"""Webhook endpoints, the events addressed to them and every delivery attempt.

Payloads are thin: the case reference, its status and dates, and the API URL to fetch the
rest with a token. No names, addresses or descriptions leave in a webhook, so a leaked
delivery log or a misconfigured receiver exposes no personal data.
"""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone


def new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


class EventType(models.TextChoices):
    CASE_CREATED = "case.created", "Case created"
    STATUS_CHANGED = "case.status_changed", "Status changed"
    DUE_SOON = "case.due_soon", "Due soon (a deadline reminder went to the officers)"
    OVERDUE = "case.overdue", "Overdue"
    CASE_CLOSED = "case.closed", "Closed (fulfilled, refused or withdrawn)"


class WebhookEndpoint(models.Model):
    """An HTTPS address of a controller's system that receives its case events."""

    controller = models.ForeignKey(
        "dsar.Controller", on_delete=models.CASCADE, related_name="webhook_endpoints"
    )
    url = models.URLField(max_length=500, help_text="HTTPS only (see dsar.webhooks.urls).")
    description = models.CharField(max_length=200, blank=True)
    event_types = models.JSONField(
        default=list, blank=True, help_text="Event types to send; empty means all of them."
    )
    # Kept in clear: signing needs it. Shown once, when the endpoint is registered.
    secret = models.CharField(max_length=100, default=new_secret, editable=False)
    is_active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["controller__name", "created_at", "id"]
        indexes = [
            # Used by services.enqueue_signals: the active endpoints of the controllers involved.
            models.Index(
                fields=["controller"],
                condition=models.Q(is_active=True),
                name="webhook_active_ctrl_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.url} ({self.controller})"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        from .addresses import AddressRefused, check_url

        try:
            check_url(self.url)
        except AddressRefused as exc:
            raise ValidationError({"url": str(exc)}) from None
        unknown = set(self.event_types or []) - set(EventType.values)
        if unknown:
            raise ValidationError({"event_types": f"Unknown: {', '.join(sorted(unknown))}."})

    def wants(self, event_type: str) -> bool:
        return not self.event_types or event_type in self.event_types


class WebhookMessage(models.Model):
    """One event addressed to one endpoint, and how far its delivery has got.

    ``dedupe_key`` names the event (``case.due_soon:<case>:<due date>``...): the unique
    (endpoint, dedupe_key) row is the claim that sends each event at most once per
    endpoint, however often a sweep or a retried transaction announces it.
    """

    class State(models.TextChoices):
        PENDING = "pending", "Pending"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Failed"

    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="messages")
    event_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    event_type = models.CharField(max_length=40, choices=EventType.choices)
    dedupe_key = models.CharField(max_length=150)
    payload = models.JSONField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["endpoint", "dedupe_key"], name="webhook_message_once_per_endpoint"
            )
        ]
        indexes = [
            # Used by the stuck-messages sweep only (services.stuck_message_ids).
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(state="pending"),
                name="webhook_pending_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.event_type} {self.event_id} ({self.get_state_display()})"


class WebhookDelivery(models.Model):
    """One attempt to deliver a message: the delivery log. The receiver's body is never
    stored (it could echo anything); only the status code and a short error."""

    message = models.ForeignKey(WebhookMessage, on_delete=models.CASCADE, related_name="deliveries")
    attempt = models.PositiveSmallIntegerField()
    at = models.DateTimeField(default=timezone.now)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    ok = models.BooleanField(default=False)
    error = models.CharField(max_length=300, blank=True)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name_plural = "webhook deliveries"
        constraints = [
            models.UniqueConstraint(
                fields=["message", "attempt"], name="webhook_delivery_attempt_unique"
            )
        ]

    def __str__(self) -> str:
        return f"Attempt {self.attempt} of {self.message_id}: {self.status_code or self.error}"
