"""Issue 20 point 1: a request is never refused because the cache (Redis) is down.

The cache here is Django's real Redis backend pointed at a port where nothing listens, so
every cache call fails as it does when Redis has stopped.
"""

from __future__ import annotations

import logging
import socket

import pytest
from django.core import mail
from django.urls import reverse
from rest_framework.test import APIClient

from dsar import ratelimit
from dsar.models import Case, OutgoingEmail, RateCounter
from tests.dsar.abuse.test_budgets import api_body, form_answers
from tests.factories import api_client_for


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(autouse=True)
def dead_redis_cache(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "config.cache.ReusingRedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1.0},
        }
    }
    ratelimit._state.update(cache_down_until=0.0, warned_at=float("-inf"))
    yield
    ratelimit._state.update(cache_down_until=0.0, warned_at=float("-inf"))


def test_the_form_and_the_api_still_store_the_request_and_its_email(
    client, controller, django_capture_on_commit_callbacks
):
    url = reverse("dsar:request_form", args=[controller.slug])
    with django_capture_on_commit_callbacks(execute=True):
        form = client.post(url, form_answers("ada@example.net"), REMOTE_ADDR="192.0.2.1")
        api = APIClient().post(
            "/api/v1/requests/", api_body("bob@example.net"), format="json", REMOTE_ADDR="192.0.2.2"
        )

    assert form.status_code == 302
    assert form["Location"] == reverse("dsar:request_sent", args=[controller.slug])
    assert api.status_code == 201
    assert Case.objects.count() == 2
    assert OutgoingEmail.objects.filter(template="confirm_request").count() == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["ada@example.net", "bob@example.net"]


def test_the_budgets_still_hold_counted_in_the_database(controller, settings):
    settings.INTAKE_RATE_LIMIT_PER_HOUR = 2
    api = APIClient()

    codes = [
        api.post(
            "/api/v1/requests/", api_body(f"p{n}@example.net"), format="json", REMOTE_ADDR="::1"
        ).status_code
        for n in range(3)
    ]

    assert codes == [201, 201, 429]
    assert Case.objects.count() == 2
    assert RateCounter.objects.exists()


def test_the_warning_is_logged_once_however_many_requests(controller, caplog):
    api = APIClient()
    with caplog.at_level(logging.WARNING, logger="dsar.ratelimit"):
        for n in range(4):
            ratelimit._state["cache_down_until"] = 0.0  # try (and fail) the cache each time
            api.post("/api/v1/requests/", api_body(f"p{n}@example.net"), format="json")

    warnings = [r for r in caplog.records if "cache is unreachable" in r.getMessage()]
    assert len(warnings) == 1
    assert "example.net" not in caplog.text


def test_the_officer_api_throttle_counts_in_the_database_too(officer, case, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"officer": "2/min"},
    }
    api = api_client_for(officer)

    codes = [api.get("/api/v1/cases/").status_code for _ in range(3)]

    assert codes == [200, 200, 429]
