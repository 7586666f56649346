"""Settings come from the environment and refuse unsafe production start-ups."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


SHOW_BACKENDS = (
    "import django; django.setup(); from django.conf import settings; "
    "print(settings.DATABASES['default']['ENGINE'], settings.CELERY_BROKER_URL)"
)


def start(**env: str) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "DJANGO_ENV"}
    }
    return subprocess.run(
        [sys.executable, "-c", SHOW_BACKENDS],
        cwd=ROOT,
        env={
            **clean,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "VAR_DIR": str(ROOT / "var"),
            **env,
        },
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_refuses_the_default_secret_key():
    result = start(DJANGO_ENV="production", ALLOWED_HOSTS="dsar.example.org")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_starts_with_a_real_secret_from_a_file(tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("k" * 50)
    result = start(
        DJANGO_ENV="production", SECRET_KEY_FILE=str(secret), ALLOWED_HOSTS="dsar.example.org"
    )
    assert result.returncode == 0, result.stderr


def test_production_needs_allowed_hosts():
    result = start(DJANGO_ENV="production", SECRET_KEY="k" * 50)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr


@pytest.mark.parametrize("value", ["maybe", "2"])
def test_a_bad_boolean_stops_start_up(value):
    result = start(DEBUG=value)
    assert result.returncode != 0


def test_local_defaults_need_no_server():
    result = start(DATABASE_URL="", CELERY_BROKER_URL="", REDIS_URL="")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.sqlite3", "filesystem://localhost//"]
