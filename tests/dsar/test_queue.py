"""The officer queue: who sees what, filters, ordering, deadline marks, paging, queries."""

import datetime as dt
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dsar.choices import Right, Status
from tests.factories import CaseFactory, MembershipFactory

pytestmark = pytest.mark.django_db

QUEUE = reverse("dsar:queue")
TODAY = dt.date(2026, 3, 10)  # a Tuesday
ROW = re.compile(r'<th scope="row"[^>]*><a href="[^"]+">(DSAR-\d{4}-\d{6})</a></th>')


@pytest.fixture(autouse=True)
def _pinned_today():
    with time_machine.travel("2026-03-10 10:00 +00:00", tick=False):
        yield


def refs(response) -> list[str]:
    """References in the queue table, in the order shown."""
    assert response.status_code == 200
    return ROW.findall(response.content.decode())


def row_for(response, reference: str) -> str:
    html = response.content.decode()
    start = html.rindex("<tr", 0, html.index(f">{reference}</a>"))
    return html[start : html.index("</tr>", start)]


def due_in(days: int) -> dt.date:
    return TODAY + dt.timedelta(days=days)


def test_anonymous_user_is_sent_to_login(client):
    response = client.get(QUEUE)
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={QUEUE}"


def test_officer_sees_open_cases_of_their_controller(officer_client, controller):
    mine = CaseFactory(controller=controller)
    closed = CaseFactory(controller=controller, status=Status.CLOSED)
    assert refs(officer_client.get(QUEUE)) == [mine.reference]
    assert closed.reference not in officer_client.get(QUEUE).content.decode()


def test_outsider_sees_none_of_another_controllers_cases(client, outsider, case):
    client.force_login(outsider)
    response = client.get(QUEUE)
    assert refs(response) == []
    assert case.reference not in response.content.decode()
    # Not even by asking for that controller or searching for the reference.
    assert refs(client.get(QUEUE, {"controller": "acme", "q": case.reference})) == []


def test_cases_are_sorted_by_due_date_soonest_first(officer_client, controller):
    later = CaseFactory(controller=controller, due_date=due_in(20))
    overdue = CaseFactory(controller=controller, due_date=due_in(-2))
    soon = CaseFactory(controller=controller, due_date=due_in(3))
    assert refs(officer_client.get(QUEUE)) == [overdue.reference, soon.reference, later.reference]


def test_overdue_and_due_soon_rows_are_marked_with_a_class_and_words(officer_client, controller):
    overdue = CaseFactory(controller=controller, due_date=due_in(-3))
    soon = CaseFactory(controller=controller, due_date=due_in(2))
    relaxed = CaseFactory(controller=controller, due_date=due_in(20))
    response = officer_client.get(QUEUE)

    row = row_for(response, overdue.reference)
    assert 'class="overdue"' in row and "Overdue by 3 days" in row
    row = row_for(response, soon.reference)
    assert 'class="due-soon"' in row and "Due in 2 days" in row
    row = row_for(response, relaxed.reference)
    assert "overdue" not in row and "due-soon" not in row and "20 days left" in row


def test_a_case_waiting_for_identity_is_not_counted_down(officer_client, controller):
    """Its month has not started, so 'overdue' or 'days left' would mislead."""
    waiting = CaseFactory(
        controller=controller, status=Status.AWAITING_IDENTITY, due_date=due_in(-3)
    )
    row = row_for(officer_client.get(QUEUE), waiting.reference)
    assert "Clock not started: waiting for identity evidence" in row
    assert "overdue" not in row.lower()
    page = officer_client.get(waiting.get_absolute_url()).content.decode()
    assert "at the earliest" in page


def test_filter_by_status_shows_only_those_statuses(officer_client, controller):
    paused = CaseFactory(controller=controller, status=Status.AWAITING_REQUESTER)
    review = CaseFactory(controller=controller, status=Status.READY_FOR_REVIEW)
    CaseFactory(controller=controller, status=Status.IN_PROGRESS)
    closed = CaseFactory(controller=controller, status=Status.CLOSED)

    shown = refs(officer_client.get(QUEUE, {"status": [Status.AWAITING_REQUESTER, Status.CLOSED]}))
    assert sorted(shown) == sorted([paused.reference, closed.reference])
    assert refs(officer_client.get(QUEUE, {"status": Status.READY_FOR_REVIEW})) == [
        review.reference
    ]


def test_filter_by_right(officer_client, controller):
    erasure = CaseFactory(controller=controller, right=Right.ERASURE)
    CaseFactory(controller=controller, right=Right.ACCESS)
    assert refs(officer_client.get(QUEUE, {"right": Right.ERASURE})) == [erasure.reference]


def test_filter_by_controller_lists_only_the_users_controllers(
    officer_client, officer, controller, other_controller
):
    third = CaseFactory().controller  # a controller the officer is not granted
    MembershipFactory(user=officer, controller=other_controller)
    acme = CaseFactory(controller=controller)
    other = CaseFactory(controller=other_controller)

    response = officer_client.get(QUEUE, {"controller": "other"})
    assert refs(response) == [other.reference]
    html = response.content.decode()
    assert '<option value="acme">Acme Retail</option>' in html
    assert third.name not in html
    assert acme.reference in refs(officer_client.get(QUEUE, {"controller": "acme"}))


def test_controller_column_appears_only_for_users_of_several_controllers(
    officer_client, officer, controller, other_controller
):
    CaseFactory(controller=controller)
    assert '<th scope="col">Controller</th>' not in officer_client.get(QUEUE).content.decode()
    MembershipFactory(user=officer, controller=other_controller)
    assert '<th scope="col">Controller</th>' in officer_client.get(QUEUE).content.decode()


def test_filter_by_assignee_me_unassigned_or_a_named_officer(
    officer_client, officer, second_officer, controller
):
    mine = CaseFactory(controller=controller, assignee=officer)
    sams = CaseFactory(controller=controller, assignee=second_officer)
    nobodys = CaseFactory(controller=controller, assignee=None)

    assert refs(officer_client.get(QUEUE, {"assignee": "me"})) == [mine.reference]
    assert refs(officer_client.get(QUEUE, {"assignee": "none"})) == [nobodys.reference]
    response = officer_client.get(QUEUE, {"assignee": str(second_officer.pk)})
    assert refs(response) == [sams.reference]
    assert f'<option value="{second_officer.pk}" selected>Sam Second</option>' in (
        response.content.decode()
    )


def test_filter_by_due_window(officer_client, controller):
    overdue = CaseFactory(controller=controller, due_date=due_in(-1))
    this_week = CaseFactory(controller=controller, due_date=due_in(5))
    CaseFactory(controller=controller, due_date=due_in(25))

    assert refs(officer_client.get(QUEUE, {"due": "overdue"})) == [overdue.reference]
    assert refs(officer_client.get(QUEUE, {"due": "7"})) == [overdue.reference, this_week.reference]


@pytest.mark.parametrize(
    "query",
    ["DSAR-2026-123456", "dsar-2026-123456", "lovelace", "Ada Love", "ADA@example.net"],
)
def test_search_finds_by_reference_name_or_email(officer_client, controller, query):
    wanted = CaseFactory(
        controller=controller,
        reference="DSAR-2026-123456",
        requester_name="Ada Lovelace",
        requester_email="ada@example.net",
    )
    CaseFactory(controller=controller, requester_name="Charles Babbage")
    assert refs(officer_client.get(QUEUE, {"q": query})) == [wanted.reference]


def test_search_finds_the_data_subject_when_someone_acts_for_them(officer_client, controller):
    wanted = CaseFactory(
        controller=controller, requester_name="A Solicitor", subject_name="Mary Shelley"
    )
    CaseFactory(controller=controller)
    response = officer_client.get(QUEUE, {"q": "shelley"})
    assert refs(response) == [wanted.reference]
    assert "for Mary Shelley" in row_for(response, wanted.reference)


def test_filters_combine_and_can_be_cleared(officer_client, officer, controller):
    wanted = CaseFactory(controller=controller, right=Right.ERASURE, assignee=officer)
    CaseFactory(controller=controller, right=Right.ERASURE)
    CaseFactory(controller=controller, right=Right.ACCESS, assignee=officer)

    response = officer_client.get(QUEUE, {"right": Right.ERASURE, "assignee": "me"})
    assert refs(response) == [wanted.reference]
    html = response.content.decode()
    assert "1 case open matching these filters." in html
    assert f'<a href="{QUEUE}">Clear filters</a>' in html


def test_no_matching_cases_says_so(officer_client, controller):
    CaseFactory(controller=controller)
    html = officer_client.get(QUEUE, {"q": "nobody-at-all"}).content.decode()
    assert "No cases match these filters." in html
    assert "0 cases matching these filters." in html


def test_empty_queue_says_there_is_nothing_open(officer_client, controller):
    assert "No open cases." in officer_client.get(QUEUE).content.decode()


def test_queue_pages_by_fifty_and_page_links_keep_the_filters(officer_client, controller):
    cases = [
        CaseFactory(controller=controller, right=Right.ERASURE, due_date=due_in(n % 40))
        for n in range(53)
    ]
    CaseFactory(controller=controller, right=Right.ACCESS)
    expected = [c.reference for c in sorted(cases, key=lambda c: (c.due_date, c.pk))]

    first = officer_client.get(QUEUE, {"right": Right.ERASURE})
    assert refs(first) == expected[:50]
    html = first.content.decode()
    assert "53 cases open matching these filters." in html
    assert "Page 1 of 2" in html
    assert 'href="?right=erasure&amp;page=2"' in html

    second = officer_client.get(QUEUE, {"right": Right.ERASURE, "page": 2})
    assert refs(second) == expected[50:]
    assert 'href="?right=erasure&amp;page=1"' in second.content.decode()


def test_a_page_number_out_of_range_shows_the_last_page(officer_client, controller):
    case = CaseFactory(controller=controller)
    assert refs(officer_client.get(QUEUE, {"page": 99})) == [case.reference]
    assert refs(officer_client.get(QUEUE, {"page": "not-a-number"})) == [case.reference]


def test_queue_runs_the_same_number_of_queries_for_5_or_50_cases(
    officer_client,
    officer,
    second_officer,
    controller,
    other_controller,
    django_assert_num_queries,
):
    # Two controllers, assignees and subjects: every per-row join a naive page would add.
    MembershipFactory(user=officer, controller=other_controller)

    def make(n):
        for i in range(n):
            CaseFactory(
                controller=controller if i % 2 else other_controller,
                assignee=[officer, second_officer, None][i % 3],
                subject_name="Someone Else" if i % 4 == 0 else "",
                due_date=due_in(i % 12 - 4),
            )

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = officer_client.get(QUEUE)
        assert response.status_code == 200
        return len(ctx.captured_queries), len(refs(response))

    make(5)
    queries_for_5, rows = count()
    assert rows == 5
    make(45)
    with django_assert_num_queries(queries_for_5):
        response = officer_client.get(QUEUE)
    assert len(refs(response)) == 50
