"""Normalised identifiers and their keyed hashes: how two cases are known to be one person.

Matching always goes through the keyed hashes (HMAC-SHA256 under a server-side key), so
it keeps working after a case's personal fields are erased: the hashes stay, and without
the key they say nothing about the person. The plain search text is rebuilt from the
fields and is blank once they are.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils.encoding import force_bytes

if TYPE_CHECKING:
    from dsar.models import Case

EMAIL, PHONE, CUSTOMER = "email", "phone", "customer_number"
# Identifier kinds (from the log-a-request form's "kind: value" lines) that mean a
# customer or account number.
CUSTOMER_KINDS = frozenset(
    {"customer_number", "customer", "account", "account_number", "customer_id"}
)
# Fields whose change rebuilds the search text and adds keys.
SOURCE_FIELDS = frozenset(
    {
        "reference",
        "requester_name",
        "requester_email",
        "requester_phone",
        "subject_name",
        "subject_email",
        "organisation_name",
        "subject_identifiers",
    }
)


def normal_email(value: str) -> str:
    return (value or "").strip().lower()


def normal_phone(value: str) -> str:
    """Digits only, a UK +44 prefix read as a leading 0: "+44 20 7946 0000" -> "02079460000"."""
    digits = re.sub(r"\D", "", value or "")
    if (value or "").strip().startswith("+44") or digits.startswith("0044"):
        digits = "0" + digits.removeprefix("00").removeprefix("44")
    return digits if len(digits) >= 6 else ""


def normal_customer(value: str) -> str:
    return re.sub(r"[\s-]", "", (value or "")).upper()


def identifiers(case: Case) -> set[tuple[str, str]]:
    """(kind, normalised value) pairs naming the data subject (and a self-requester)."""
    found: set[tuple[str, str]] = set()
    emails = [case.subject_email]
    phones = []
    if not case.acting_for_other:
        emails.append(case.requester_email)
        phones.append(case.requester_phone)
    for item in case.subject_identifiers or []:
        if not isinstance(item, dict):
            continue
        kind = str(item.get("kind", "")).lower()
        value = str(item.get("value", ""))
        if kind == "email":
            emails.append(value)
        elif kind in {"phone", "mobile", "telephone"}:
            phones.append(value)
        elif kind in CUSTOMER_KINDS:
            found.add((CUSTOMER, normal_customer(value)))
    found |= {(EMAIL, normal_email(e)) for e in emails}
    found |= {(PHONE, normal_phone(p)) for p in phones}
    return {(kind, value) for kind, value in found if value}


def _key() -> bytes:
    secret = getattr(settings, "PERSON_KEY_SECRET", "") or settings.SECRET_KEY
    return hashlib.sha256(b"dsar.person-keys:" + force_bytes(secret)).digest()


def digest(kind: str, value: str) -> str:
    return hmac.new(_key(), f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()


def digests(pairs: Iterable[tuple[str, str]]) -> set[str]:
    return {digest(kind, value) for kind, value in pairs}


def search_text(case: Case) -> str:
    """One lower-case line the queue search looks in (trigram-indexed on PostgreSQL)."""
    parts = [
        case.reference,
        case.requester_name,
        case.subject_name,
        case.organisation_name,
        case.requester_email,
        case.subject_email,
        normal_phone(case.requester_phone),
    ]
    for item in case.subject_identifiers or []:
        if isinstance(item, dict) and item.get("value"):
            value = str(item["value"])
            parts.append(value)
            if phone := normal_phone(value):
                parts.append(phone)
            parts.append(normal_customer(value))
    return " ".join(p.strip().lower() for p in parts if p and p.strip())
