"""S3-compatible object storage for ``STORAGES["files"]`` (see config.storage).

Kept apart from config.storage so that settings never import boto3 unless object storage
is configured.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

from boto3.s3.transfer import TransferConfig
from botocore.exceptions import ClientError
from django.core.files import File
from storages.backends.s3 import S3Storage
from storages.utils import clean_name

MULTIPART_CHUNK = 8 * 1024 * 1024


class StreamedObject(io.RawIOBase):
    """An object's body read as it arrives, never held whole in memory or on disk."""

    def __init__(self, body: Any) -> None:
        self._body = body

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._body.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        self._body.close()
        super().close()


class ObjectStorage(S3Storage):
    """django-storages' S3 backend with this product's choices: private objects, names
    never overwritten, bounded multipart uploads and streamed reads."""

    def __init__(self, **options: Any) -> None:
        options.setdefault("default_acl", None)  # private: the bucket's own policy
        options.setdefault("file_overwrite", False)  # a taken name gets a fresh suffix
        options.setdefault("querystring_auth", True)
        if "transfer_config" not in options:
            transfer = TransferConfig(
                multipart_threshold=MULTIPART_CHUNK,
                multipart_chunksize=MULTIPART_CHUNK,
                max_concurrency=2,  # two parts going up at once
            )
            # A stream (an encrypted file is one) is read ahead into memory part by part:
            # s3transfer allows ten parts (80 MB) by default; two is all the uploads use.
            transfer.max_in_memory_upload_chunks = 2
            options["transfer_config"] = transfer
        super().__init__(**options)

    def _open(self, name: str, mode: str = "rb") -> File:
        if mode != "rb":
            return super()._open(name, mode)
        key = self._normalize_name(name)
        try:
            answer = self.connection.meta.client.get_object(Bucket=self.bucket_name, Key=key)
        except ClientError as err:
            if err.response.get("ResponseMetadata", {}).get("HTTPStatusCode") == 404:
                raise FileNotFoundError(f"File does not exist: {name}") from err
            raise
        stream = io.BufferedReader(StreamedObject(answer["Body"]), buffer_size=256 * 1024)
        file = File(stream, name=name)
        file.size = answer.get("ContentLength")
        return file

    def replace(self, name: str, chunks: Iterator[bytes]) -> None:
        """Upload ``chunks`` as the new content of the object ``name`` (rotate_keys): S3
        swaps an object whole when its upload completes, so readers never see a mix."""
        from config.encryption import IteratorReader

        key = self._normalize_name(clean_name(name))
        body = io.BufferedReader(IteratorReader(chunks), buffer_size=MULTIPART_CHUNK)
        self.connection.meta.client.upload_fileobj(
            body,
            self.bucket_name,
            key,
            ExtraArgs={"ContentType": "application/octet-stream"},
            Config=self.transfer_config,
        )
