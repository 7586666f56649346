"""Files encrypted at rest (issue 18 point 5): AES-256-GCM, per file, in 64 KiB chunks.

Every file the apps keep goes through ``STORAGES["default"]``, an `EncryptedStorage` that
wraps the real backend ``STORAGES["files"]`` (local disk or object storage, see
config.storage), so a file is encrypted before it reaches either, and decrypted as it is
read back. Nothing on disk or in the bucket holds a requester's data in clear.

Keys come from ``FILE_ENCRYPTION_KEYS``: ``id:base64-key`` pairs (32-byte keys), comma or
space separated. The first key encrypts; every listed key decrypts. Each file names its
key in its header, so adding a new key in front and running ``manage.py rotate_keys``
re-encrypts every file under it while the product keeps running; the old key can be
dropped afterwards. Outside production, with no keys set, a key is generated once into
``VAR_DIR/file-encryption.key`` (mode 0600) so ``make run`` needs nothing.

The format, chosen so a file of any size streams through a fixed amount of memory and its
plain size follows from its stored size without reading it:

    header (48 bytes): b"DSARAES1" | len(key id) | key id padded to 32 bytes | 7-byte nonce prefix
    then chunks:       AES-GCM(64 KiB of the file) + 16-byte tag, the last one shorter

Chunk ``i`` is sealed with the nonce ``prefix | i (4 bytes) | 1 if last else 0`` and the
header as associated data, so chunks cannot be reordered, dropped, cut short or moved to
another file, and a changed header is refused.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import io
import os
import re
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files import File
from django.core.files.storage import Storage, storages
from django.utils.deconstruct import deconstructible

MAGIC = b"DSARAES1"
KEY_ID_MAX = 32
PREFIX_LEN = 7
HEADER_LEN = len(MAGIC) + 1 + KEY_ID_MAX + PREFIX_LEN  # 48
CHUNK = 64 * 1024
TAG = 16
SEALED_CHUNK = CHUNK + TAG
KEY_ID = re.compile(r"^[A-Za-z0-9._-]{1,32}$")
DEV_KEY_FILE = "file-encryption.key"


class FileEncryptionError(Exception):
    """A stored file that cannot be decrypted: unknown key, not encrypted, or damaged."""


class UnknownKeyError(FileEncryptionError):
    pass


class NotEncryptedError(FileEncryptionError):
    pass


@dataclass(frozen=True)
class Keyring:
    """The keys by id; ``current`` is the id that encrypts new files."""

    current: str
    keys: dict[str, bytes]

    def aead(self, key_id: str) -> AESGCM:
        try:
            return AESGCM(self.keys[key_id])
        except KeyError:
            raise UnknownKeyError(
                f"This file was encrypted under key {key_id!r}, which is not in "
                "FILE_ENCRYPTION_KEYS. Add that key back (after the current one)."
            ) from None


def parse_keys(raw: str) -> Keyring:
    """``"k2:BASE64,k1:BASE64"`` as a keyring; says exactly what is wrong otherwise."""
    keys: dict[str, bytes] = {}
    for entry in re.split(r"[,\s]+", raw.strip()):
        if not entry:
            continue
        key_id, sep, encoded = entry.partition(":")
        if not sep or not KEY_ID.match(key_id):
            raise ImproperlyConfigured(
                "FILE_ENCRYPTION_KEYS: each entry is id:base64-key, the id 1-32 letters, "
                "digits, '.', '_' or '-' (e.g. 2026a:...)."
            )
        try:
            key = base64.b64decode(encoded, validate=True)
        except binascii.Error:
            key = b""
        if len(key) != 32:
            raise ImproperlyConfigured(
                f"FILE_ENCRYPTION_KEYS: key {key_id!r} must be 32 random bytes in base64 "
                '(python -c "import base64,os; print(base64.b64encode(os.urandom(32)).decode())").'
            )
        if key_id in keys:
            raise ImproperlyConfigured(f"FILE_ENCRYPTION_KEYS: key id {key_id!r} appears twice.")
        keys[key_id] = key
    if not keys:
        raise ImproperlyConfigured("FILE_ENCRYPTION_KEYS is empty.")
    return Keyring(current=next(iter(keys)), keys=keys)


def new_key_entry(key_id: str) -> str:
    return f"{key_id}:{base64.b64encode(os.urandom(32)).decode()}"


def dev_keys(var_dir: Path) -> str:
    """The generated key of a development install: made once, 0600, then reused."""
    path = Path(var_dir) / DEV_KEY_FILE
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it first
        return path.read_text().strip()
    with os.fdopen(fd, "w") as out:
        out.write(new_key_entry("dev") + "\n")
    return path.read_text().strip()


_cache_lock = threading.Lock()
_cache: dict[str, Keyring] = {}


def keyring() -> Keyring:
    """The keys in force now (settings are read each time, so tests may change them)."""
    raw = getattr(settings, "FILE_ENCRYPTION_KEYS", "") or ""
    if not raw:
        if getattr(settings, "PRODUCTION", False):
            raise ImproperlyConfigured("FILE_ENCRYPTION_KEYS must be set in production.")
        raw = dev_keys(settings.VAR_DIR)
    with _cache_lock:
        if raw not in _cache:
            _cache[raw] = parse_keys(raw)
        return _cache[raw]


# --- The format --------------------------------------------------------------------------


def _header(key_id: str, prefix: bytes) -> bytes:
    encoded = key_id.encode("ascii")
    return MAGIC + bytes([len(encoded)]) + encoded.ljust(KEY_ID_MAX, b"\0") + prefix


def header_key_id(head: bytes) -> str | None:
    """The key id named by a file's first bytes; None when it is not one of ours."""
    if len(head) < HEADER_LEN or not head.startswith(MAGIC):
        return None
    length = head[len(MAGIC)]
    if not 1 <= length <= KEY_ID_MAX:
        return None
    return head[len(MAGIC) + 1 : len(MAGIC) + 1 + length].decode("ascii", "replace")


def _nonce(prefix: bytes, index: int, last: bool) -> bytes:
    return prefix + index.to_bytes(4, "big") + (b"\1" if last else b"\0")


def plain_size(stored_size: int) -> int:
    """The size of the file as written, from the size of its stored form."""
    body = stored_size - HEADER_LEN
    if body < TAG:
        raise FileEncryptionError("The stored file is too short to be an encrypted file.")
    chunks = -(-body // SEALED_CHUNK)
    return body - chunks * TAG


def sealed_size(size: int) -> int:
    return HEADER_LEN + size + max(1, -(-size // CHUNK)) * TAG


def _read_exact(handle: IO[bytes], n: int) -> bytes:
    parts, wanted = [], n
    while wanted:
        data = handle.read(wanted)
        if not data:
            break
        parts.append(data)
        wanted -= len(data)
    return b"".join(parts)


def encrypt_chunks(chunks: Iterable[bytes], ring: Keyring | None = None) -> Iterator[bytes]:
    """The stored form of a file given as chunks of any size: header, then sealed chunks.
    Holds at most one chunk (64 KiB) plus what the caller hands over at a time."""
    ring = ring or keyring()
    prefix = os.urandom(PREFIX_LEN)
    header = _header(ring.current, prefix)
    aead = ring.aead(ring.current)
    yield header
    buffer = bytearray()
    index = 0
    for chunk in chunks:
        buffer += chunk
        # Keep back at least one byte: only the end of the input says which chunk is last.
        while len(buffer) > CHUNK:
            yield aead.encrypt(_nonce(prefix, index, False), bytes(buffer[:CHUNK]), header)
            del buffer[:CHUNK]
            index += 1
    yield aead.encrypt(_nonce(prefix, index, True), bytes(buffer), header)


class IteratorReader(io.RawIOBase):
    """A read-only, forward-only file over an iterator of bytes (for storage backends that
    pull from a file object, such as S3 uploads)."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self._chunks = chunks
        self._pending = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self._pending:
            try:
                self._pending = next(self._chunks)
            except StopIteration:
                return 0
        n = min(len(buffer), len(self._pending))
        buffer[:n] = self._pending[:n]
        self._pending = self._pending[n:]
        return n


def encrypting_file(content: IO[bytes] | File, name: str = "") -> File:
    """``content`` as a File whose bytes are its stored (encrypted) form."""
    source = content if isinstance(content, File) else File(content)
    raw = IteratorReader(encrypt_chunks(source.chunks()))
    file = File(io.BufferedReader(raw, buffer_size=SEALED_CHUNK), name=name or source.name)
    file.content_type = "application/octet-stream"  # what object storage is told it holds
    return file


class DecryptingReader(io.RawIOBase):
    """The plain bytes of a stored file, decrypted chunk by chunk as they are read.

    Seekable when the stored file is (local disk): a seek only moves the position, and
    the chunk holding it is read and checked when needed."""

    def __init__(self, stored: IO[bytes], stored_size: int | None, ring: Keyring) -> None:
        self._stored = stored
        head = _read_exact(stored, HEADER_LEN)
        key_id = header_key_id(head)
        if key_id is None:
            stored.close()
            raise NotEncryptedError(
                "This stored file is not encrypted (or not by this product): run "
                "`manage.py rotate_keys` to encrypt files kept before encryption was on."
            )
        self._header = head
        self._prefix = head[-PREFIX_LEN:]
        try:
            self._aead = ring.aead(key_id)
        except UnknownKeyError:
            stored.close()
            raise
        self._size = plain_size(stored_size) if stored_size is not None else None
        self._pos = 0
        self._index = -1  # the chunk held in _plain
        self._plain = b""
        self._next_index = 0  # the chunk the stored file is positioned at
        self._ahead = b""  # a byte read to learn whether a chunk was the last

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        try:
            return self._size is not None and self._stored.seekable()
        except (AttributeError, ValueError):
            return False

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        if whence == io.SEEK_SET:
            target = offset
        elif whence == io.SEEK_CUR:
            target = self._pos + offset
        elif whence == io.SEEK_END:
            if self._size is None:
                raise io.UnsupportedOperation("size unknown")
            target = self._size + offset
        else:
            raise ValueError(f"invalid whence {whence}")
        if target < 0:
            raise ValueError("negative seek position")
        self._pos = target
        return target

    def _load(self, index: int) -> None:
        if index != self._next_index:
            if not self.seekable():
                if index < self._next_index:
                    raise io.UnsupportedOperation("this stored file reads forward only")
                while self._next_index < index:  # skip forward by reading
                    self._read_chunk()
            else:
                self._stored.seek(HEADER_LEN + index * SEALED_CHUNK)
                self._next_index, self._ahead = index, b""
        self._plain = self._read_chunk()
        self._index = index

    def _read_chunk(self) -> bytes:
        sealed = self._ahead + _read_exact(self._stored, SEALED_CHUNK - len(self._ahead))
        self._ahead = b""
        last = len(sealed) < SEALED_CHUNK
        if not last:
            self._ahead = _read_exact(self._stored, 1)
            last = not self._ahead
        index = self._next_index
        try:
            plain = self._aead.decrypt(_nonce(self._prefix, index, last), sealed, self._header)
        except InvalidTag:
            raise FileEncryptionError(
                "A stored file failed its integrity check: it was changed, cut short or is damaged."
            ) from None
        self._next_index = index + 1
        if last:
            self._size = index * CHUNK + len(plain)
        return plain

    def readinto(self, buffer: Any) -> int:
        if self._size is not None and self._pos >= self._size:
            return 0
        index, offset = divmod(self._pos, CHUNK)
        if index != self._index:
            if self._index >= 0 and self._index == index - 1 and len(self._plain) < CHUNK:
                return 0  # the held chunk was the last
            self._load(index)
        data = self._plain[offset : offset + len(buffer)]
        n = len(data)
        buffer[:n] = data
        self._pos += n
        return n

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self._stored.close()
        super().close()


# --- The storage -------------------------------------------------------------------------


@deconstructible(path="config.encryption.EncryptedStorage")
class EncryptedStorage(Storage):
    """``STORAGES["default"]``: every file encrypted into the backend named ``inner``."""

    def __init__(self, inner: str = "files") -> None:
        self.inner_alias = inner

    @property
    def inner(self) -> Storage:
        return storages[self.inner_alias]

    def _open(self, name: str, mode: str = "rb") -> File:
        if "w" in mode or "a" in mode or "+" in mode:
            raise ValueError("Encrypted files are written with save(), never opened to write.")
        stored = self.inner.open(name, "rb")
        try:
            size = stored.size
        except (AttributeError, OSError, TypeError):
            size = None
        raw = DecryptingReader(stored, size, keyring())
        file = File(io.BufferedReader(raw, buffer_size=CHUNK), name=name)
        if raw._size is not None:
            file.size = raw._size
        if "b" not in mode:
            return File(io.TextIOWrapper(file.file, encoding="utf-8"), name=name)
        return file

    def _save(self, name: str, content: File) -> str:
        return self.inner._save(name, encrypting_file(content, name))

    # Names, listings and times are the backend's own; sizes are the plain sizes.
    def get_valid_name(self, name: str) -> str:
        return self.inner.get_valid_name(name)

    def get_available_name(self, name: str, max_length: int | None = None) -> str:
        return self.inner.get_available_name(name, max_length=max_length)

    def generate_filename(self, filename: str) -> str:
        return self.inner.generate_filename(filename)

    def delete(self, name: str) -> None:
        self.inner.delete(name)

    def exists(self, name: str) -> bool:
        return self.inner.exists(name)

    def listdir(self, path: str) -> tuple[list[str], list[str]]:
        return self.inner.listdir(path)

    def size(self, name: str) -> int:
        return plain_size(self.inner.size(name))

    def url(self, name: str | None) -> str:
        raise NotImplementedError("Stored files are only served through the product's views.")

    def get_accessed_time(self, name: str) -> datetime:
        return self.inner.get_accessed_time(name)

    def get_created_time(self, name: str) -> datetime:
        return self.inner.get_created_time(name)

    def get_modified_time(self, name: str) -> datetime:
        return self.inner.get_modified_time(name)


# --- Rotation ----------------------------------------------------------------------------

CURRENT, ROTATED, ENCRYPTED, GONE = "current", "rotated", "encrypted", "gone"


def rotate_file(name: str, storage: EncryptedStorage | None = None) -> str:
    """Bring one stored file under the current key, in place; says what it did.

    Already under the current key: left alone (so a rerun resumes where one stopped).
    Under an older key: decrypted and re-encrypted as it streams. Not encrypted at all
    (kept before encryption was on): encrypted. Raises FileEncryptionError for a file
    under a key no longer listed, or damaged, leaving it as it was."""
    storage = storage or EncryptedStorage()
    inner = storage.inner
    ring = keyring()
    try:
        with inner.open(name, "rb") as stored:
            key_id = header_key_id(_read_exact(stored, HEADER_LEN))
    except FileNotFoundError:
        return GONE
    if key_id == ring.current:
        return CURRENT
    if not hasattr(inner, "replace"):
        raise ImproperlyConfigured(f"{type(inner).__name__} cannot replace files in place.")
    try:
        if key_id is None:
            source, outcome = inner.open(name, "rb"), ENCRYPTED
        else:
            source, outcome = storage.open(name, "rb"), ROTATED
    except FileNotFoundError:
        return GONE
    with source:
        inner.replace(name, encrypt_chunks(source.chunks(), ring))
    return outcome
