"""Reading a raw email into what a draft request needs. Pure: bytes in, values out.

A message that cannot be read in full is still imported, with ``problem`` saying why, so
an officer sees it in the triage list rather than losing it.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import hashlib
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import getaddresses, parsedate_to_datetime

MAX_BODY = 100_000


@dataclass(frozen=True)
class Attachment:
    name: str
    content_type: str
    content: bytes


@dataclass
class ParsedEmail:
    message_id: str
    from_email: str = ""
    from_name: str = ""
    subject: str = ""
    sent_at: dt.datetime | None = None
    body_text: str = ""
    attachments: list[Attachment] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def problem(self) -> str:
        return " ".join(self.problems)[:500]


def fallback_message_id(raw: bytes) -> str:
    """For a message without a Message-ID: the same bytes always give the same key."""
    return f"<sha256-{hashlib.sha256(raw).hexdigest()}@no-message-id>"


def parse(raw: bytes) -> ParsedEmail:
    try:
        msg = email.message_from_bytes(raw, policy=email.policy.default)
    except Exception:  # the parser is lenient; this is belt and braces
        return ParsedEmail(fallback_message_id(raw), problems=["The message could not be read."])
    assert isinstance(msg, EmailMessage)
    parsed = ParsedEmail(message_id="")
    parsed.message_id = _header(msg, "Message-ID", parsed).strip()[:500] or fallback_message_id(raw)
    parsed.subject = " ".join(_header(msg, "Subject", parsed).split())[:500]
    senders = getaddresses([_header(msg, "From", parsed)])
    name, address = senders[0] if senders else ("", "")
    if "@" in address:
        parsed.from_email, parsed.from_name = address.strip().lower()[:254], name.strip()[:200]
    else:
        parsed.problems.append("No sender address could be read.")
    date = _header(msg, "Date", parsed)
    try:
        parsed.sent_at = parsedate_to_datetime(date) if date else None
        if parsed.sent_at is not None and parsed.sent_at.tzinfo is None:
            parsed.sent_at = parsed.sent_at.replace(tzinfo=dt.UTC)
    except (TypeError, ValueError):
        parsed.problems.append("The message's date could not be read.")
    if not raw.strip() or (not msg.keys() and not msg.get_payload()):
        parsed.problems.append("The message is empty or has no headers.")
    _body_and_attachments(msg, parsed)
    return parsed


def _header(msg: EmailMessage, name: str, parsed: ParsedEmail) -> str:
    try:
        return str(msg.get(name, "") or "")
    except Exception:
        parsed.problems.append(f"The {name} header could not be read.")
        return ""


def _body_and_attachments(msg: EmailMessage, parsed: ParsedEmail) -> None:
    try:
        body = msg.get_body(preferencelist=("plain", "html"))
        if body is not None:
            text = body.get_content()
            if body.get_content_type() == "text/html":
                from django.utils.html import strip_tags

                text = strip_tags(text)
            parsed.body_text = text.strip()[:MAX_BODY]
        for number, part in enumerate(msg.iter_attachments(), start=1):
            content = part.get_payload(decode=True) or b""
            name = part.get_filename() or f"attachment-{number}"
            parsed.attachments.append(
                Attachment(name=name[:200], content_type=part.get_content_type(), content=content)
            )
    except Exception:
        parsed.problems.append("Part of the message (its text or attachments) could not be read.")
