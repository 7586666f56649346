"""Webhooks as the settings pages change them (``dsar.webhooks.services`` does the work)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from dsar.models import Controller

from .services import lock_controller, record_change


def webhook_register(
    *, controller: Controller, by: Any, url: str, description: str, event_types: list[str]
) -> Any:
    from dsar.webhooks import services
    from dsar.webhooks.addresses import AddressRefused

    with transaction.atomic():
        fresh = lock_controller(controller)
        try:
            endpoint = services.endpoint_create(
                controller=fresh, url=url, by=by, description=description, event_types=event_types
            )
        except AddressRefused as exc:
            raise ValidationError({"url": str(exc)}) from None
        record_change(
            controller=fresh,
            by=by,
            kind="webhook_registered",
            target=endpoint.url,
            after={"url": endpoint.url, "event_types": endpoint.event_types},
        )
    return endpoint


def webhook_rotate(*, controller: Controller, by: Any, endpoint: Any) -> str:
    """A new secret, returned to show once; the record says when, never the secret."""
    from dsar.webhooks import services

    with transaction.atomic():
        fresh = lock_controller(controller)
        secret = services.endpoint_rotate_secret(endpoint=endpoint)
        record_change(
            controller=fresh,
            by=by,
            kind="webhook_secret_rotated",
            target=endpoint.url,
            message="The old secret stopped working.",
        )
    return secret


def webhook_remove(*, controller: Controller, by: Any, endpoint: Any) -> None:
    from dsar.webhooks import services

    with transaction.atomic():
        fresh = lock_controller(controller)
        before = {"url": endpoint.url, "event_types": endpoint.event_types}
        services.endpoint_delete(endpoint=endpoint)
        record_change(
            controller=fresh, by=by, kind="webhook_removed", target=before["url"], before=before
        )
