"""The fault suite (issue 20 point 8): each test starts the servers it breaks on free local
ports, breaks them, and stops them. Marked ``faults``; CI runs it on PostgreSQL."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection, connections
from kombu import pools as kombu_pools

from config.celery import app as celery_app
from dsar import ratelimit
from tests.servers import free_port, stop_process, unavailable, wait_for_port


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/faults/" in str(item.fspath):
            item.add_marker(pytest.mark.faults)


class RedisServer:
    """A redis-server of this test's own, which the test may stop and start again."""

    def __init__(self, folder) -> None:
        self.port = free_port()
        self.folder = folder
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        executable = shutil.which("redis-server")
        if executable is None:
            unavailable("redis-server is not installed (apt-get install redis-server)")
        self.process = subprocess.Popen(
            [
                executable,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.folder),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_for_port(self.port, process=self.process)

    def stop(self) -> None:
        if self.process is not None:
            stop_process(self.process)
            self.process = None


@pytest.fixture
def redis_server(tmp_path):
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


def reset_broker_pools() -> None:
    """Forget broker connections, so the next task is published to the current URL."""
    if celery_app._pool is not None:
        celery_app._pool.force_close_all()
        celery_app._pool = None
    celery_app.amqp._producer_pool = None
    # kombu keeps its own producer pools per connection, still holding the closed one:
    # without this a later test in the same process fails "Acquire on closed pool".
    kombu_pools.reset()


@pytest.fixture
def publish_to(redis_server):
    """This process publishes tasks to the test's own broker (not run in-process)."""
    conf = celery_app.conf
    saved = conf.broker_url, conf.task_always_eager
    conf.broker_url, conf.task_always_eager = redis_server.url, False
    reset_broker_pools()
    yield redis_server
    conf.broker_url, conf.task_always_eager = saved
    reset_broker_pools()


def shared_database_url(alias: str = "default") -> str:
    """A test database, for a worker process to share (PostgreSQL: SQLite's test
    database lives in this process's memory)."""
    if connection.vendor != "postgresql":
        pytest.skip("A worker process shares the test database on PostgreSQL only (CI).")
    params = connections[alias].settings_dict
    auth = quote(params["USER"]) + (f":{quote(params['PASSWORD'])}" if params["PASSWORD"] else "")
    host, port = params["HOST"] or "127.0.0.1", params["PORT"] or 5432
    return f"postgres://{auth}@{host}:{port}/{params['NAME']}"


class Worker:
    """A real ``celery worker`` of this test's own, on the test's broker and database;
    its emails go to files (Django's file backend) the test reads; its cache (the
    progress of an export) is database 1 of the test's redis-server; its files and their
    key are this process's."""

    def __init__(self, folder: Path, broker_url: str, cache_url: str) -> None:
        self.folder = folder
        self.log = folder / "worker.log"
        self.env = {k: v for k, v in os.environ.items() if k != "EMAIL_URL"} | {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": shared_database_url(),
            "SUBJECT_DATA_URL": shared_database_url("subject_data"),
            "CELERY_BROKER_URL": broker_url,
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "REDIS_URL": cache_url,
            "VAR_DIR": str(folder / "var"),
            "FILE_ENCRYPTION_KEYS": settings.FILE_ENCRYPTION_KEYS,
            "PYTHONUNBUFFERED": "1",
        }
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        options = ["--without-mingle", "--without-gossip", "--without-heartbeat", "-l", "INFO"]
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool", "solo", *options],
            cwd=Path(settings.BASE_DIR),
            env=self.env,
            stdout=self.log.open("a"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def kill(self) -> None:
        """SIGKILL, as the kernel's OOM killer or a lost host would: no clean-up runs."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        self.process = None

    def stop(self) -> None:
        if self.process is not None:
            stop_process(self.process, timeout=20)
            self.process = None

    def emails(self) -> list[str]:
        """Messages the worker sent. The file backend appends each message, then a line of
        79 dashes, to a file named by the second and the connection object's id, so two
        messages may share a file."""
        folder = self.folder / "var" / "emails"
        files = sorted(folder.glob("*.log")) if folder.exists() else []
        separator = "\n" + "-" * 79 + "\n"
        return [m for p in files for m in p.read_text().split(separator) if m.strip()]

    def wait_for(self, done: Callable[[], bool], timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while not done():
            assert self.process is not None and self.process.poll() is None, self.tail()
            assert time.monotonic() < deadline, f"not done in {timeout}s\n{self.tail()}"
            time.sleep(0.2)

    def tail(self) -> str:
        return self.log.read_text()[-3000:] if self.log.exists() else ""


@pytest.fixture
def idle_worker(transactional_db, publish_to, tmp_path, settings):
    """A worker on the test's broker, not started yet (the test may change its
    environment first); stopped before the test database is flushed. Its files and this
    process's are the same folder (VAR_DIR/media), its cache this process's."""
    cache_url = publish_to.url.rsplit("/", 1)[0] + "/1"
    process = Worker(tmp_path, publish_to.url, cache_url)
    settings.MEDIA_ROOT = tmp_path / "var" / "media"
    settings.CACHES = {
        "default": {
            "BACKEND": "config.cache.ReusingRedisCache",
            "LOCATION": cache_url,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1.0},
        }
    }
    yield process
    process.stop()
    ratelimit._state.update(cache_down_until=0.0, warned_at=float("-inf"))


@pytest.fixture
def worker(idle_worker):
    idle_worker.start()
    return idle_worker


# The letters' fixtures, for the storage fault (tests/exports/conftest.py).
from tests.exports.conftest import (  # noqa: E402, F401
    demo_controller,
    demo_officer,
    issue,
    letter_case,
)

# The data map's fixtures, for the export killed mid-write (tests/exports/data/conftest.py).
from tests.exports.data.conftest import (  # noqa: E402, F401
    data_officer,
    demo_db,
    jane_case,
    mapped_controller,
    run,
)
