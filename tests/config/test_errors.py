"""Issue 20 point 2: API errors are always JSON {detail, errors}, 500, 413 and 503 included,
in every environment; the database being down is a 503 page that says to try again."""

from __future__ import annotations

import json

import pytest
from django.db import OperationalError
from django.test import Client

from dsar.api import intake
from dsar.views import public

pytestmark = pytest.mark.django_db

BODY = {
    "controller": "acme",
    "right": "access",
    "requester_name": "Ada Lovelace",
    "requester_email": "ada@example.net",
    "description": "Everything.",
    "declaration": True,
}


@pytest.fixture
def quiet_client():
    """A client that returns the 500 response instead of re-raising the exception."""
    return Client(raise_request_exception=False)


def post_json(client, body) -> object:
    return client.post("/api/v1/requests/", json.dumps(body), content_type="application/json")


def broken(exc):
    def _raise(*args, **kwargs):
        raise exc

    return _raise


@pytest.mark.parametrize("debug", [False, True])
def test_an_unexpected_api_error_is_a_json_500(
    quiet_client, controller, monkeypatch, settings, debug
):
    settings.DEBUG = debug
    monkeypatch.setattr(intake.services, "case_create", broken(RuntimeError("boom")))

    response = post_json(quiet_client, BODY)

    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert list(response.json()) == ["detail"]
    assert "boom" not in response.content.decode()


@pytest.mark.parametrize("debug", [False, True])
def test_an_oversize_api_body_is_a_json_413(quiet_client, controller, settings, debug):
    settings.DEBUG = debug
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000

    response = post_json(quiet_client, {**BODY, "description": "x" * 5000})

    assert response.status_code == 413
    assert response.json() == {"detail": "The request body is too large."}


@pytest.mark.parametrize("debug", [False, True])
def test_the_database_down_under_the_api_is_a_json_503(
    quiet_client, controller, monkeypatch, settings, debug
):
    settings.DEBUG = debug
    down = OperationalError("connection to server at 127.0.0.1 failed: Connection refused")
    monkeypatch.setattr(intake.services, "case_create", broken(down))

    response = post_json(quiet_client, BODY)

    assert response.status_code == 503
    assert "try again shortly" in response.json()["detail"]
    assert int(response["Retry-After"]) > 0
    assert "127.0.0.1" not in response.content.decode()


def test_the_database_down_under_a_page_is_a_503_page(quiet_client, controller, monkeypatch):
    down = OperationalError("server closed the connection unexpectedly")
    monkeypatch.setattr(public, "_active_controller", broken(down))

    response = quiet_client.get("/r/acme/")

    assert response.status_code == 503
    page = response.content.decode()
    assert "<h1>Sorry, the service is unavailable</h1>" in page
    assert "try again in a minute" in page
    assert "server closed" not in page


def test_an_unknown_api_path_stays_a_json_404(quiet_client):
    response = quiet_client.get("/api/v1/no-such-thing/")

    assert response.status_code == 404
    assert "detail" in response.json()
