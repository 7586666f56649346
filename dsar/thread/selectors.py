"""Reading a case's thread: messages with their files, in two queries."""

from __future__ import annotations

from dsar.models import Case

from .models import Message


def thread_for(case: Case) -> list[Message]:
    return list(
        Message.objects.filter(case=case).select_related("author").prefetch_related("files")
    )
