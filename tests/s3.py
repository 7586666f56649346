"""A real S3-protocol server (moto's standalone server, ``moto[server]``) for the tests.

Started as its own process on a free local port, never mocked in-process; each test gets
a fresh bucket and ``STORAGES["files"]`` pointed at it (``["default"]`` encrypts into it).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from tests.servers import free_port, stop_process, unavailable, wait_for_port

ACCESS_KEY, SECRET_KEY, REGION = "testing", "testing", "eu-west-2"


def moto_command(port: int) -> list[str]:
    executable = shutil.which("moto_server", path=str(Path(sys.executable).parent))
    if executable is None:
        unavailable("moto's server is not installed (pip install 'moto[server]')")
    return [executable, "-H", "127.0.0.1", "-p", str(port)]


@pytest.fixture(scope="session")
def s3_endpoint(tmp_path_factory):
    """One moto S3 server for the test session (each xdist worker has its own)."""
    port = free_port()
    log = tmp_path_factory.mktemp("moto") / "moto.log"
    process = subprocess.Popen(
        moto_command(port),
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        wait_for_port(port, timeout=30, process=process)
    except RuntimeError as exc:
        stop_process(process)
        unavailable(f"moto server did not start: {exc}: {log.read_text()[-500:]}")
    yield f"http://127.0.0.1:{port}"
    stop_process(process)


def s3_options(endpoint: str, bucket: str) -> dict:
    return {
        "bucket_name": bucket,
        "endpoint_url": endpoint,
        "region_name": REGION,
        "access_key": ACCESS_KEY,
        "secret_key": SECRET_KEY,
    }


def make_bucket(endpoint: str) -> str:
    import boto3

    bucket = f"dsar-test-{uuid.uuid4().hex[:12]}"
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
    )
    client.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION})
    return bucket


@pytest.fixture
def s3_storage(s3_endpoint, settings):
    """Every file of this test on a fresh bucket of the moto server; yields the bucket."""
    bucket = make_bucket(s3_endpoint)
    backend = {
        "BACKEND": "config.object_storage.ObjectStorage",
        "OPTIONS": s3_options(s3_endpoint, bucket),
    }
    settings.STORAGES = {**settings.STORAGES, "files": backend}  # "default" encrypts into it
    return bucket
