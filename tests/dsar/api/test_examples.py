"""Every operation of the OpenAPI schema shows examples, and every example fits its schema.

An operation needs an example for its request body (the JSON one; the only one when there
is no JSON, as for file uploads) and for each 2xx JSON answer; a paginated list shows the
whole envelope. Binary downloads and empty answers need none. Each example is validated
against the schema next to it, with OpenAPI 3.0's ``nullable`` turned into JSON Schema
and the formats the API uses checked (jsonschema leaves unknown formats alone, and has no
date-time or uri checker without optional packages). The invented contact details are
checked too: examples must never carry a real person's address or number.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from drf_spectacular.generators import SchemaGenerator
from jsonschema import Draft4Validator, FormatChecker

METHODS = {"get", "post", "put", "patch", "delete"}
JSON = "application/json"
EMAIL = re.compile(r"^[^@\s]+@([^@\s]+\.[^@\s]+)$")
INVENTED_DOMAINS = {"example.com", "example.net", "example.org"}
PHONE = re.compile(r"^(\+44\s?7|07)\d{3}\s?\d{6}$")
DRAMA_PHONE = re.compile(r"^07700 ?900\d{3}$")


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return SchemaGenerator().get_schema(request=None, public=True)


def operations(schema: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield f"{method.upper()} {path}", operation


def bodies(operation: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(where, media type, media object) of each body that needs an example."""
    request = operation.get("requestBody")
    if request:
        content = request["content"]
        media = JSON if JSON in content else next(iter(content))
        yield "request", media, content[media]
    for code, response in operation["responses"].items():
        if code.startswith("2") and JSON in response.get("content", {}):
            yield code, JSON, response["content"][JSON]


def example_values(media: dict[str, Any]) -> list[tuple[str, Any]]:
    if "example" in media:
        return [("example", media["example"])]
    return [(name, example["value"]) for name, example in media.get("examples", {}).items()]


# --- OpenAPI 3.0 to JSON Schema ---------------------------------------------------------


def json_schema(node: Any) -> Any:
    """OpenAPI 3.0's ``nullable: true`` is JSON Schema's "or null"; the rest is draft 4."""
    if isinstance(node, list):
        return [json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    converted = {key: json_schema(value) for key, value in node.items() if key != "nullable"}
    if node.get("nullable"):
        return {"anyOf": [converted, {"type": "null"}]}
    return converted


FORMATS = FormatChecker(formats=())


@FORMATS.checks("date", raises=ValueError)
def _is_date(value: object) -> bool:
    return not isinstance(value, str) or bool(dt.date.fromisoformat(value))


@FORMATS.checks("date-time", raises=ValueError)
def _is_date_time(value: object) -> bool:
    if not isinstance(value, str):
        return True
    return "T" in value and dt.datetime.fromisoformat(value).tzinfo is not None


@FORMATS.checks("email")
def _is_email(value: object) -> bool:
    return not isinstance(value, str) or bool(EMAIL.match(value))


@FORMATS.checks("uri")
def _is_uri(value: object) -> bool:
    if not isinstance(value, str):
        return True
    parts = urlsplit(value)
    return parts.scheme in {"http", "https"} and bool(parts.netloc)


@FORMATS.checks("uuid", raises=ValueError)
def _is_uuid(value: object) -> bool:
    return not isinstance(value, str) or bool(uuid.UUID(value))


def validator_for(schema: dict[str, Any], media: dict[str, Any]) -> Draft4Validator:
    # The components travel with the schema, so "#/components/schemas/..." resolves.
    root = {
        "allOf": [json_schema(media["schema"])],
        "components": json_schema(schema["components"]),
    }
    return Draft4Validator(root, format_checker=FORMATS)


def strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


# --- the tests ------------------------------------------------------------------------------


def test_every_operation_has_request_and_response_examples(schema):
    missing = [
        f"{operation_name} {where} {media}"
        for operation_name, operation in operations(schema)
        for where, media, body in bodies(operation)
        if not example_values(body)
    ]

    assert not missing, "Operations without examples:\n" + "\n".join(missing)


def test_binary_and_empty_answers_are_the_only_ones_without_json(schema):
    # So the test above leaves nothing out: every other 2xx answer is JSON.
    for operation_name, operation in operations(schema):
        for code, response in operation["responses"].items():
            if not code.startswith("2") or JSON in response.get("content", {}):
                continue
            for media, body in response.get("content", {}).items():
                assert body["schema"].get("format") == "binary", (operation_name, code, media)


def test_every_example_matches_its_schema(schema):
    errors = []
    checked = 0
    for operation_name, operation in operations(schema):
        for where, media, body in bodies(operation):
            validator = validator_for(schema, body)
            for name, value in example_values(body):
                checked += 1
                errors.extend(
                    f"{operation_name} {where} {name}: {'/'.join(map(str, e.absolute_path))}: "
                    f"{e.message}"
                    for e in validator.iter_errors(value)
                )

    assert not errors, "Examples that do not match their schema:\n" + "\n".join(errors)
    assert checked >= 80  # every request and 2xx JSON answer of about 70 operations


def test_the_validation_catches_a_wrong_example(schema):
    # The check above is worth something: a wrong enum, a null where none is allowed, a
    # missing required field and a malformed date are all reported.
    body = schema["paths"]["/api/v1/cases/{reference}/"]["get"]["responses"]["200"]["content"][JSON]
    validator = validator_for(schema, body)
    (_, good), *_ = example_values(body)

    assert not list(validator.iter_errors(good))
    for change in (
        {"status": "open"},
        {"due_date": None},
        {"received_on": "02/03/2026"},
        {"created_at": "2026-03-02 09:14"},
        {"requester_email": "not an address"},
    ):
        assert list(validator.iter_errors({**good, **change})), change
    assert list(validator.iter_errors({k: v for k, v in good.items() if k != "reference"}))
    assert not list(validator.iter_errors({**good, "assignee": None}))


def test_paginated_lists_show_the_envelope(schema):
    wrong = []
    for operation_name, operation in operations(schema):
        response = operation["responses"].get("200", {}).get("content", {}).get(JSON)
        if not response or not response["schema"].get("$ref", "").split("/")[-1].startswith(
            "Paginated"
        ):
            continue
        for name, value in example_values(response):
            if not (
                isinstance(value, dict)
                and {"count", "next", "previous", "results"} <= set(value)
                and isinstance(value["results"], list)
                and value["results"]
            ):
                wrong.append(f"{operation_name} {name}")

    assert not wrong, "Paginated lists whose example is not {count, next, previous, results}:\n" + (
        "\n".join(wrong)
    )


def test_examples_use_invented_contact_details_only(schema):
    real_looking = []
    for operation_name, operation in operations(schema):
        for where, _, body in bodies(operation):
            for name, value in example_values(body):
                for text in strings(value):
                    email = EMAIL.match(text)
                    if email and email.group(1) not in INVENTED_DOMAINS:
                        real_looking.append(f"{operation_name} {where} {name}: {text}")
                    if PHONE.match(text) and not DRAMA_PHONE.match(text):
                        real_looking.append(f"{operation_name} {where} {name}: {text}")

    assert not real_looking, "Use example.com/.net addresses and 07700 900xxx numbers:\n" + (
        "\n".join(real_looking)
    )
