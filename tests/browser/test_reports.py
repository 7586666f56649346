"""Issue 16 in a real browser: the reports page passes axe, its charts are drawn without
a script, and a figure opens the queue on exactly its cases. Screenshots are kept in
test-results/ (reports.png, reports-print.png) for a person to look at."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from dsar.choices import Channel, Outcome, RefusalGround, Right, Status
from tests.browser.conftest import assert_accessible, screenshot
from tests.browser.test_requesters import sign_in
from tests.factories import CaseFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def noon(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)


@pytest.fixture
def a_year_of_cases(controller, officer, second_officer):
    """Requests over the last months: answered on time and late, refused, withdrawn, open."""
    today = controller.today()
    closed = {"status": Status.CLOSED, "outcome": Outcome.FULFILLED}
    made = []
    for months_ago, right, channel in [
        (6, Right.ACCESS, Channel.EMAIL),
        (5, Right.ERASURE, Channel.WEB),
        (4, Right.ACCESS, Channel.WEB),
        (3, Right.RECTIFICATION, Channel.POST),
        (2, Right.ACCESS, Channel.PHONE),
    ]:
        received = today - dt.timedelta(days=30 * months_ago)
        made.append(
            CaseFactory(
                controller=controller,
                right=right,
                channel=channel,
                received_on=received,
                assignee=officer,
                closed_at=noon(received + dt.timedelta(days=20)),
                **closed,
            )
        )
        made.append(
            CaseFactory(
                controller=controller,
                right=right,
                channel=Channel.EMAIL,
                received_on=received + dt.timedelta(days=2),
                assignee=second_officer,
                closed_at=noon(received + dt.timedelta(days=40)),
                **closed,
            )
        )
    CaseFactory(
        controller=controller,
        received_on=today - dt.timedelta(days=50),
        status=Status.REFUSED,
        refusal_ground=RefusalGround.MANIFESTLY_EXCESSIVE,
        closed_at=noon(today - dt.timedelta(days=45)),
    )
    CaseFactory(
        controller=controller,
        received_on=today - dt.timedelta(days=40),
        status=Status.WITHDRAWN,
        closed_at=noon(today - dt.timedelta(days=39)),
    )
    CaseFactory(
        controller=controller, received_on=today - dt.timedelta(days=40), assignee=officer
    )  # overdue
    CaseFactory(
        controller=controller,
        received_on=today - dt.timedelta(days=3),
        extended=True,
        extension_reason="Complex: six systems.",
    )
    return made  # fmt: skip


def test_the_reports_page_is_accessible_and_a_figure_opens_its_cases(
    page, controller, officer, a_year_of_cases
):
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    sign_in(page, officer, "/reports/")

    page.get_by_label("Last 12 months").check()
    page.get_by_role("button", name="Show the report").click()
    page.wait_for_url(re.compile(r"range=last_12_months"))

    assert page.get_by_role("heading", name="Reports", level=1).is_visible()
    charts = page.locator("svg.chart-svg[role=img]")
    assert charts.count() == 7
    assert charts.first.is_visible()
    assert page.locator("[data-figure='received.total']").inner_text() == "14"
    assert page.locator("[data-figure='timeliness.late']").inner_text() == "5"
    assert_accessible(page)
    assert not [url for url in requests if not url.startswith(page.url.split("/reports/")[0])]
    screenshot(page, "reports")
    page.emulate_media(media="print")
    screenshot(page, "reports-print")
    page.emulate_media(media="screen")

    page.locator("[data-figure='timeliness.late']").click()
    page.wait_for_url(re.compile(r"/queue/\?.*timeliness=late"))
    assert re.search(r"^5 cases\b", page.locator(".result-count").inner_text())
    assert page.locator("table.queue tbody tr").count() == 5
    assert_accessible(page)
