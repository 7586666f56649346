"""Fixtures for the API tests: DRF clients signed in as the shared users."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient


@pytest.fixture
def api_client():
    return APIClient()


def _client_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def officer_api(officer):
    return _client_for(officer)


@pytest.fixture
def auditor_api(auditor):
    return _client_for(auditor)


@pytest.fixture
def outsider_api(outsider):
    return _client_for(outsider)
