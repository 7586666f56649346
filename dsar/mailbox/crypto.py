"""Mailbox passwords at rest: Fernet (AES-128-CBC + HMAC) under a key from settings.

``MAILBOX_SECRET_KEYS`` (newest first, Fernet keys) may be set; otherwise one key is
derived from SECRET_KEY. Several keys decrypt, the first encrypts, so a key can be rotated
by putting the new one first and saving each mailbox again.
"""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.utils.encoding import force_bytes


def _fernet() -> MultiFernet:
    keys = list(getattr(settings, "MAILBOX_SECRET_KEYS", []) or [])
    if not keys:
        digest = hashlib.sha256(b"dsar.mailbox:" + force_bytes(settings.SECRET_KEY)).digest()
        keys = [base64.urlsafe_b64encode(digest)]
    return MultiFernet([Fernet(k) for k in keys])


def encrypt(secret: str) -> str:
    return _fernet().encrypt(secret.encode()).decode()


def decrypt(token: str) -> str:
    """The password, or ValueError when no configured key opens it."""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise ValueError("The stored password cannot be read with the configured keys.") from exc
