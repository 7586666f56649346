"""The panel registry: satellite apps add sections to the case page and the status page."""

from __future__ import annotations

import pytest

from dsar import panels
from dsar.panels import StatusPanel, register_status_panel, status_panels


@pytest.fixture
def registry(monkeypatch):
    """An empty status-page registry, so a test's own panels alone are shown and gone after."""
    monkeypatch.setattr(panels, "_status_panels", {})


def test_exports_shows_the_requesters_downloads_on_the_status_page():
    registered = panels._status_panels["downloads"]
    assert registered.template == "exports/data/_status_downloads.html"


def test_status_panels_come_in_order_each_with_its_context(registry, rf):
    register_status_panel(StatusPanel("late", "late.html", lambda r, c: {"n": 2}, order=999))
    register_status_panel(StatusPanel("early", "early.html", lambda r, c: {"n": 1}, order=-1))
    assert status_panels(rf.get("/"), case=None) == [
        {"key": "early", "template": "early.html", "context": {"n": 1}},
        {"key": "late", "template": "late.html", "context": {"n": 2}},
    ]
