"""Links follow the address the product is served on; the demo's logins stay findable;
a favicon; no debug pages listing URL patterns."""

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

ROOT = Path(__file__).resolve().parents[2]


def site_url(**env: str) -> str:
    clean = {k: v for k, v in os.environ.items() if k not in {"SITE_URL", "PORT"}}
    result = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; print(settings.SITE_URL)"],
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip().splitlines()[-1]


def test_links_follow_the_port_unless_site_url_is_set():
    assert site_url() == "http://127.0.0.1:8000"
    assert site_url(PORT="8150") == "http://127.0.0.1:8150"
    assert site_url(PORT="8150", SITE_URL="https://dsar.example.org/") == "https://dsar.example.org"


def make_run(*args: str) -> str:
    clean = {k: v for k, v in os.environ.items() if k not in {"SITE_URL", "PORT", "MAKEFLAGS"}}
    result = subprocess.run(
        ["make", "-n", "-W", "pyproject.toml", "run", *args],
        cwd=ROOT, env=clean, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return result.stdout


def test_make_run_on_another_port_gives_links_on_that_port_and_prints_the_logins_again():
    plan = make_run("PORT=8150")
    assert 'SITE_URL="http://127.0.0.1:8150" .venv/bin/python manage.py seed_demo' in plan
    assert "honcho start -p 8150" in plan
    assert "demo-logins.txt" in plan and 'DEBUG="${DEBUG:-false}"' in plan
    assert 'SITE_URL="https://x.example"' in make_run("PORT=8150", "SITE_URL=https://x.example")


@pytest.mark.django_db
def test_seed_demo_writes_its_links_and_logins_under_var(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    settings.SITE_URL = "http://127.0.0.1:8150"
    call_command("seed_demo", "--no-cases", stdout=io.StringIO())
    text = (tmp_path / "demo-logins.txt").read_text()
    assert "Officer queue:  http://127.0.0.1:8150/queue/" in text
    assert "Demo logins (username / password):" in text


@pytest.mark.django_db
def test_favicon(client: Client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response.url.endswith("favicon.svg")
    assert 'rel="icon"' in client.get("/status/").content.decode()


@pytest.mark.django_db
def test_public_404_lists_no_url_patterns(client: Client, settings):
    settings.DEBUG = False
    response = client.get("/no-such-page/")
    text = response.content.decode()
    assert response.status_code == 404
    assert "Page not found" in text and "URLconf" not in text and "admin/" not in text
