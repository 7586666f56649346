"""Fixtures shared by the suite: the officer / second officer / outsider / requester set."""

from __future__ import annotations

import pytest

from config.celery import app as celery_app
from dsar.choices import Role
from tests.factories import CaseFactory, ControllerFactory, UserFactory, officer_of
from tests.s3 import s3_endpoint, s3_storage  # noqa: F401  (the moto S3 server fixtures)

# Stored files are encrypted under a fixed test key (config.encryption).
TEST_FILE_KEY = "test:" + "dGVzdC1maWxlLWtleS10ZXN0LWZpbGUta2V5LXRlc3Q="

# Tasks run in-process unless a test starts a real worker (tests/integration).
celery_app.conf.task_always_eager = True


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    """Emails, uploads and the cache stay per test; passwords hash fast."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.FILE_ENCRYPTION_KEYS = TEST_FILE_KEY
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def controller(db):
    return ControllerFactory(name="Acme Retail", slug="acme")


@pytest.fixture
def other_controller(db):
    return ControllerFactory(name="Other Group", slug="other")


@pytest.fixture
def officer(controller):
    return officer_of(controller, username="olivia", first_name="Olivia", last_name="Officer")


@pytest.fixture
def second_officer(controller):
    return officer_of(controller, username="sam", first_name="Sam", last_name="Second")


@pytest.fixture
def auditor(controller):
    return officer_of(controller, role=Role.AUDITOR, username="audrey")


@pytest.fixture
def outsider(other_controller):
    """An officer of another controller: must see nothing of `controller`."""
    return officer_of(other_controller, username="oscar")


@pytest.fixture
def plain_user(db):
    return UserFactory(username="nobody")


@pytest.fixture
def case(controller):
    return CaseFactory(controller=controller)


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client
