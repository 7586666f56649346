"""A real Celery worker and beat on Redis send a due reminder exactly once.

Everything runs as it does in production, in subprocesses: ``manage.py migrate`` on a
fresh database, ``celery worker`` and ``celery beat`` (a one-second schedule and a queue
of this run's own, from tests/integration/fast_beat.py) on a Redis broker, Django's file
email backend. The
database is a temporary SQLite file, or a temporary PostgreSQL database when the suite
runs on PostgreSQL. Skips with the reason where no Redis answers (fails under CI).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from tests.servers import unavailable

pytestmark = pytest.mark.redis

BROKER_URL = os.environ.get("TEST_CELERY_BROKER_URL", "redis://127.0.0.1:6379/14")
BASE_DIR = Path(settings.BASE_DIR)
SWEEPS_TO_WATCH = 4
TIMEOUT = 50.0

SETUP = """
from dsar.choices import Status
from dsar.deadlines import Region, add_working_days
from dsar.models import Case, Controller

controller = Controller.objects.create(
    name="Integration Ltd", slug="integration", team_email="team@example.org"
)
today = controller.today()
due = add_working_days(today, 1, Region.ENGLAND)
case = Case.objects.create(
    controller=controller, reference="DSAR-2026-000777", right="access",
    status=Status.IN_PROGRESS, requester_name="Ada", received_on=today,
    original_due_date=due, due_date=due,
)
print(case.reference)
"""

REPORT = """
from dsar.models import Notice, OutgoingEmail
print(Notice.objects.count(), list(OutgoingEmail.objects.values_list("template", "state")))
"""


@pytest.fixture
def queue():
    """This run's own queue on the shared Redis, removed afterwards."""
    import redis

    client = redis.Redis.from_url(BROKER_URL, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.RedisError:
        unavailable(f"Redis not reachable at {BROKER_URL} (set TEST_CELERY_BROKER_URL)")
    name = f"dsar-it-{uuid.uuid4().hex[:12]}"
    yield name
    client.delete(name, f"_kombu.binding.{name}", f"_kombu.binding_permanent.{name}")
    client.close()


@pytest.fixture
def database_url(tmp_path):
    """A fresh database the subprocesses share: PostgreSQL if the suite uses it."""
    if connection.vendor != "postgresql":
        yield f"sqlite:///{tmp_path / 'integration.sqlite3'}"
        return
    import psycopg

    params = connection.settings_dict
    name = f"dsar_it_{uuid.uuid4().hex[:12]}"
    admin = {
        "host": params["HOST"] or "127.0.0.1",
        "port": params["PORT"] or 5432,
        "user": params["USER"],
        "password": params["PASSWORD"] or None,
        "dbname": "postgres",
        "autocommit": True,
    }
    with psycopg.connect(**admin) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    auth = quote(params["USER"]) + (f":{quote(params['PASSWORD'])}" if params["PASSWORD"] else "")
    yield f"postgres://{auth}@{admin['host']}:{admin['port']}/{name}"
    with psycopg.connect(**admin) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def env(tmp_path, queue, database_url):
    # EMAIL_URL unset: Django's file backend, writing to VAR_DIR/emails.
    values = {k: v for k, v in os.environ.items() if k != "EMAIL_URL"} | {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": BROKER_URL,
        "TEST_CELERY_QUEUE": queue,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "VAR_DIR": str(tmp_path / "var"),  # emails land in var/emails (file backend)
        "PYTHONUNBUFFERED": "1",
    }
    return values


def manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout.strip()


def start(env: dict[str, str], log: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "celery", *args],
        cwd=BASE_DIR,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: stopped with all its children
    )


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)


def emails_written(folder: Path) -> list[str]:
    """Messages written by the file backend (one file per connection, one per email)."""
    if not folder.exists():
        return []
    return [p.read_text() for p in sorted(folder.glob("*.log"))]


def test_worker_and_beat_on_redis_send_a_due_reminder_exactly_once(env, tmp_path):
    manage(env, "migrate", "--noinput", "-v", "0")
    reference = manage(env, "shell", "--no-imports", "-c", SETUP)
    assert reference == "DSAR-2026-000777"

    worker_log, beat_log = tmp_path / "worker.log", tmp_path / "beat.log"
    worker = start(
        env,
        worker_log,
        "-A",
        "tests.integration.fast_beat",
        "worker",
        "--queues",
        env["TEST_CELERY_QUEUE"],
        "--loglevel",
        "INFO",
        "--concurrency",
        "2",
        "--without-mingle",
        "--without-gossip",
    )
    beat = None
    try:
        beat = start(
            env,
            beat_log,
            "-A",
            "tests.integration.fast_beat",
            "beat",
            "--loglevel",
            "INFO",
            "--schedule",
            str(tmp_path / "beat-schedule"),
            "--max-interval",
            "1",
        )
        deadline = time.monotonic() + TIMEOUT
        sweeps = 0
        while time.monotonic() < deadline:
            sweeps = sum(
                1
                for line in worker_log.read_text().splitlines()
                if "send_deadline_reminders[" in line and "succeeded" in line
            )
            if sweeps >= SWEEPS_TO_WATCH and emails_written(tmp_path / "var" / "emails"):
                break
            assert worker.poll() is None, worker_log.read_text()[-3000:]
            assert beat.poll() is None, beat_log.read_text()[-3000:]
            time.sleep(0.5)
    finally:
        if beat is not None:
            stop(beat)
        stop(worker)

    assert sweeps >= SWEEPS_TO_WATCH, worker_log.read_text()[-3000:]
    messages = emails_written(tmp_path / "var" / "emails")
    assert len(messages) == 1, messages
    assert f"Subject: {reference} is due in 1 working day" in messages[0]
    assert "To: team@example.org" in messages[0]
    assert manage(env, "shell", "--no-imports", "-c", REPORT) == "1 [('reminder_due', 'sent')]"
