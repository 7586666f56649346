"""Attack: script injection and framing. Every page carries a strict CSP."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

PAGES = ["/", "/r/acme/", "/status/", "/accounts/login/", "/queue/", "/api/docs/"]


def directives(response):
    header = response["Content-Security-Policy"]
    return dict([*part.strip().split(" ", 1), ""][:2] for part in header.split(";"))


@pytest.mark.parametrize("path", PAGES)
def test_every_page_has_a_strict_content_security_policy(client, officer, controller, path):
    client.force_login(officer)
    response = client.get(path)
    assert response.status_code == 200, path
    policy = directives(response)
    assert policy["default-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["base-uri"] == "'none'"
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("path", PAGES)
def test_pages_hold_no_inline_script_or_style(client, officer, controller, path):
    client.force_login(officer)
    html = client.get(path).content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), path
    assert "<style" not in html
    assert not re.search(r"\sstyle=\"", html), path
    assert not re.search(r"\son(click|load|submit|change)=", html), path


def test_letter_preview_may_only_be_framed_by_the_site_and_runs_nothing(client, officer, case):
    client.force_login(officer)
    url = reverse("exports:letter_preview", args=[case.reference, "acknowledgement"])
    response = client.get(url)
    assert response.status_code == 200
    policy = directives(response)
    assert policy["frame-ancestors"] == "'self'"
    assert "sandbox" in policy
    assert "script-src" not in policy  # default-src 'self' and the sandbox: no scripts run
