"""Schemathesis fuzzes every operation of the live schema (/api/schema/) as an officer.

Generic over the whole schema, so endpoints added later (exports/api) are covered as
they land. Bounded and deterministic: ``MAX_EXAMPLES`` generated examples per operation
(plus the schema's own examples), derandomized, no deadline, no shrinking; positive data
(what the schema allows) only, since the claims checked are about our own answers:

- no 5xx, whatever the input;
- every status code returned is documented for the operation;
- every response matches its documented schema and content type.

Path parameters that name a case or a controller are pointed at real ones, so the
operations do real work instead of stopping at a 404.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from config.wsgi import application
from dsar.choices import Role
from tests.factories import CaseFactory

MAX_EXAMPLES = 15
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


# Loaded once, at collection, from the app itself (through WSGI, no server): schema
# generation reads no database.
schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
schema.config.generation.update(
    modes=[schemathesis.GenerationMode.POSITIVE],
    max_examples=MAX_EXAMPLES,
    deterministic=True,
    no_shrink=True,
)


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Requests go through the real WSGI handler, whose request signals would close the
    database connection the test's transaction lives on (Django's test client disconnects
    them the same way)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(autouse=True)
def _unthrottled(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        # Fuzzing is not abuse: no 429s in the middle of it (throttles have their own tests).
        "DEFAULT_THROTTLE_RATES": {"intake": None, "intake_email": None, "officer": None},
    }
    settings.WEBHOOK_ALLOW_LOCAL_URLS = False


@pytest.fixture
def officer_token(controller, officer) -> str:
    # An admin too, so the admin-only operations (webhooks, controller settings) run.
    officer.memberships.update(role=Role.ADMIN)
    return Token.objects.create(user=officer).key


@pytest.fixture
def real_case(controller, officer_token):
    return CaseFactory(controller=controller)


@schema.parametrize()
@hypothesis_settings(
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
    database=None,
)
def test_the_api_answers_every_operation_within_its_schema(case, officer_token, real_case):
    params = case.path_parameters or {}
    if "reference" in params:
        params["reference"] = real_case.reference
    if "slug" in params:
        params["slug"] = real_case.controller.slug

    case.call_and_validate(
        headers={"Authorization": f"Token {officer_token}", "Host": "testserver"},
        checks=CHECKS,
    )
