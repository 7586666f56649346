"""Headless Chromium (Debian's package) driven by Playwright, with axe-core checks."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.servers import unavailable

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# between page actions are still synchronous, so Django's guard is relaxed here only.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _chromium_path() -> str | None:
    return (
        os.environ.get("CHROMIUM_PATH")
        or shutil.which("chromium")
        or shutil.which("chromium-browser")
    )


@pytest.fixture(scope="session")
def browser():
    path = _chromium_path()
    if not path:
        unavailable("No chromium on this machine: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def screenshot(page, name: str) -> Path:
    """Kept in test-results/ so a person can look at what the test saw."""
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def assert_accessible(page) -> None:
    """No serious or critical axe-core violations on the current page."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    bad = [v for v in results.response["violations"] if v.get("impact") in {"serious", "critical"}]
    assert not bad, "\n".join(
        f"{v['impact']}: {v['id']}: {v['help']} "
        f"({len(v['nodes'])} nodes, e.g. {v['nodes'][0]['target']})"
        for v in bad
    )


def assert_no_third_party_requests(requests: list[str], base_url: str) -> None:
    outside = [
        url for url in requests if not url.startswith(base_url) and not url.startswith("data:")
    ]
    assert not outside, f"Requests left the site: {outside}"
