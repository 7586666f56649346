"""Issue 18 point 5, as an attacker holding a copy of the disk would see it: the export
ZIP, the collected records and the letters are ciphertext on disk (files 0600), while the
product and the requester's download link get the plain file back."""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

import pytest
from django.core.files.storage import storages

from exports.data.models import SourceResult
from exports.data.services import delivery
from tests.exports.conftest import stored_bytes
from tests.exports.data.conftest import DATA_DB, JANE
from tests.exports.data.test_exports import make_export


def on_disk(name: str) -> bytes:
    path = Path(storages["files"].path(name))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600, name
    return path.read_bytes()


@DATA_DB
def test_an_export_and_its_records_hold_no_known_name_on_disk_and_download_plain(
    demo_db, jane_case, data_officer, run, client
):
    export = make_export(run, jane_case, data_officer)
    document = export.document

    raw = on_disk(document.file.name)
    assert not raw.startswith(b"PK") and b"data.json" not in raw
    records = [
        name for result in SourceResult.objects.all() for name in (result.files or {}).values()
    ]
    assert records
    plain = b""
    for name in records:
        stored = on_disk(name)
        assert b'"last_name"' not in stored and JANE["email"].encode() not in stored
        with storages["default"].open(name, "rb") as handle:
            plain += handle.read()
    assert b'"last_name": "Doe"' in plain and JANE["email"].encode() in plain  # read back

    link = run(delivery.download_link_create, document=document, by=data_officer, days=7)
    response = client.get(delivery.link_path(link))
    body = b"".join(response.streaming_content)
    assert body.startswith(b"PK") and b"data.json" in body
    assert hashlib.sha256(body).hexdigest() == document.sha256
    assert int(response["Content-Length"]) == document.size


@pytest.mark.django_db
def test_an_issued_letter_is_not_a_pdf_on_disk(letter_case, demo_officer, issue, settings):
    document = issue(case=letter_case, kind="acknowledgement", by=demo_officer, delivery="post")

    raw = on_disk(document.file.name)
    assert not raw.startswith(b"%PDF") and b"%PDF" not in raw
    assert stored_bytes(document).startswith(b"%PDF")
    folder = os.path.dirname(storages["files"].path(document.file.name))
    assert stat.S_IMODE(os.stat(folder).st_mode) == 0o700
