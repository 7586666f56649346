"""The webhook signature: HMAC-SHA256 over the timestamp and the exact body.

Each delivery is a ``POST`` with ``Content-Type: application/json`` and these headers:

- ``X-DSAR-Webhook-Id``: the event's UUID (the same on every retry: dedupe on it);
- ``X-DSAR-Webhook-Event``: its type, e.g. ``case.status_changed``;
- ``X-DSAR-Webhook-Timestamp``: Unix seconds when this attempt was signed;
- ``X-DSAR-Webhook-Signature``: ``v1=<hex>``, the HMAC-SHA256, keyed with the endpoint's
  secret, of ``<timestamp>.<body>`` (the raw bytes, before any JSON parsing).

A receiver recomputes it, compares in constant time and refuses timestamps more than a
few minutes old (a replayed request). ``verify`` below is exactly that, and the README
shows the same in a dozen lines for receivers that do not run this code.
"""

from __future__ import annotations

import hashlib
import hmac
import time

ID_HEADER = "X-DSAR-Webhook-Id"
EVENT_HEADER = "X-DSAR-Webhook-Event"
TIMESTAMP_HEADER = "X-DSAR-Webhook-Timestamp"
SIGNATURE_HEADER = "X-DSAR-Webhook-Signature"
VERSION = "v1"
DEFAULT_TOLERANCE_SECONDS = 300


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The signature header's value for this body at this time."""
    message = str(timestamp).encode() + b"." + body
    digest = hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()
    return f"{VERSION}={digest}"


def verify(
    secret: str,
    body: bytes,
    timestamp: str,
    signature: str,
    *,
    now: float | None = None,
    tolerance: int = DEFAULT_TOLERANCE_SECONDS,
) -> bool:
    """True when ``signature`` is ours for ``body`` and ``timestamp`` is recent."""
    try:
        ts = int(timestamp)
    except (TypeError, ValueError):
        return False
    current = time.time() if now is None else now
    if abs(current - ts) > tolerance:
        return False
    return hmac.compare_digest(sign(secret, ts, body), signature or "")
