"""Fixtures for the API tests: DRF clients signed in as the shared users."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from tests.factories import api_client_for


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def officer_api(officer):
    return api_client_for(officer)


@pytest.fixture
def auditor_api(auditor):
    return api_client_for(auditor)


@pytest.fixture
def outsider_api(outsider):
    return api_client_for(outsider)
