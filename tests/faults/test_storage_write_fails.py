"""A storage write failing: the letter's PDF cannot be written (the kernel refuses the
bytes past a size limit, as a full disk would). No file, whole or partial, is left; the
letter is failed with the reason, to be made again from the case page."""

from __future__ import annotations

import os
import resource
from contextlib import contextmanager

import pytest
from django.conf import settings

from dsar.models import OutgoingEmail
from exports.models import Document

pytestmark = pytest.mark.django_db(transaction=True)


@contextmanager
def file_size_limit(limit: int):
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))


def stored_files() -> list[str]:
    root = settings.MEDIA_ROOT
    return [os.path.join(d, n) for d, _, names in os.walk(root) for n in names]


def test_a_failed_letter_write_leaves_no_file_and_sends_nothing(letter_case, demo_officer, issue):
    with file_size_limit(8 * 1024):
        document = issue(
            case=letter_case, kind="acknowledgement", by=demo_officer, delivery="email"
        )

    document.refresh_from_db()
    assert document.status == Document.Status.FAILED  # the last attempt: failed, not pending
    assert document.failure == "The PDF could not be stored (OSError)."  # on the case page
    assert not document.file
    assert stored_files() == []  # no partial or empty PDF behind
    letters = OutgoingEmail.objects.filter(template="letter")
    assert not letters.filter(state=OutgoingEmail.State.SENT).exists()
    print(f"counts: documents=1 ({document.status}) files=0 letter emails sent=0")
