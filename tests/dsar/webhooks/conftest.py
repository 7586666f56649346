"""A local HTTP receiver on 127.0.0.1 that verifies our signature, and endpoint helpers."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from dsar.webhooks import signing
from dsar.webhooks.models import WebhookEndpoint


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes
    verified: bool
    path: str

    def header(self, name: str) -> str:
        """HTTP header names are case-insensitive (urllib sends X-dsar-webhook-id)."""
        return {k.lower(): v for k, v in self.headers.items()}[name.lower()]

    @property
    def json(self) -> dict:
        return json.loads(self.body)


@dataclass
class Receiver:
    """What a controller's system would run: verify, then answer ``status``."""

    url: str
    secrets: list[str] = field(default_factory=list)
    status: int = 204
    failing_paths: set[str] = field(default_factory=set)  # answer 500 there, verified or not
    received: list[Received] = field(default_factory=list)

    @property
    def secret(self) -> str:
        return self.secrets[-1]

    @secret.setter
    def secret(self, value: str) -> None:
        self.secrets.append(value)


@pytest.fixture
def receiver():
    state = Receiver(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            verified = any(
                signing.verify(
                    secret,
                    body,
                    self.headers.get(signing.TIMESTAMP_HEADER, ""),
                    self.headers.get(signing.SIGNATURE_HEADER, ""),
                )
                for secret in state.secrets
            )
            state.received.append(Received(dict(self.headers), body, verified, self.path))
            if self.path in state.failing_paths:
                self.send_response(500)
            else:
                self.send_response(state.status if verified else 401)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):  # keep the test output quiet
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_port}/hooks/dsar"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


@pytest.fixture(autouse=True)
def _local_receivers_allowed(settings):
    settings.WEBHOOK_ALLOW_LOCAL_URLS = True
    settings.WEBHOOK_MAX_ATTEMPTS = 3
    settings.WEBHOOK_TIMEOUT_SECONDS = 5


@pytest.fixture
def endpoint_for(officer):
    def make(controller, receiver: Receiver, path: str = "", **kwargs) -> WebhookEndpoint:
        from dsar.webhooks import services

        endpoint = services.endpoint_create(
            controller=controller, url=receiver.url + path, by=officer, **kwargs
        )
        receiver.secret = endpoint.secret
        return endpoint

    return make
