"""Signed, expiring links for requesters. Nothing is stored: the signature is the proof."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core import signing

CONFIRM_SALT = "dsar.confirm-email"


class InvalidLink(Exception):
    def __init__(self, message: str, *, expired: bool = False) -> None:
        super().__init__(message)
        self.expired = expired


def make_confirmation_token(reference: str) -> str:
    return signing.dumps(reference, salt=CONFIRM_SALT, compress=True)


def read_confirmation_token(token: str) -> str:
    """The case reference the token was made for, or InvalidLink."""
    max_age = timedelta(days=settings.CONFIRMATION_LINK_MAX_AGE_DAYS)
    try:
        return signing.loads(token, salt=CONFIRM_SALT, max_age=max_age)
    except signing.SignatureExpired as exc:
        raise InvalidLink("This confirmation link has expired.", expired=True) from exc
    except signing.BadSignature as exc:
        raise InvalidLink("This confirmation link is not valid.") from exc
