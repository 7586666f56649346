"""The fault suite (issue 20 point 8): each test starts the servers it breaks on free local
ports, breaks them, and stops them. Marked ``faults``; CI runs it on PostgreSQL."""

from __future__ import annotations

import shutil
import subprocess

import pytest

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


# The letters' fixtures, for the storage fault (tests/exports/conftest.py).
from tests.exports.conftest import (  # noqa: E402, F401
    demo_controller,
    demo_officer,
    issue,
    letter_case,
)
