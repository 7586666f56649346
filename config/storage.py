"""Where files live: local disk by default, S3-compatible object storage when configured.

Every file the product keeps (evidence, letters, exports, collected records, logos) goes
through ``STORAGES["files"]``:

- **Local disk** (the embedded default): `WholeFileSystemStorage` under ``MEDIA_ROOT``.
  Each file is written under a temporary name in its folder (``.partial-...``), flushed
  to disk, then made visible under its real name in one step; a failed write removes the
  temporary file, so no reader ever sees half a file and no failure leaves one behind. A
  process killed mid-write can leave a ``.partial-`` file: the orphan-file sweep
  (dsar.files) removes it after a day.
- **Object storage**: set ``STORAGE_URL`` (or the usual ``AWS_STORAGE_BUCKET_NAME``,
  ``AWS_S3_ENDPOINT_URL``, ``AWS_S3_REGION_NAME``, ``AWS_ACCESS_KEY_ID``,
  ``AWS_SECRET_ACCESS_KEY``) and every web and worker host reads and writes the same
  bucket through django-storages:

      STORAGE_URL=s3://KEY:SECRET@bucket-name/optional/prefix?endpoint_url=https://s3.example.net&region=eu-west-2

  Without ``KEY:SECRET@`` the credentials come from the ``AWS_*`` variables or the host's
  role. An object appears only when its upload completes (large files go up as a
  multipart upload, a few 8 MB parts at a time, so memory stays flat), and reads stream
  the object's body back in chunks. Objects are private; nothing is served from the
  bucket directly: downloads go through the product's audited views.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured
from django.core.files import File
from django.core.files.storage import FileSystemStorage

PARTIAL_PREFIX = ".partial-"


def files_storage(env: Any) -> dict[str, Any]:
    """The ``STORAGES["files"]`` entry for this environment."""
    url = env.str("STORAGE_URL", default="")
    if url:
        return {"BACKEND": "config.object_storage.ObjectStorage", "OPTIONS": parse_storage_url(url)}
    bucket = env.str("AWS_STORAGE_BUCKET_NAME", default="")
    if bucket:
        options = {
            "bucket_name": bucket,
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("AWS_S3_REGION_NAME", default="") or None,
            "location": env.str("AWS_LOCATION", default=""),
        }
        return {"BACKEND": "config.object_storage.ObjectStorage", "OPTIONS": options}
    return {"BACKEND": "config.storage.WholeFileSystemStorage"}


def parse_storage_url(url: str) -> dict[str, Any]:
    """``s3://[KEY:SECRET@]bucket[/prefix][?endpoint_url=...&region=...]`` as options."""
    parts = urlsplit(url)
    if parts.scheme != "s3" or not parts.hostname:
        raise ImproperlyConfigured(
            "STORAGE_URL must look like s3://KEY:SECRET@bucket/prefix?endpoint_url=https://..."
        )
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    options: dict[str, Any] = {
        # The bucket as written (urlsplit lower-cases hostname; bucket names are lower
        # case anyway, but keep what was given).
        "bucket_name": parts.netloc.rsplit("@", 1)[-1],
        "location": parts.path.strip("/"),
        "endpoint_url": query.get("endpoint_url") or None,
        "region_name": query.get("region") or query.get("region_name") or None,
    }
    if parts.username:
        options["access_key"] = unquote(parts.username)
        options["secret_key"] = unquote(parts.password or "")
    if query.get("addressing_style"):
        options["addressing_style"] = query["addressing_style"]
    return options


class WholeFileSystemStorage(FileSystemStorage):
    """Django's file storage, but a file appears under its name only once it is complete."""

    def _save(self, name: str, content: File) -> str:
        full_path = self.path(name)
        directory = os.path.dirname(full_path)
        self._make_folder(directory)
        # mkstemp: a fresh name, created 0600, never followed through a symlink.
        handle, partial = tempfile.mkstemp(prefix=PARTIAL_PREFIX, dir=directory)
        try:
            with os.fdopen(handle, "wb") as out:
                for chunk in content.chunks():
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            if self.file_permissions_mode is not None:
                os.chmod(partial, self.file_permissions_mode)
            while True:
                try:
                    os.link(partial, full_path)  # atomic, and never replaces a file
                    break
                except FileExistsError:
                    name = self.get_available_name(name)
                    full_path = self.path(name)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(partial)
        return str(name).replace("\\", "/")

    def _make_folder(self, directory: str) -> None:
        """The folder and any missing parents, all with the folder mode (0700: issue 18)."""
        if self.directory_permissions_mode is None:
            os.makedirs(directory, exist_ok=True)
            return
        missing = []
        path = directory
        while path and not os.path.isdir(path):
            missing.append(path)
            path = os.path.dirname(path)
        for folder in reversed(missing):
            with contextlib.suppress(FileExistsError):
                os.mkdir(folder)
            os.chmod(folder, self.directory_permissions_mode)

    def replace(self, name: str, chunks: Iterator[bytes]) -> None:
        """Write ``chunks`` as the new content of the existing file ``name`` in one step
        (rotate_keys): readers see the old file or the new one, never a mix."""
        full_path = self.path(name)
        handle, partial = tempfile.mkstemp(prefix=PARTIAL_PREFIX, dir=os.path.dirname(full_path))
        try:
            with os.fdopen(handle, "wb") as out:
                for chunk in chunks:
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            if self.file_permissions_mode is not None:
                os.chmod(partial, self.file_permissions_mode)
            os.replace(partial, full_path)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(partial)
