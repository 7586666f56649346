"""Files that came with a request by email (issue 15): kept as the case's documents.

Registered with dsar.mailbox in ExportsConfig.ready(), so the core never imports exports.
Each file is copied, so the case's documents and the triage record never share a file.
"""

from __future__ import annotations

import os
import secrets

from django.contrib.auth.models import AbstractBaseUser
from django.core.files.storage import default_storage
from django.utils import timezone

from dsar.mailbox.models import InboundFile
from dsar.models import Case

from .models import Document


def keep_received_files(case: Case, files: list[InboundFile], by: AbstractBaseUser) -> None:
    year = timezone.now().year
    for received in files:
        extension = os.path.splitext(received.file.name)[1][:9] or ".bin"
        with received.file.open("rb") as source:
            name = default_storage.save(
                f"documents/{year}/{secrets.token_hex(16)}{extension}", source
            )
        Document.objects.create(
            case=case,
            category=Document.Category.RECEIVED,
            kind="original_email" if received.is_original else "email_attachment",
            title=("The request email (.eml)" if received.is_original else received.name)[:200],
            status=Document.Status.READY,
            file=name,
            sha256=received.sha256,
            size=received.size,
            content_type=received.content_type,
            produced_by=by,
        )
