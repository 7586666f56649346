"""Signed, expiring status links: each opens one case's status page, nothing else.

Nothing is stored: the signature (with its own salt, so a confirmation token is never a
status token) is the proof, and the case reference inside says which case it opens.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse

from dsar.models import Case
from dsar.tokens import InvalidLink

STATUS_SALT = "identity.status-page"


def make_status_token(reference: str) -> str:
    return signing.dumps({"case": reference}, salt=STATUS_SALT, compress=True)


def read_status_token(token: str) -> str:
    """The case reference the token was made for, or InvalidLink (expired or not ours)."""
    max_age = timedelta(days=settings.STATUS_LINK_MAX_AGE_DAYS)
    try:
        payload = signing.loads(token, salt=STATUS_SALT, max_age=max_age)
    except signing.SignatureExpired as exc:
        raise InvalidLink("This link has expired.", expired=True) from exc
    except signing.BadSignature as exc:
        raise InvalidLink("This link is not valid.") from exc
    if not isinstance(payload, dict) or not isinstance(payload.get("case"), str):
        raise InvalidLink("This link is not valid.")
    return payload["case"]


def issued_at(token: str) -> datetime:
    """When a token (already read by ``read_status_token``) was made, to the second."""
    stamp = token.rsplit(signing.Signer().sep, 2)[-2]
    return datetime.fromtimestamp(signing.b62_decode(stamp), tz=UTC)


def is_revoked(case: Case, token: str) -> bool:
    """Whether the requester stopped the links to ``case`` after this one was made. A
    link made in the same second as the revocation counts as stopped too."""
    made = issued_at(token)
    return case.status_revocations.filter(at__gte=made).exists()


def status_path(case: Case) -> str:
    return reverse("identity:status", args=[make_status_token(case.reference)])


def status_url(case: Case) -> str:
    """The absolute link for emails."""
    return f"{settings.SITE_URL}{status_path(case)}"
