"""Webhook messages from case signals, and one delivery attempt at a time.

``enqueue_signals`` is the dsar.hooks listener: it runs after the change committed, writes
one message per interested endpoint (the unique dedupe key makes a repeated signal a
no-op) and queues a delivery task for each new one. ``deliver`` makes one attempt: it
claims the attempt with a conditional update, POSTs outside any transaction, then
records a WebhookDelivery row and moves the message on (delivered, retry later, failed
after ``WEBHOOK_MAX_ATTEMPTS``). A slow or failing receiver holds up only its own
messages, in a worker, never a request or another endpoint.
"""

from __future__ import annotations

import http.client
import json
import logging
import socket
import ssl
import time
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import F
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone

from dsar.hooks import CaseSignal
from dsar.jobs import queue

from . import addresses, signing
from .models import EventType, WebhookDelivery, WebhookEndpoint, WebhookMessage, new_secret

log = logging.getLogger(__name__)

SIGNAL_TYPES = {
    "created": EventType.CASE_CREATED,
    "status_changed": EventType.STATUS_CHANGED,
    "closed": EventType.CASE_CLOSED,
    "due_soon": EventType.DUE_SOON,
    "overdue": EventType.OVERDUE,
}
USER_AGENT = "DSAR-desk-webhooks/1"


def payload_for(signal: CaseSignal, event_type: str, event_id: uuid.UUID) -> dict[str, Any]:
    """The body sent: what happened and where to read the case. No personal data."""
    return {
        "id": str(event_id),
        "type": event_type,
        "created_at": timezone.now().isoformat(),
        "controller": signal.controller,
        "data": {
            "reference": signal.reference,
            "url": settings.SITE_URL + reverse("api:case-detail", args=[signal.reference]),
            "right": signal.right,
            "channel": signal.channel,
            "status": signal.status,
            "previous_status": signal.previous_status or None,
            "due_date": signal.due_date,
            "original_due_date": signal.original_due_date,
            "event": signal.event or None,
        },
    }


# Which controllers have an active endpoint, in the shared cache: most deployments have
# none, and every case creation and status change asks (a cache read, not a query).
ACTIVE_CONTROLLERS_KEY = "webhooks:active-controllers"
ACTIVE_CONTROLLERS_SECONDS = 300


def active_controller_ids() -> frozenset[int]:
    try:
        ids = cache.get(ACTIVE_CONTROLLERS_KEY)
    except Exception:  # cache (Redis) down: ask the database; never fail a case change
        ids = None
    if ids is None:
        ids = frozenset(
            WebhookEndpoint.objects.filter(is_active=True)
            .values_list("controller_id", flat=True)
            .distinct()
        )
        _quietly(cache.set, ACTIVE_CONTROLLERS_KEY, ids, ACTIVE_CONTROLLERS_SECONDS)
    return ids


def _quietly(call: Any, *args: Any) -> None:
    try:
        call(*args)
    except Exception:  # cache down; the list expires by itself within its lifetime
        log.warning("Webhooks: the cache did not answer; the endpoint list may be stale.")


@receiver([post_save, post_delete], sender=WebhookEndpoint)
def _forget_active_controllers(**kwargs: Any) -> None:
    """Now, and again after commit, so no process keeps a list read before the change."""
    _quietly(cache.delete, ACTIVE_CONTROLLERS_KEY)
    transaction.on_commit(lambda: _quietly(cache.delete, ACTIVE_CONTROLLERS_KEY))


def enqueue_signals(signals: list[CaseSignal]) -> list[int]:
    """Write the messages the signals call for and queue their delivery; their ids."""
    controllers = {s.controller_id for s in signals} & active_controller_ids()
    if not controllers:
        return []
    endpoints = list(WebhookEndpoint.objects.filter(controller_id__in=controllers, is_active=True))
    if not endpoints:
        return []
    messages = []
    for signal in signals:
        event_type = SIGNAL_TYPES.get(signal.kind)
        if event_type is None:
            continue
        for endpoint in endpoints:
            if endpoint.controller_id != signal.controller_id or not endpoint.wants(event_type):
                continue
            event_id = uuid.uuid4()
            messages.append(
                WebhookMessage(
                    endpoint=endpoint,
                    event_id=event_id,
                    event_type=event_type,
                    dedupe_key=signal.key or f"{signal.kind}:{signal.case_id}:{event_id}",
                    payload=json.loads(
                        json.dumps(payload_for(signal, event_type, event_id), cls=DjangoJSONEncoder)
                    ),
                )
            )
    if not messages:
        return []
    # A key already claimed (the same signal again) is skipped; read back what went in.
    WebhookMessage.objects.bulk_create(messages, ignore_conflicts=True)
    ids = list(
        WebhookMessage.objects.filter(event_id__in=[m.event_id for m in messages])
        .order_by("id")
        .values_list("id", flat=True)
    )
    for message_id in ids:
        _queue(message_id)
    return ids


def _queue(message_id: int) -> None:
    """Broker down: the stuck-messages sweep (``requeue_stuck``) sends it later."""
    queue("dsar.webhooks.tasks.deliver_webhook", message_id)


# --- delivering ------------------------------------------------------------------------


@dataclass(frozen=True)
class Attempt:
    """What one call of ``deliver`` did: ``retry_in`` seconds when another try is due."""

    message_id: int
    attempted: bool
    ok: bool = False
    retry_in: int | None = None


def retry_delay(attempts: int) -> int:
    """Exponential: base, 2 x base, 4 x base... after the 1st, 2nd, 3rd failed attempt."""
    return settings.WEBHOOK_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0)


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to the address already checked, not to whatever the name resolves to now."""

    def __init__(self, host: str, port: int | None, *, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self.pinned_address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self.pinned_address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """HTTPS to the checked address; the certificate is still verified for the host name."""

    def __init__(self, host: str, port: int | None, *, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self.pinned_address = address

    def connect(self) -> None:
        raw = socket.create_connection((self.pinned_address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(raw, server_hostname=self.host)


def _post(url: str, body: bytes, headers: dict[str, str]) -> tuple[int | None, str]:
    """(status code, error). Never raises for network trouble; the body is not read.
    A redirect is not followed (it could lead to an address we would refuse): it fails."""
    try:
        address = addresses.check_resolved(url)
    except addresses.AddressRefused as exc:
        return None, str(exc)
    parts = urlsplit(url)
    connection_class = _PinnedHTTPSConnection if parts.scheme == "https" else _PinnedHTTPConnection
    connection = connection_class(
        parts.hostname or "",
        parts.port,
        address=address,
        timeout=settings.WEBHOOK_TIMEOUT_SECONDS,
    )
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        connection.request("POST", target, body=body, headers=headers)
        status = connection.getresponse().status
    except (OSError, http.client.HTTPException) as exc:
        return None, f"{type(exc).__name__}: {exc}"[:300]
    finally:
        connection.close()
    if 200 <= status < 300:
        return status, ""
    return status, f"HTTP {status}"


def deliver(*, message_id: int) -> Attempt:
    """One attempt at a pending message. Safe to call twice: only one caller wins it."""
    message = WebhookMessage.objects.select_related("endpoint").filter(pk=message_id).first()
    if message is None or message.state != WebhookMessage.State.PENDING:
        return Attempt(message_id, attempted=False)
    attempt = message.attempts + 1
    claimed = WebhookMessage.objects.filter(
        pk=message_id, state=WebhookMessage.State.PENDING, attempts=message.attempts
    ).update(attempts=F("attempts") + 1, next_attempt_at=timezone.now() + timedelta(hours=1))
    if not claimed:
        return Attempt(message_id, attempted=False)  # another worker has this attempt
    endpoint = message.endpoint
    body = json.dumps(message.payload, separators=(",", ":"), sort_keys=True).encode()
    timestamp = int(time.time())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        signing.ID_HEADER: str(message.event_id),
        signing.EVENT_HEADER: message.event_type,
        signing.TIMESTAMP_HEADER: str(timestamp),
        signing.SIGNATURE_HEADER: signing.sign(endpoint.secret, timestamp, body),
    }
    started = time.monotonic()
    if endpoint.is_active:
        status_code, error = _post(endpoint.url, body, headers)
    else:
        status_code, error = None, "The endpoint was switched off."
    duration_ms = int((time.monotonic() - started) * 1000)
    ok = status_code is not None and 200 <= status_code < 300
    last = attempt >= settings.WEBHOOK_MAX_ATTEMPTS or not endpoint.is_active
    now = timezone.now()
    with transaction.atomic():
        WebhookDelivery.objects.create(
            message=message,
            attempt=attempt,
            at=now,
            status_code=status_code,
            ok=ok,
            error="" if ok else (error or f"HTTP {status_code}")[:300],
            duration_ms=duration_ms,
        )
        if ok:
            changes: dict[str, Any] = {"state": WebhookMessage.State.DELIVERED, "delivered_at": now}
        elif last:
            changes = {"state": WebhookMessage.State.FAILED}
        else:
            changes = {"next_attempt_at": now + timedelta(seconds=retry_delay(attempt))}
        WebhookMessage.objects.filter(pk=message_id).update(**changes)
    if not ok:
        # Status code and attempt only: the URL or the body could identify someone.
        log.info(
            "Webhook message %s attempt %s failed (%s)%s.",
            message_id,
            attempt,
            status_code or "no response",
            "; giving up" if last else "",
        )
    return Attempt(
        message_id, attempted=True, ok=ok, retry_in=None if ok or last else retry_delay(attempt)
    )


def stuck_message_ids(*, grace: timedelta = timedelta(minutes=10), limit: int = 100) -> list[int]:
    """Pending messages whose next attempt is overdue by ``grace``: their task was never
    queued (broker down) or was lost. For the beat sweep."""
    cutoff = timezone.now() - grace
    return list(
        WebhookMessage.objects.filter(
            state=WebhookMessage.State.PENDING, next_attempt_at__lt=cutoff
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )


def requeue_stuck() -> int:
    ids = stuck_message_ids()
    for message_id in ids:
        _queue(message_id)
    return len(ids)


# --- managing endpoints ------------------------------------------------------------------


def endpoint_create(
    *,
    controller: Any,
    url: str,
    by: Any,
    description: str = "",
    event_types: list[str] | None = None,
) -> WebhookEndpoint:
    """Register a receiver (AddressRefused when its URL is not allowed)."""
    addresses.check_url(url)
    unknown = set(event_types or []) - set(EventType.values)
    if unknown:
        raise ValueError(f"Unknown event types: {', '.join(sorted(unknown))}.")
    return WebhookEndpoint.objects.create(
        controller=controller,
        url=url,
        description=description.strip(),
        event_types=sorted(set(event_types or [])),
        created_by=by,
    )


def endpoint_delete(*, endpoint: WebhookEndpoint) -> None:
    """Stop and remove a receiver, with its messages and their delivery log."""
    endpoint.delete()


def endpoint_rotate_secret(*, endpoint: WebhookEndpoint) -> str:
    """A new signing secret for a receiver (issue 19); the old one stops at once.

    Returned so it can be shown once; messages still pending are signed with the new one.
    """
    endpoint.secret = new_secret()
    endpoint.save(update_fields=["secret"])
    return endpoint.secret
