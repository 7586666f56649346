"""The append-only record of changes to a controller's configuration."""

from __future__ import annotations

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone

from ..formats import person_name


class ControllerEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        from dsar.models import AppendOnlyError

        raise AppendOnlyError("Controller events are append-only.")

    def delete(self):
        from dsar.models import AppendOnlyError

        raise AppendOnlyError("Controller events are append-only.")


class ControllerEvent(models.Model):
    """Who changed what in a controller's settings, when, and the values before and after.

    Shown in the settings' "Changes" tab. Like a case's events it is never updated or
    deleted while the controller exists.
    """

    controller = models.ForeignKey(
        "dsar.Controller", on_delete=models.CASCADE, related_name="config_events"
    )
    at = models.DateTimeField(default=timezone.now, editable=False)
    # PROTECT: an admin named in the record is deactivated, never deleted. Null: the system
    # (an import from the command line, a migration of settings).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=40, help_text="e.g. organisation_changed")
    target = models.CharField(
        max_length=200, blank=True, help_text="What was changed, e.g. a category's name."
    )
    message = models.TextField(blank=True)
    before = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)
    after = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)

    objects = ControllerEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            # The Changes tab: newest first, per controller.
            models.Index(fields=["controller", "-at", "-id"], name="ctrl_event_at_idx")
        ]

    def __str__(self) -> str:
        return f"{self.controller_id} {self.kind} at {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        from dsar.models import AppendOnlyError

        if not self._state.adding:
            raise AppendOnlyError("Controller events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        from dsar.models import AppendOnlyError

        raise AppendOnlyError("Controller events are append-only.")

    @property
    def actor_label(self) -> str:
        if self.actor is None:
            return "System"
        return person_name(self.actor)

    def changes(self) -> list[tuple[str, object, object]]:
        """(field, before, after) for every key either side names, in a stable order."""
        keys = list(dict.fromkeys([*self.before, *self.after]))
        return [(k, self.before.get(k), self.after.get(k)) for k in keys]
