"""The subject's identifiers for a case, normalised, and keyed hashes of them.

Matching rules (``exports.data.sql`` turns them into SQL):

- **email**: the domain is compared without regard to case (RFC 5321: domains are
  case-insensitive) but the part before the @ exactly, because the standard lets a mail
  host treat ``Jane@`` and ``jane@`` as two mailboxes. A search must never hand one
  person's records to another; an officer who has checked that a differently written
  address is the same person adds it to the case as another identifier.
- **phone**: digits only, compared in both the national (07700 900123) and international
  (+447700900123) forms, whatever spaces, dashes or brackets the source stored.
- **customer_number** and **postcode**: upper case with spaces removed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.conf import settings
from django.utils.crypto import salted_hmac

from dsar.choices import Relationship
from dsar.models import Case

from .models import IDENTIFIER_KINDS

KIND_ALIASES = {
    "email": "email",
    "email_address": "email",
    "phone": "phone",
    "telephone": "phone",
    "mobile": "phone",
    "phone_number": "phone",
    "customer_number": "customer_number",
    "customer_no": "customer_number",
    "account_number": "customer_number",
    "customer_id": "customer_number",
    "postcode": "postcode",
    "post_code": "postcode",
}


@dataclass(frozen=True)
class Identifier:
    kind: str  # one of IDENTIFIER_KINDS
    value: str  # normalised

    def __str__(self) -> str:  # never the value: these may end up in messages
        return self.kind


def normalise_kind(kind: str) -> str | None:
    key = re.sub(r"[\s\-]+", "_", (kind or "").strip().lower())
    return KIND_ALIASES.get(key)


def normalise_email(value: str) -> str | None:
    value = (value or "").strip()
    local, at, domain = value.rpartition("@")
    if not at or not local or not domain or any(c.isspace() for c in value):
        return None
    return f"{local}@{domain.lower()}"


def phone_forms(value: str) -> list[str]:
    """The number as the UK writes it nationally and internationally, digits only."""
    digits = re.sub(r"[^\d+]", "", value or "")
    if digits.startswith("00"):
        digits = "+" + digits[2:]
    if digits.startswith("+44"):
        national = "0" + digits[3:]
    elif digits.startswith("+"):
        return [digits]
    else:
        national = digits
    if len(re.sub(r"\D", "", national)) < 7:
        return []
    return [national, "+44" + national[1:]] if national.startswith("0") else [national]


def normalise_phone(value: str) -> str | None:
    forms = phone_forms(value)
    return forms[0] if forms else None


def normalise(kind: str, value: str) -> Identifier | None:
    kind = normalise_kind(kind) or ""
    if kind not in IDENTIFIER_KINDS:
        return None
    if kind == "email":
        norm = normalise_email(value)
    elif kind == "phone":
        norm = normalise_phone(value)
    else:
        norm = re.sub(r"\s+", "", value or "").upper() or None
    return Identifier(kind, norm) if norm else None


def case_identifiers(case: Case) -> list[Identifier]:
    """Every usable identifier of the data subject: the listed ones, the subject's email,
    and the requester's own email and phone when they ask for themselves."""
    raw: list[tuple[str, str]] = [
        (str(item.get("kind", "")), str(item.get("value", "")))
        for item in case.subject_identifiers or []
        if isinstance(item, dict) and not item.get("erased")
    ]
    if case.subject_email:
        raw.append(("email", case.subject_email))
    if case.relationship == Relationship.SELF:
        if case.requester_email:
            raw.append(("email", case.requester_email))
        if case.requester_phone:
            raw.append(("phone", case.requester_phone))
    seen: dict[tuple[str, str], Identifier] = {}
    for kind, value in raw:
        ident = normalise(kind, value)
        if ident:
            seen.setdefault((ident.kind, ident.value), ident)
    return list(seen.values())


def keyed_hash(kind: str, value: str, *, purpose: str) -> str:
    """HMAC-SHA256 of a normalised identifier under SUPPRESSION_HASH_KEY: checkable, not
    reversible, and useless to anyone without the key."""
    return salted_hmac(
        f"exports.{purpose}.{kind}", value, secret=settings.SUPPRESSION_HASH_KEY, algorithm="sha256"
    ).hexdigest()


def mask(ident: Identifier) -> str:
    """Enough to recognise an identifier on the case page, not enough to use it."""
    value = ident.value
    if ident.kind == "email":
        local, _, domain = value.partition("@")
        return f"{local[:1]}***@{domain}"
    return f"{'*' * max(len(value) - 3, 3)}{value[-3:]}"
