"""Exports on S3-compatible storage (issue 20 point 5): built by the worker into the bucket,
downloaded back through the audited link on any web host."""

from __future__ import annotations

import hashlib
import os

import pytest

from config.encryption import sealed_size
from exports.data.models import Download
from exports.data.services import delivery
from tests.exports.data.conftest import DATA_DB
from tests.exports.data.test_exports import make_export

pytestmark = [DATA_DB, pytest.mark.s3]


def test_an_export_lives_in_the_bucket_and_downloads_through_its_link(
    s3_storage, settings, demo_db, jane_case, data_officer, run, client
):
    export = make_export(run, jane_case, data_officer)
    document = export.document
    s3 = document.file.storage.inner.connection.meta.client
    head = s3.head_object(Bucket=s3_storage, Key=document.file.name)
    assert head["ContentLength"] == sealed_size(document.size)  # encrypted (issue 18)
    stored = s3.get_object(Bucket=s3_storage, Key=document.file.name)["Body"].read()
    assert not stored.startswith(b"PK") and b"data.json" not in stored
    assert not os.path.exists(settings.MEDIA_ROOT)  # nothing written to local disk

    link = run(delivery.download_link_create, document=document, by=data_officer, days=7)
    response = client.get(delivery.link_path(link))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    body = b"".join(response.streaming_content)
    assert hashlib.sha256(body).hexdigest() == document.sha256
    assert body.startswith(b"PK") and b"data.json" in body  # decrypted on the way out
    assert Download.objects.filter(link=link).count() == 1
