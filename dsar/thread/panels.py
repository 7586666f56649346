"""The thread on the officer's case page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from dsar.models import Case

from .hooks import attachable_documents
from .selectors import thread_for

TEMPLATE = "officer/_thread_panel.html"


def panel_context(
    request: HttpRequest, case: Case, can_act: bool, bound: Any = None
) -> dict[str, Any]:
    from dsar.forms.thread import OfficerMessageForm

    form = None
    if can_act and case.requester_email:
        form = bound or OfficerMessageForm(documents=attachable_documents(case))
    return {"thread": thread_for(case), "form": form, "can_act": can_act}
