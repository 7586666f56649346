"""The docs page at /api/docs/ (Swagger UI): its assets served locally, no CDN."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db

EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["'](?:https?:)?//""", re.IGNORECASE)


def test_the_docs_page_loads_nothing_from_another_host(client):
    response = client.get("/api/docs/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/drf_spectacular_sidecar/" in html
    assert not EXTERNAL.findall(html), EXTERNAL.findall(html)
    for cdn in ("cdn.jsdelivr.net", "unpkg.com", "cdnjs", "googleapis"):
        assert cdn not in html


def test_the_docs_assets_are_found_by_staticfiles():
    from django.contrib.staticfiles import finders

    for name in (
        "drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js",
        "drf_spectacular_sidecar/swagger-ui-dist/swagger-ui.css",
    ):
        assert finders.find(name), name


def test_an_unknown_api_path_is_a_json_404(client):
    for response in (client.get("/api/v1/nothing/here/"), client.post("/api/v2/cases/")):
        assert response.status_code == 404
        assert response.json() == {"detail": "Not found: no such API endpoint."}


def test_there_is_no_redoc_page_with_its_google_fonts(client):
    assert client.get("/api/redoc/").status_code == 404


def test_an_overflowing_id_raised_in_a_view_is_a_json_404(rf):
    from rest_framework.views import APIView

    from dsar.api.errors import exception_handler

    response = exception_handler(
        OverflowError("Python int too large to convert to SQLite INTEGER"), {"view": APIView()}
    )

    assert response.status_code == 404
    assert response.data == {"detail": "Not found."}
