"""The OpenAPI schema at /api/schema/ describes the API without warnings."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command


def test_schema_is_served(client, db):
    response = client.get("/api/schema/")

    assert response.status_code == 200
    body = response.content.decode()
    for path in (
        "/api/v1/requests/",
        "/api/v1/cases/{reference}/extend/",
        "/api/v1/deadlines/preview/",
    ):
        assert path in body


def test_schema_generates_and_validates_without_warnings(tmp_path):
    target = tmp_path / "schema.yaml"

    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--file", str(target), stderr=StringIO()
    )

    assert "operationId: cases_extend" in target.read_text()
