"""Issue 18 point 5: every stored file is encrypted at rest (AES-GCM, per file, rotatable
keys), on local disk and on a real S3-protocol server, and reads back as it was written."""

from __future__ import annotations

import io
import os
import stat
import tracemalloc

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage, storages
from django.core.management import call_command
from django.core.management.base import CommandError

from config import encryption
from config.encryption import (
    CHUNK,
    FileEncryptionError,
    NotEncryptedError,
    UnknownKeyError,
    new_key_entry,
    parse_keys,
    sealed_size,
)

PDF = b"%PDF-1.7\n1 0 obj << /Title (Jane Requester passport) >> endobj\n%%EOF\n"


def raw_bytes(name: str) -> bytes:
    """What the real backend holds, read past the encryption."""
    with storages["files"].open(name, "rb") as handle:
        return handle.read()


class Zeros(io.RawIOBase):
    """`size` bytes of a repeated pattern, made as they are read (never held whole)."""

    def __init__(self, size: int) -> None:
        self.left = size

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        n = min(len(buffer), self.left)
        buffer[:n] = b"row,Jane Requester\n"[:1] * n
        self.left -= n
        return n


# --- keys ---------------------------------------------------------------------------------


def test_keys_are_id_and_base64_pairs_and_the_first_encrypts():
    first, second = new_key_entry("2026b"), new_key_entry("2026a")
    ring = parse_keys(f"{first}, {second}")
    assert ring.current == "2026b"
    assert set(ring.keys) == {"2026b", "2026a"}


@pytest.mark.parametrize(
    ("raw", "says"),
    [
        ("nokey", "id:base64-key"),
        ("k1:" + "A" * 10, "32 random bytes"),
        ("k1:not base64!!", "32 random bytes"),
        ("k1:" + "A" * 43 + "=,k1:" + "B" * 43 + "=", "appears twice"),
        ("bad id:" + "A" * 43 + "=", "id:base64-key"),
    ],
)
def test_a_malformed_key_list_is_refused_saying_what_is_wrong(raw, says):
    with pytest.raises(ImproperlyConfigured, match=says):
        parse_keys(raw)


def test_without_keys_outside_production_a_key_is_generated_once_0600(settings, tmp_path):
    settings.FILE_ENCRYPTION_KEYS = ""
    settings.VAR_DIR = tmp_path / "var"
    name = default_storage.save("documents/2026/letter.pdf", ContentFile(PDF))

    key_file = tmp_path / "var" / encryption.DEV_KEY_FILE
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert key_file.read_text().startswith("dev:")
    with default_storage.open(name, "rb") as handle:
        assert handle.read() == PDF
    assert encryption.dev_keys(settings.VAR_DIR) == key_file.read_text().strip()


# --- local disk ---------------------------------------------------------------------------


def test_a_stored_pdf_is_not_readable_on_disk_and_reads_back_whole(settings):
    name = default_storage.save("evidence/1/passport.pdf", ContentFile(PDF))

    on_disk = (settings.MEDIA_ROOT / name).read_bytes()
    assert not on_disk.startswith(b"%PDF")
    assert b"Jane Requester" not in on_disk
    assert on_disk.startswith(b"DSARAES1")
    assert len(on_disk) == sealed_size(len(PDF))
    with default_storage.open(name, "rb") as handle:
        assert handle.read() == PDF
    assert default_storage.size(name) == len(PDF)


def test_files_are_0600_and_their_folders_0700(settings):
    name = default_storage.save("exports/2026/new/export.zip", ContentFile(b"PK\x03\x04"))

    path = settings.MEDIA_ROOT / name
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    for folder in (path.parent, path.parent.parent, path.parent.parent.parent):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder


@pytest.mark.parametrize("size", [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK, 3 * CHUNK + 7])
def test_any_size_reads_back_exactly_with_its_plain_size(size):
    data = os.urandom(size)
    name = default_storage.save("collections/1/t/records.jsonl", ContentFile(data))

    assert default_storage.size(name) == size
    with default_storage.open(name, "rb") as handle:
        assert handle.size == size
        assert handle.read() == data


def test_reads_can_seek_lines_and_chunks_like_a_plain_file():
    data = b"".join(b'{"row": %d}\n' % i for i in range(20000))  # several chunks
    name = default_storage.save("collections/1/t/records.jsonl", ContentFile(data))

    with default_storage.open(name, "rb") as handle:
        assert handle.seekable()
        handle.seek(CHUNK + 5)
        assert handle.read(100) == data[CHUNK + 5 : CHUNK + 105]
        handle.seek(0)
        assert next(iter(handle)) == b'{"row": 0}\n'
        handle.seek(0, io.SEEK_END)
        assert handle.tell() == len(data)
        handle.seek(0)
        assert b"".join(handle.chunks(chunk_size=1000)) == data


def test_a_changed_byte_or_a_file_cut_at_a_chunk_is_refused(settings):
    data = os.urandom(2 * CHUNK + 10)
    name = default_storage.save("documents/2026/a.pdf", ContentFile(data))
    path = settings.MEDIA_ROOT / name
    stored = path.read_bytes()

    path.write_bytes(stored[:100] + bytes([stored[100] ^ 1]) + stored[101:])
    with pytest.raises(FileEncryptionError, match="integrity"):
        default_storage.open(name, "rb").read()

    path.write_bytes(stored[: encryption.HEADER_LEN + 2 * encryption.SEALED_CHUNK])
    with pytest.raises(FileEncryptionError, match="integrity"):
        default_storage.open(name, "rb").read()


def test_a_file_under_an_unknown_key_fails_naming_the_key(settings):
    name = default_storage.save("evidence/1/passport.pdf", ContentFile(PDF))
    settings.FILE_ENCRYPTION_KEYS = new_key_entry("other")

    with pytest.raises(UnknownKeyError, match=r"'test'.*not in FILE_ENCRYPTION_KEYS"):
        default_storage.open(name, "rb")


def test_a_plain_file_is_refused_pointing_at_rotate_keys():
    name = storages["files"].save("evidence/1/old.pdf", ContentFile(PDF))

    with pytest.raises(NotEncryptedError, match="rotate_keys"):
        default_storage.open(name, "rb")


def test_a_large_file_streams_in_and_out_in_bounded_memory(settings):
    size = 32 * 1024 * 1024
    tracemalloc.start()
    try:
        name = default_storage.save("exports/2026/big.zip", File(io.BufferedReader(Zeros(size))))
        total = 0
        with default_storage.open(name, "rb") as handle:
            for chunk in handle.chunks():
                total += len(chunk)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()

    assert total == size
    assert (settings.MEDIA_ROOT / name).stat().st_size == sealed_size(size)
    assert peak < 4 * 1024 * 1024, peak


# --- rotation -----------------------------------------------------------------------------


def key_of(name: str) -> str | None:
    return encryption.header_key_id(raw_bytes(name)[: encryption.HEADER_LEN])


def test_rotate_keys_re_encrypts_every_file_under_the_new_key_and_is_idempotent(settings, capsys):
    old = settings.FILE_ENCRYPTION_KEYS
    big = os.urandom(3 * CHUNK + 11)
    names = [
        default_storage.save("evidence/1/passport.pdf", ContentFile(PDF)),
        default_storage.save("exports/2026/x.zip", ContentFile(big)),
        default_storage.save("messages/1/note.txt", ContentFile(b"Dear Jane")),
    ]
    plain = storages["files"].save("documents/2025/before.pdf", ContentFile(PDF))
    settings.FILE_ENCRYPTION_KEYS = f"{new_key_entry('2027')},{old}"

    call_command("rotate_keys")
    out = capsys.readouterr().out
    assert "Key 2027: 3 file(s) re-encrypted, 1 encrypted (were not), 0 already" in out
    assert "Jane" not in out and "evidence/" not in out

    assert {key_of(n) for n in [*names, plain]} == {"2027"}
    settings.FILE_ENCRYPTION_KEYS = settings.FILE_ENCRYPTION_KEYS.split(",")[0]  # old key gone
    assert default_storage.open(names[0], "rb").read() == PDF
    assert default_storage.open(names[1], "rb").read() == big
    assert default_storage.open(plain, "rb").read() == PDF
    assert b"%PDF" not in raw_bytes(plain)

    call_command("rotate_keys")
    assert "0 file(s) re-encrypted, 0 encrypted (were not), 4 already" in capsys.readouterr().out


def test_rotate_keys_reports_a_file_under_a_dropped_key_and_leaves_it_be(settings, capsys):
    name = default_storage.save("evidence/1/passport.pdf", ContentFile(PDF))
    kept = raw_bytes(name)
    settings.FILE_ENCRYPTION_KEYS = new_key_entry("2027")

    with pytest.raises(CommandError, match="1 file"):
        call_command("rotate_keys")
    captured = capsys.readouterr()
    assert "1 failed" in captured.out
    assert "'test'" in captured.err
    assert raw_bytes(name) == kept


def test_rotate_keys_in_the_background_queues_the_same_work_for_a_worker(settings, capsys):
    name = default_storage.save("evidence/1/passport.pdf", ContentFile(PDF))
    settings.FILE_ENCRYPTION_KEYS = f"{new_key_entry('2027')},{settings.FILE_ENCRYPTION_KEYS}"

    call_command("rotate_keys", "--background")  # tasks run eagerly in the tests

    assert "Queued" in capsys.readouterr().out
    assert key_of(name) == "2027"
    assert default_storage.open(name, "rb").read() == PDF


# --- object storage (moto's S3 server) ----------------------------------------------------

pytest_s3 = pytest.mark.s3


@pytest_s3
def test_objects_in_the_bucket_are_encrypted_and_read_back(s3_storage):
    name = default_storage.save("evidence/1/passport.pdf", ContentFile(PDF))
    client = storages["files"].connection.meta.client

    body = client.get_object(Bucket=s3_storage, Key=name)["Body"].read()
    assert not body.startswith(b"%PDF") and b"Jane Requester" not in body
    assert body.startswith(b"DSARAES1")
    with default_storage.open(name, "rb") as handle:
        assert handle.read() == PDF
    assert default_storage.size(name) == len(PDF)


@pytest_s3
def test_rotate_keys_works_on_object_storage(s3_storage, settings, capsys):
    data = os.urandom(2 * CHUNK + 3)
    name = default_storage.save("exports/2026/x.zip", ContentFile(data))
    settings.FILE_ENCRYPTION_KEYS = f"{new_key_entry('2027')},{settings.FILE_ENCRYPTION_KEYS}"

    call_command("rotate_keys")

    assert "1 file(s) re-encrypted" in capsys.readouterr().out
    assert key_of(name) == "2027"
    with default_storage.open(name, "rb") as handle:
        assert handle.read() == data
