"""Keeps the keys in links and people's email addresses out of every log line.

A status-page or download link's token is the only key to a case, and an email address
is personal data: neither may sit in an access log or an application log. One
``redact`` serves the application's log handlers (``RedactingFilter``, set in LOGGING)
and gunicorn's access log (``RedactingGunicornLogger``, the Procfile's --logger-class).
"""

from __future__ import annotations

import logging
import re
from typing import Any

from gunicorn.glogging import Logger as GunicornLogger

# Path segments that are keys: /status/<token>/, /download/<token>/, /r/<slug>/confirm/<token>/
TOKEN_IN_PATH = re.compile(r"(/(?:status|download|confirm)/)(?!sent/)[^/\s?\"'#]{8,}")
EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+(?:@|%40)[A-Za-z0-9.\-]+\.[A-Za-z]{2,}")
# Query parameters that carry an address or a secret.
SECRET_PARAMETER = re.compile(r"((?:email|token|key|phone)=)[^&\s\"']+", re.IGNORECASE)


def redact(text: str) -> str:
    text = TOKEN_IN_PATH.sub(r"\1[token]", text)
    text = EMAIL.sub("[email]", text)
    return SECRET_PARAMETER.sub(r"\1[redacted]", text)


class RedactingFilter(logging.Filter):
    """Rewrites each record's message, arguments folded in, before any handler writes it."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


class RedactingGunicornLogger(GunicornLogger):
    """gunicorn's access log with the request line, query and referrer redacted."""

    def atoms(self, resp: Any, req: Any, environ: Any, request_time: Any) -> dict[str, Any]:
        atoms = super().atoms(resp, req, environ, request_time)
        return {k: redact(v) if isinstance(v, str) else v for k, v in atoms.items()}
