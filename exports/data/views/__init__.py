"""Officer pages of the data half: the "Personal data" panel's actions and disclosure."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest

from dsar.errors import CaseActionError


def tried(request: HttpRequest, change: Callable[[], object], success: str) -> None:
    """A one-button change: the service's refusal, or ``success``, as the page's message."""
    try:
        change()
    except CaseActionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, success)
