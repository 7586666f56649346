"""Issue 13: an officer asks the requester to clarify (the clock stops), the requester
answers on their status page, and the officer's page shows the clock running again from
that day."""

import re
from datetime import timedelta

import pytest

from dsar import services
from dsar.choices import Channel, Right, Status
from tests.browser.conftest import assert_accessible, screenshot
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def long(day) -> str:
    return f"{day:%a} {day.day} {day:%b %Y}"


def test_requester_answers_a_clarification_and_the_officer_sees_the_clock_running_again(
    page, browser, live_server, controller, officer
):
    today = controller.today()
    case = services.case_create(
        controller=controller,
        right=Right.ACCESS,
        channel=Channel.EMAIL,
        fields={"requester_name": "Ada Lovelace", "requester_email": "ada@example.net"},
        received_on=today - timedelta(days=5),
        by=officer,
    )
    due_before = case.due_date

    # The officer asks, from the case page: the question goes out and the clock stops.
    officer_context = browser.new_context(base_url=live_server.url, locale="en-GB")
    officer_page = officer_context.new_page()
    officer_page.set_default_timeout(15_000)
    officer_page.goto(f"/cases/{case.reference}/")
    officer_page.get_by_label("Username").fill(officer.username)
    officer_page.get_by_label("Password").fill(PASSWORD)
    officer_page.get_by_role("button", name="Sign in").click()
    officer_page.wait_for_url(re.compile(rf"/cases/{case.reference}/$"))
    officer_page.get_by_text("Ask the requester to clarify (stops the clock)").click()
    officer_page.get_by_label("What do you need to know?").fill(
        "Which of your two loyalty cards do you mean?"
    )
    officer_page.get_by_role("button", name="Send the question and pause").click()
    officer_page.get_by_text("Question sent: the clock is stopped").wait_for()
    case.refresh_from_db()
    assert case.status == Status.AWAITING_REQUESTER

    # The requester follows the link in the email and answers on their status page.
    body = case.emails.get(template="clarification_request").body_text
    link = re.search(r"https?://\S+?(/status/\S+/)", body).group(1)
    page.goto(link)
    assert page.get_by_role("heading", name="Our question").is_visible()
    assert "Which of your two loyalty cards do you mean?" in page.content()
    assert_accessible(page)
    page.get_by_label("Your answer").fill("The blue one, number ending 4321.")
    page.get_by_role("button", name="Send my answer").click()
    page.get_by_text("The time limit runs again from today").wait_for()
    screenshot(page, "status-page-answered")
    case.refresh_from_db()
    assert case.status == Status.IN_PROGRESS
    assert case.due_date >= due_before  # the paused day is added (then the roll)

    # The officer's page shows the answer and the clock running again from today.
    officer_page.reload()
    text = officer_page.content()
    assert (
        f"Answered {long(today)} by the requester on their status page: the clock runs "
        "again from that day." in text
    )
    assert "The blue one, number ending 4321." in text
    assert f"Due {long(case.due_date)}" in text
    assert_accessible(officer_page)
    screenshot(officer_page, "case-clock-running-again")
    officer_context.close()
