"""Serving a thread file, to an officer or to the requester: always as a download that
the browser may not sniff or run."""

from __future__ import annotations

from django.http import FileResponse

from ..mailbox.models import InboundFile
from .models import MessageFile


def serve_message_file(stored: MessageFile | InboundFile) -> FileResponse:
    response = FileResponse(
        stored.file.open("rb"),
        as_attachment=True,
        filename=stored.name,
        content_type=stored.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    return response
