"""Talking to an IMAP server over TLS: list and read messages, never change them."""

from __future__ import annotations

import datetime as dt
import imaplib
import re
import ssl
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass

from django.conf import settings

TIMEOUT = 30
_FETCHED = re.compile(rb"INTERNALDATE \"([^\"]+)\"")


@dataclass(frozen=True)
class Fetched:
    uid: str
    raw: bytes
    internal_date: dt.datetime | None


def tls_context() -> ssl.SSLContext:
    """Certificates are always verified; MAILBOX_TLS_CA_FILE adds a private CA (tests)."""
    return ssl.create_default_context(cafile=getattr(settings, "MAILBOX_TLS_CA_FILE", None))


@contextmanager
def connect(host: str, port: int, username: str, password: str, folder: str):
    client = imaplib.IMAP4_SSL(host, port, ssl_context=tls_context(), timeout=TIMEOUT)
    try:
        client.login(username, password)
        status, _ = client.select(_quoted(folder), readonly=True)
        if status != "OK":
            raise imaplib.IMAP4.error(f"The folder {folder!r} could not be opened.")
        yield client
    finally:
        with suppress(imaplib.IMAP4.error, OSError):
            client.logout()


def _quoted(folder: str) -> str:
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


def messages(client: imaplib.IMAP4) -> Iterator[Fetched]:
    """Every message in the folder, read-only (BODY.PEEK leaves them unread)."""
    status, data = client.uid("SEARCH", None, "ALL")
    if status != "OK":
        raise imaplib.IMAP4.error("The mailbox could not be searched.")
    for uid in (data[0] or b"").split():
        status, parts = client.uid("FETCH", uid, "(INTERNALDATE BODY.PEEK[])")
        if status != "OK":
            raise imaplib.IMAP4.error("A message could not be read from the server.")
        for part in parts:
            if isinstance(part, tuple):
                yield Fetched(uid.decode(), part[1], _internal_date(part[0]))


def _internal_date(meta: bytes) -> dt.datetime | None:
    found = _FETCHED.search(meta)
    if not found:
        return None
    parsed = imaplib.Internaldate2tuple(b'INTERNALDATE "' + found.group(1) + b'"')
    if parsed is None:
        return None
    return dt.datetime.fromtimestamp(time.mktime(parsed), tz=dt.UTC)
