"""Checks on an uploaded evidence file, by its content: never by its name or the type the
browser claims. Only PDF, JPEG and PNG are accepted; an executable renamed `.pdf` starts
with `MZ` (or `\\x7fELF`), not `%PDF-`, and is refused.

Active content (scripts, actions, attachments in PDFs; decompression bombs in images) is
refused by ``dsar.uploads``, the check shared with every other upload.

Pure functions over bytes and file-like objects: no ORM, no storage, no logging (an
evidence file's name and content never reach a log).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO

from dsar import uploads

CHUNK = 64 * 1024

# Content type -> (magic prefix, extension used for the stored name).
SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
)
EXTENSIONS = {content_type: ext for _magic, content_type, ext in SIGNATURES}


class EvidenceRejected(Exception):
    """The file is not acceptable; `message` says why, in words for the requester."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class CheckedFile:
    content_type: str
    extension: str
    size: int
    sha256: str


def sniff(head: bytes) -> str | None:
    """The content type the first bytes prove, or None (not PDF, JPEG or PNG)."""
    for magic, content_type, _ext in SIGNATURES:
        if head.startswith(magic):
            return content_type
    return None


def human_size(size: int) -> str:
    """10485760 -> "10 MB"; 1536 -> "1.5 KB"."""
    value = float(size)
    for unit in ("bytes", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            if unit == "bytes":
                return f"{int(value)} bytes"
            return f"{value:.1f}".rstrip("0").rstrip(".") + f" {unit}"
        value /= 1024
    raise AssertionError("unreachable")


def _chunks(stream: IO[bytes]) -> Iterable[bytes]:
    while chunk := stream.read(CHUNK):
        yield chunk


def check_file(stream: IO[bytes], *, size: int, max_bytes: int) -> CheckedFile:
    """Check a seekable binary stream; raise EvidenceRejected with a clear message.

    Reads the whole file once (for the hash and the PDF scan) and rewinds it, so the
    caller can store it next.
    """
    if size > max_bytes:
        raise EvidenceRejected(
            f"The file is too big ({human_size(size)}). Send a file of up to "
            f"{human_size(max_bytes)}: a photo or scan at a lower resolution will do."
        )
    if size == 0:
        raise EvidenceRejected("The file is empty. Choose the file again.")
    stream.seek(0)
    head = stream.read(16)
    content_type = sniff(head)
    if content_type is None:
        raise EvidenceRejected(
            "This file is not a PDF, JPEG or PNG, whatever its name says. Send a scan or "
            "photo of the document as a PDF, JPEG or PNG."
        )
    stream.seek(0)
    digest = hashlib.sha256()
    total = 0
    for chunk in _chunks(stream):
        digest.update(chunk)
        total += len(chunk)
        if total > max_bytes:
            raise EvidenceRejected(
                f"The file is too big. Send a file of up to {human_size(max_bytes)}."
            )
    # Parsed for active content (PDF) or decoded under a pixel limit (images): the one
    # check every accepted upload goes through (dsar.uploads).
    try:
        uploads.check_upload(stream, content_type)
    except uploads.UnsafeUpload as error:
        raise EvidenceRejected(error.message) from None
    stream.seek(0)
    return CheckedFile(content_type, EXTENSIONS[content_type], total, digest.hexdigest())
