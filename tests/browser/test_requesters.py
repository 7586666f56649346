"""Issue 15 in a real browser: an officer sorts the queue and assigns several cases at
once; the queue on a phone still shows when each case is due; a requester reads an
officer's message on their status page and answers it, and the officer sees the reply."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from dsar.choices import Right, Status
from dsar.models import Case
from dsar.thread.services import message_to_requester
from identity.tokens import status_path
from tests.browser.conftest import assert_accessible, screenshot
from tests.factories import PASSWORD, CaseFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, user, path: str = "/queue/") -> None:
    page.goto(path)
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(re.escape(path) + r"(\?.*)?$"))


def references_in_order(page) -> list[str]:
    return page.locator("table.queue tbody th[scope=row] a").all_inner_texts()


def test_officer_sorts_the_queue_keeping_the_filter_and_assigns_three_at_once(
    page, controller, officer, second_officer
):
    today = controller.today()
    cases = [
        CaseFactory(controller=controller, received_on=today - dt.timedelta(days=days))
        for days in (3, 20, 9)
    ]
    CaseFactory(controller=controller, right=Right.ERASURE)  # filtered out below
    sign_in(page, officer)

    page.get_by_label("Right").select_option(Right.ACCESS)
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(r"right=access"))
    by_due = [c.reference for c in sorted(cases, key=lambda c: c.due_date)]
    assert references_in_order(page) == by_due

    # Newest received first, then oldest: the right filter stays on through both.
    page.get_by_role("link", name="Received").click()
    page.wait_for_url(re.compile(r"sort=received"))
    assert "right=access" in page.url
    by_received = [c.reference for c in sorted(cases, key=lambda c: c.received_on)]
    assert references_in_order(page) == by_received
    page.get_by_role("link", name="Received").click()
    page.wait_for_url(re.compile(r"sort=-received"))
    assert "right=access" in page.url
    assert references_in_order(page) == by_received[::-1]
    received = page.get_by_role("columnheader", name="Received")
    assert received.get_attribute("aria-sort") == "descending"
    assert_accessible(page)

    for case in cases:
        page.get_by_label(f"Select {case.reference}").check()
    page.get_by_label("Assign ticked cases to").select_option(str(second_officer.pk))
    # The queue's address is the same before and after: wait for the POST's redirect.
    with page.expect_navigation(url=re.compile(r"sort=-received")):
        page.get_by_role("button", name="Assign", exact=True).click()
    assert page.locator("tbody").get_by_text("Sam Second").count() == 3
    screenshot(page, "queue-sorted-and-assigned")

    for case in cases:
        case.refresh_from_db()
        assert case.assignee == second_officer
        assert case.events.filter(kind="assigned").count() == 1


def test_the_queue_on_a_phone_keeps_the_due_column_in_view(
    browser, live_server, controller, officer
):
    CaseFactory.create_batch(
        3,
        controller=controller,
        requester_name="Maximiliana Featherstonehaugh-Cholmondeley",
        requester_email="maximiliana.featherstonehaugh-cholmondeley@example.net",
    )
    context = browser.new_context(
        base_url=live_server.url, locale="en-GB", viewport={"width": 390, "height": 844}
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, officer)
    due = page.get_by_role("columnheader", name="Due")
    box = due.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
    first_due = page.locator("table.queue tbody td.col-due").first
    cell = first_due.bounding_box()
    assert cell["x"] + cell["width"] <= 390
    assert first_due.inner_text().strip()
    assert_accessible(page)
    screenshot(page, "queue-phone")
    context.close()


def test_a_requester_answers_a_message_on_the_status_page(
    browser, live_server, controller, officer
):
    case = CaseFactory(controller=controller, requester_name="Ada Lovelace")
    message_to_requester(case=case, by=officer, body="Which store did you shop at in 2024, please?")

    requester = browser.new_context(base_url=live_server.url, locale="en-GB")
    page = requester.new_page()
    page.set_default_timeout(15_000)
    page.goto(status_path(case))
    messages = page.locator("#messages")
    assert "Which store did you shop at in 2024" in messages.inner_text()
    page.get_by_label("Your message").fill("The Leeds store, mostly on Saturdays.")
    page.get_by_role("button", name="Send your message").click()
    page.locator("#messages").get_by_text("The Leeds store, mostly on Saturdays.").wait_for()
    assert_accessible(page)
    screenshot(page, "status-message-answered")
    requester.close()

    officer_context = browser.new_context(base_url=live_server.url, locale="en-GB")
    officer_page = officer_context.new_page()
    officer_page.set_default_timeout(15_000)
    sign_in(officer_page, officer)
    row = officer_page.locator("tbody tr", has_text=case.reference)
    assert row.get_by_text("Requester replied").is_visible()
    row.get_by_role("link", name=case.reference).click()
    thread = officer_page.locator("#messages")
    assert "The Leeds store, mostly on Saturdays." in thread.inner_text()
    officer_context.close()
    assert Case.objects.get(pk=case.pk).status == Status.IN_PROGRESS
