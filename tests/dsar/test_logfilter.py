"""Attack: reading the logs. A status-page visit leaves no token or address in them."""

from __future__ import annotations

import io
import logging
from types import SimpleNamespace

import pytest
from django.urls import reverse

from dsar.logfilter import RedactingGunicornLogger, redact
from identity.tokens import make_status_token


@pytest.fixture
def console_log():
    """The configured console handler (with its filter), writing into a buffer."""
    handler = next(h for h in logging.getLogger().handlers if h.get_name() == "console")
    buffer = io.StringIO()
    old = handler.setStream(buffer)
    yield buffer
    handler.setStream(old)


@pytest.mark.django_db
def test_application_log_of_a_status_page_visit_holds_no_token(client, case, console_log):
    token = make_status_token(case.reference)
    client.get(reverse("identity:status", args=[token]))
    client.get(reverse("identity:status", args=[token + "tampered"]))  # logged as a 404
    client.get("/no-such-page/?email=ada@example.net")
    logging.getLogger("django.server").info('"GET /status/%s/ HTTP/1.1" 200 512', token)
    text = console_log.getvalue()
    assert "[token]" in text
    assert token not in text
    assert "ada@example.net" not in text


def test_gunicorn_access_log_atoms_are_redacted():
    token = "eyJhbGciOiJIUzI1NiJ9.abcdefgh"
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"/status/{token}/",
        "PATH_INFO": f"/status/{token}/",
        "QUERY_STRING": "email=ada%40example.net",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_REFERER": f"https://dsar.example.org/download/{token}/",
    }
    req = SimpleNamespace(headers=[], method="GET", path=environ["PATH_INFO"])
    resp = SimpleNamespace(status="200 OK", headers=[], sent=10, response_length=10)
    logger = RedactingGunicornLogger.__new__(RedactingGunicornLogger)
    atoms = logger.atoms(resp, req, environ, SimpleNamespace(seconds=0, microseconds=1))
    line = " ".join(str(v) for v in atoms.values())
    assert token not in line
    assert "ada" not in line


def test_redact_leaves_ordinary_paths_alone():
    assert redact("GET /queue/?status=closed") == "GET /queue/?status=closed"
    assert redact("GET /status/sent/") == "GET /status/sent/"
