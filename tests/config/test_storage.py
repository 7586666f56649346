"""Issue 20 points 3 and 5: files written whole or not at all, on local disk and on a real
S3-protocol server (moto's, started as its own process), and read back as a stream."""

from __future__ import annotations

import hashlib
import os
import resource
from contextlib import contextmanager

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages

from config.encryption import sealed_size
from config.storage import PARTIAL_PREFIX, parse_storage_url


@contextmanager
def file_size_limit(limit: int):
    """The kernel refuses writes past `limit` bytes (EFBIG), as a full disk would."""
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))


def files_under(root) -> list[str]:
    return sorted(
        os.path.relpath(os.path.join(folder, name), root)
        for folder, _, names in os.walk(root)
        for name in names
    )


# --- local disk -------------------------------------------------------------------------


def test_a_write_that_fails_half_way_leaves_no_file_at_all(settings):
    storage = storages["files"]
    with file_size_limit(64 * 1024), pytest.raises(OSError):
        storage.save("exports/2026/big.zip", ContentFile(b"x" * (1024 * 1024)))

    assert files_under(settings.MEDIA_ROOT) == []


def test_a_complete_write_is_visible_under_its_name_and_no_partial_remains(settings):
    storage = storages["files"]
    name = storage.save("documents/2026/letter.pdf", ContentFile(b"%PDF-1.7 whole"))

    assert name == "documents/2026/letter.pdf"
    assert files_under(settings.MEDIA_ROOT) == ["documents/2026/letter.pdf"]
    with storage.open(name, "rb") as handle:
        assert handle.read() == b"%PDF-1.7 whole"
    assert not any(PARTIAL_PREFIX in n for n in files_under(settings.MEDIA_ROOT))


def test_a_taken_name_is_never_overwritten():
    storage = storages["files"]
    first = storage.save("documents/a.pdf", ContentFile(b"first"))
    second = storage.save("documents/a.pdf", ContentFile(b"second"))

    assert first != second
    assert storage.open(first).read() == b"first"
    assert storage.open(second).read() == b"second"


# --- STORAGE_URL ------------------------------------------------------------------------


def test_storage_url_names_bucket_prefix_endpoint_region_and_keys():
    options = parse_storage_url(
        "s3://AKIA%2Fkey:s%40cret@dsar-files/prod/eu?endpoint_url=http://127.0.0.1:9000"
        "&region=eu-west-2"
    )

    assert options == {
        "bucket_name": "dsar-files",
        "location": "prod/eu",
        "endpoint_url": "http://127.0.0.1:9000",
        "region_name": "eu-west-2",
        "access_key": "AKIA/key",
        "secret_key": "s@cret",
    }


def test_a_storage_url_that_is_not_s3_stops_start_up():
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="STORAGE_URL"):
        parse_storage_url("ftp://files.example")


# --- object storage (moto server) -------------------------------------------------------


@pytest.mark.s3
def test_files_go_to_the_bucket_and_stream_back(s3_storage, settings):
    storage = storages["default"]
    body = os.urandom(20 * 1024 * 1024)  # over the multipart threshold

    name = storage.save("exports/2026/large.zip", ContentFile(body))

    assert not os.path.exists(settings.MEDIA_ROOT)  # nothing on local disk
    head = storages["files"].connection.meta.client.head_object(Bucket=s3_storage, Key=name)
    assert head["ContentLength"] == sealed_size(len(body))  # encrypted (issue 18)
    assert "-" in head["ETag"]  # a multipart upload's ETag ends in -<parts>
    with storage.open(name, "rb") as handle:
        assert handle.size == len(body)
        digest = hashlib.sha256()
        for chunk in handle.chunks(1024 * 1024):
            digest.update(chunk)
    assert digest.hexdigest() == hashlib.sha256(body).hexdigest()
    storage.delete(name)
    assert not storage.exists(name)


@pytest.mark.s3
def test_a_taken_object_name_is_never_overwritten(s3_storage):
    storage = storages["default"]
    first = storage.save("documents/a.pdf", ContentFile(b"first"))
    second = storage.save("documents/a.pdf", ContentFile(b"second"))

    assert first != second
    assert storage.open(first).read() == b"first"


@pytest.mark.s3
def test_a_missing_object_is_file_not_found(s3_storage):
    with pytest.raises(FileNotFoundError):
        storages["default"].open("documents/none.pdf", "rb")
