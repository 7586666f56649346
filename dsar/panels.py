"""Panels that satellite apps add to the officer's case page and the requester's status page.

Both pages are composed here so `identity` and `exports` can contribute a section
(verification steps, letters and documents, the requester's downloads) without the core
importing them: each app registers its panels in `AppConfig.ready()`. A case panel sees
whether the officer may act; a status panel is shown to the requester, who holds only the
page's link (`token`), and must show nothing meant for officers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.http import HttpRequest

    from .models import Case


@dataclass(frozen=True)
class CasePanel:
    key: str
    template: str  # rendered with `panel` (the context dict), `case` and `can_act`
    context: Callable[[HttpRequest, Case, bool], dict[str, Any]]
    order: int = 100


@dataclass(frozen=True)
class StatusPanel:
    key: str
    template: str  # rendered with `panel` (the context dict), `case` and `token`
    context: Callable[[HttpRequest, Case], dict[str, Any]]
    order: int = 100


_panels: dict[str, CasePanel] = {}
_status_panels: dict[str, StatusPanel] = {}


def register_case_panel(panel: CasePanel) -> CasePanel:
    _panels[panel.key] = panel
    return panel


def case_panels(request: HttpRequest, case: Case, can_act: bool) -> list[dict[str, Any]]:
    return [
        {"key": p.key, "template": p.template, "context": p.context(request, case, can_act)}
        for p in sorted(_panels.values(), key=lambda p: p.order)
    ]


def case_panel(request: HttpRequest, case: Case, can_act: bool, key: str) -> dict[str, Any] | None:
    """One panel alone, for a page that refreshes a panel while its background work runs."""
    panel = _panels.get(key)
    if panel is None:
        return None
    return {
        "key": key,
        "template": panel.template,
        "context": panel.context(request, case, can_act),
    }


def register_status_panel(panel: StatusPanel) -> StatusPanel:
    _status_panels[panel.key] = panel
    return panel


def status_panels(request: HttpRequest, case: Case) -> list[dict[str, Any]]:
    return [
        {"key": p.key, "template": p.template, "context": p.context(request, case)}
        for p in sorted(_status_panels.values(), key=lambda p: p.order)
    ]
