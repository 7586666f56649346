"""What the status page shows of the message thread (kept apart so the page's view and the
thread's views share it without importing each other)."""

from __future__ import annotations

from typing import Any

from dsar.models import Case
from dsar.thread.selectors import thread_for

from .thread_forms import RequesterMessageForm


def thread_context(case: Case, bound: Any = None) -> dict[str, Any]:
    return {
        "thread": thread_for(case),
        "thread_form": bound or (RequesterMessageForm() if case.is_open else None),
    }
