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


def test_every_operation_documents_the_shared_error_shape(client, db):
    schema = client.get("/api/schema/?format=json").json()

    assert set(schema["components"]["schemas"]["Error"]["properties"]) == {"detail", "errors"}
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            responses = operation["responses"]
            assert "429" in responses, (method, path)
            assert any(code.startswith("2") for code in responses), (method, path)
            for code, response in responses.items():
                if code.startswith("4"):
                    ref = response["content"]["application/json"]["schema"]["$ref"]
                    assert ref == "#/components/schemas/Error", (method, path, code)
            if path not in {"/api/v1/requests/", "/api/v1/requests/challenge/"}:  # public
                assert {"401", "403"} <= set(responses), (method, path)


def test_the_schema_covers_the_whole_api(client, db):
    paths = set(client.get("/api/schema/?format=json").json()["paths"])

    for path in (
        "/api/v1/cases/",
        "/api/v1/cases/{reference}/",
        "/api/v1/cases/{reference}/events/",
        "/api/v1/cases/{reference}/verification/steps/",
        "/api/v1/cases/{reference}/verification/steps/{step_id}/pass/",
        "/api/v1/cases/{reference}/verification/steps/{step_id}/evidence/",
        "/api/v1/cases/{reference}/verification/evidence/{evidence_id}/download/",
        "/api/v1/cases/{reference}/letters/",
        "/api/v1/cases/{reference}/letters/preview/",
        "/api/v1/cases/{reference}/letters/{id}/download/",
        "/api/v1/controllers/",
        "/api/v1/controllers/{slug}/",
        "/api/v1/webhooks/",
        "/api/v1/webhooks/{id}/deliveries/",
        "/api/v1/deadlines/preview/",
    ):
        assert path in paths, path
    # Replaced by identity's verification steps (dsar.hooks.replaced_actions).
    assert "/api/v1/cases/{reference}/request-identity/" not in paths
