"""Officer endpoints are throttled per API token: one noisy system does not stop another."""

from __future__ import annotations

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.factories import officer_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _two_per_minute(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "officer": "2/min",
        },
    }


def token_client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def test_a_token_past_its_rate_gets_429_with_retry_after(officer, case):
    api = token_client(officer)

    assert [api.get("/api/v1/cases/").status_code for _ in range(2)] == [200, 200]
    response = api.get("/api/v1/cases/")

    assert response.status_code == 429
    assert "throttled" in response.json()["detail"]
    assert int(response["Retry-After"]) > 0


def test_each_token_has_its_own_budget(officer, controller, case):
    first = token_client(officer)
    other = token_client(officer_of(controller, username="crm-system"))
    for _ in range(2):
        first.get("/api/v1/cases/")

    assert first.get("/api/v1/cases/").status_code == 429
    assert other.get("/api/v1/cases/").status_code == 200


def test_a_session_is_counted_per_user(officer, case):
    api = APIClient()
    api.force_login(officer)
    codes = [api.get("/api/v1/cases/").status_code for _ in range(3)]

    assert codes == [200, 200, 429]


def test_the_throttle_cache_holds_no_token(officer, case):
    from django.core.cache import cache

    api = token_client(officer)
    api.get("/api/v1/cases/")
    key = Token.objects.get(user=officer).key

    assert not any(key in k for k in cache._cache)  # locmem in tests
