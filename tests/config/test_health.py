"""Issue 20 point 6: /healthz (the process answers) and /readyz (database, cache, broker
and storage, each with a short timeout; a 503 names only the part that failed)."""

from __future__ import annotations

import socket

import pytest

from config.celery import app as celery_app

pytestmark = pytest.mark.django_db(transaction=True)


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_healthz_answers_without_touching_anything(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_is_ok_when_every_part_answers(client):
    response = client.get("/readyz")

    assert response.status_code == 200, response.content
    assert response.json() == {
        "status": "ok",
        "checked": ["database", "cache", "broker", "storage"],
    }
    assert response["Cache-Control"].startswith("max-age=0")


def test_readyz_names_a_dead_cache_and_nothing_more(client, settings):
    port = closed_port()
    settings.CACHES = {
        "default": {
            "BACKEND": "config.cache.ReusingRedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1.0},
        }
    }

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "failed": ["cache"]}
    assert str(port) not in response.content.decode()


def test_readyz_names_a_dead_broker(client, monkeypatch):
    monkeypatch.setattr(celery_app.conf, "broker_url", f"redis://127.0.0.1:{closed_port()}/0")

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["failed"] == ["broker"]


def test_readyz_names_storage_that_cannot_be_written(client, settings, tmp_path):
    not_a_folder = tmp_path / "media-is-a-file"
    not_a_folder.write_text("")
    settings.MEDIA_ROOT = not_a_folder

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["failed"] == ["storage"]
