"""Attack: bodies and filters built to crash the parser. Each gets a 400, never a 500."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db
INTAKE = "/api/v1/requests/"


def post_raw(client, url, text):
    return client.post(url, data=text, content_type="application/json")


@pytest.mark.parametrize(
    "text",
    [
        "[" * 100_000 + "]" * 100_000,  # overflows a recursive parser
        '{"a":' * 40 + "1" + "}" * 40,  # deeper than any request needs
        '{"controller": ' + "9" * 5000 + "}",  # past Python's int digit limit
        '{"controller": 1e99999}',  # a float that is infinity
        '{"controller": NaN}',
        "\xff\xfe",  # not UTF-8
    ],
    ids=["100k-deep", "40-deep", "5000-digit", "1e99999", "NaN", "not-utf8"],
)
def test_hostile_json_is_a_400_on_the_public_intake(api_client, controller, text):
    response = post_raw(api_client, INTAKE, text.encode("latin-1") if text == "\xff\xfe" else text)
    assert response.status_code == 400
    assert response.json()["detail"]


def test_hostile_json_is_a_400_on_officer_endpoints_too(officer_api, case):
    response = post_raw(
        officer_api, f"/api/v1/cases/{case.reference}/pause/", "[" * 50_000 + "]" * 50_000
    )
    assert response.status_code == 400


@pytest.mark.parametrize("value", ["\u00b2", "\u0663", "\uff11\uff12", "9" * 40])
def test_non_ascii_or_huge_digits_in_filters_are_not_a_500(officer_client, officer_api, value):
    assert officer_client.get("/queue/", {"assignee": value}).status_code == 200
    assert officer_api.get("/api/v1/cases/", {"assignee": value}).status_code in {200, 400}


def test_the_suppression_check_takes_the_address_in_a_post_body(officer_api, controller):
    response = officer_api.post(
        "/api/v1/suppression/check/", {"email": "ada@example.net"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["suppress"] is False


def test_a_field_named_detail_still_gets_the_one_error_shape():
    """Schemathesis found it: a body field called "detail" made "detail" a list."""
    from rest_framework.exceptions import ValidationError

    from dsar.api.errors import exception_handler

    response = exception_handler(
        ValidationError({"detail": ["No NUL characters."], "reason": ["Required."]}), {}
    )
    assert response.status_code == 400
    assert response.data["detail"] == "Invalid input: No NUL characters."
    assert set(response.data["errors"]) == {"detail", "reason"}
