"""The queue as a day's work: counts that filter, sorting, bulk assign, groups, queries."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dsar.choices import Right, Status
from dsar.models import CaseEvent
from tests.dsar.test_queue import QUEUE, _pinned_today, due_in, refs  # noqa: F401 (fixture)
from tests.factories import CaseFactory, ControllerFactory, MembershipFactory, officer_of

pytestmark = pytest.mark.django_db

ASSIGN = reverse("dsar:queue_assign")
COUNT = re.compile(r'href="\?show=(\w+)"[^>]*><span class="count">(\d+)</span>')


def counts(response) -> dict[str, int]:
    return {k: int(v) for k, v in COUNT.findall(response.content.decode())}


@pytest.fixture
def day_of_work(controller, officer, second_officer):
    """A mix of cases touching every count, and some that touch none."""
    return [
        CaseFactory(controller=controller, due_date=due_in(-2)),  # overdue, unassigned
        CaseFactory(controller=controller, due_date=due_in(-1), assignee=officer),  # overdue, mine
        CaseFactory(controller=controller, due_date=due_in(3), assignee=second_officer),  # week
        CaseFactory(controller=controller, due_date=due_in(20), status=Status.READY_FOR_REVIEW),
        CaseFactory(controller=controller, due_date=due_in(-5), status=Status.AWAITING_REQUESTER),
        CaseFactory(controller=controller, due_date=due_in(9), status=Status.AWAITING_IDENTITY),
        CaseFactory(controller=controller, due_date=due_in(25), status=Status.UNCONFIRMED),
        CaseFactory(controller=controller, due_date=due_in(5), requester_replied_at=timezone.now()),
        CaseFactory(controller=controller, due_date=due_in(-9), status=Status.CLOSED),  # none
    ]


def test_queue_counts_equal_the_filtered_lists(officer_client, day_of_work):
    shown = counts(officer_client.get(QUEUE))
    assert shown == {
        "overdue": 2,
        "week": 2,
        "replied": 1,
        "waiting": 1,
        "not_started": 2,
        "unassigned": 6,
        "mine": 1,
    }
    for view, number in shown.items():
        assert len(refs(officer_client.get(QUEUE, {"show": view}))) == number, view


def test_paused_and_not_started_cases_are_never_counted_overdue(officer_client, controller):
    CaseFactory(controller=controller, due_date=due_in(-5), status=Status.AWAITING_REQUESTER)
    CaseFactory(controller=controller, due_date=due_in(-5), status=Status.AWAITING_IDENTITY)
    assert counts(officer_client.get(QUEUE))["overdue"] == 0


def test_counts_ignore_another_controllers_cases(client, outsider, day_of_work):
    client.force_login(outsider)
    assert set(counts(client.get(QUEUE)).values()) == {0}


def test_sorting_by_a_column_keeps_the_filters(officer_client, controller, officer):
    a = CaseFactory(controller=controller, due_date=due_in(1), received_on=due_in(-20))
    b = CaseFactory(controller=controller, due_date=due_in(2), received_on=due_in(-2))
    c = CaseFactory(controller=controller, due_date=due_in(3), received_on=due_in(-9))
    CaseFactory(controller=controller, due_date=due_in(4), assignee=officer)
    unassigned = {"show": "unassigned"}
    assert refs(officer_client.get(QUEUE, {**unassigned, "sort": "-received"})) == [
        b.reference,
        c.reference,
        a.reference,
    ]
    assert refs(officer_client.get(QUEUE, {**unassigned, "sort": "-due"})) == [
        c.reference,
        b.reference,
        a.reference,
    ]
    # The header links carry the filter along and flip the direction of the current sort.
    html = officer_client.get(QUEUE, {**unassigned, "sort": "received"}).content.decode()
    assert 'aria-sort="ascending"><a href="?show=unassigned&amp;sort=-received">' in html


def test_sort_by_right_status_and_assignee(officer_client, controller, officer, second_officer):
    erasure = CaseFactory(controller=controller, right=Right.ERASURE, assignee=second_officer)
    access = CaseFactory(controller=controller, right=Right.ACCESS, assignee=officer)
    review = CaseFactory(controller=controller, right=Right.OBJECTION)
    review.status = Status.READY_FOR_REVIEW
    review.save()
    assert refs(officer_client.get(QUEUE, {"sort": "right"})) == [
        access.reference,
        erasure.reference,
        review.reference,
    ]
    assert refs(officer_client.get(QUEUE, {"sort": "-status"}))[0] == review.reference
    assert refs(officer_client.get(QUEUE, {"sort": "assignee"}))[:2] == [
        access.reference,  # Olivia before Sam
        erasure.reference,
    ]


def test_an_unknown_sort_falls_back_to_due_date(officer_client, controller):
    late = CaseFactory(controller=controller, due_date=due_in(9))
    soon = CaseFactory(controller=controller, due_date=due_in(1))
    response = officer_client.get(QUEUE, {"sort": "requester_email"})
    assert refs(response) == [soon.reference, late.reference]


def test_cases_whose_clock_has_not_started_are_grouped_apart(officer_client, controller):
    waiting_id = CaseFactory(
        controller=controller, due_date=due_in(1), status=Status.AWAITING_IDENTITY
    )
    running = CaseFactory(controller=controller, due_date=due_in(8))
    response = officer_client.get(QUEUE)
    html = response.content.decode()
    assert refs(response) == [running.reference, waiting_id.reference]
    heading = html.index('<h2 id="not-started">Clock not started</h2>')
    assert html.index(running.reference) < heading < html.index(waiting_id.reference)


def test_bulk_assign_of_three_cases_writes_three_events(
    officer_client, controller, officer, second_officer
):
    cases = CaseFactory.create_batch(3, controller=controller)
    response = officer_client.post(
        ASSIGN, {"cases": [c.reference for c in cases], "assignee": second_officer.pk}
    )
    assert response.status_code == 302
    for case in cases:
        case.refresh_from_db()
        assert case.assignee == second_officer
        assert list(CaseEvent.objects.filter(case=case).values_list("kind", "actor")) == [
            ("assigned", officer.pk)
        ]
    assert "Assigned 3 cases to Sam Second." in officer_client.get(QUEUE).content.decode()


def test_bulk_assign_changes_nothing_when_one_case_fails(
    officer_client, controller, second_officer
):
    cases = CaseFactory.create_batch(2, controller=controller)
    closed = CaseFactory(controller=controller, status=Status.CLOSED)
    officer_client.post(
        ASSIGN,
        {"cases": [c.reference for c in [*cases, closed]], "assignee": second_officer.pk},
    )
    assert CaseEvent.objects.count() == 0
    for case in [*cases, closed]:
        case.refresh_from_db()
        assert case.assignee is None
    page = officer_client.get(QUEUE).content.decode()
    assert f"{closed.reference}: Only open cases can be assigned. Nothing was assigned." in page


def test_bulk_assign_refuses_an_officer_of_another_controller(
    client, controller, other_controller, second_officer
):
    both = officer_of(controller, username="bea")
    MembershipFactory(user=both, controller=other_controller)
    here = CaseFactory(controller=controller)
    there = CaseFactory(controller=other_controller)
    client.force_login(both)
    client.post(ASSIGN, {"cases": [here.reference, there.reference], "assignee": second_officer.pk})
    assert CaseEvent.objects.count() == 0


def test_bulk_assign_ignores_cases_the_officer_cannot_see(client, outsider, case, other_controller):
    client.force_login(outsider)
    client.post(ASSIGN, {"cases": [case.reference], "assignee": outsider.pk})
    case.refresh_from_db()
    assert case.assignee is None and CaseEvent.objects.count() == 0


def test_auditor_cannot_bulk_assign_and_is_not_offered_it(client, auditor, case, officer):
    client.force_login(auditor)
    assert 'id="bulk-assign"' not in client.get(QUEUE).content.decode()
    client.post(ASSIGN, {"cases": [case.reference], "assignee": officer.pk})
    case.refresh_from_db()
    assert case.assignee is None


def test_due_column_comes_straight_after_the_reference(officer_client, case):
    html = officer_client.get(QUEUE).content.decode()
    head = html[html.index("<thead>") : html.index("</thead>")]
    assert head.index("Reference") < head.index(">Due<") < head.index("Requester")


def test_queue_with_counts_runs_a_fixed_number_of_queries(officer_client, controller):
    other = ControllerFactory()
    seen = {}
    made = 0
    for number in (5, 50):
        while made < number:
            CaseFactory(
                controller=controller,
                due_date=due_in(made % 20 - 5),
                status=[Status.IN_PROGRESS, Status.AWAITING_IDENTITY, Status.AWAITING_REQUESTER][
                    made % 3
                ],
            )
            CaseFactory(controller=other)
            made += 1
        with CaptureQueriesContext(connection) as queries:
            response = officer_client.get(QUEUE, {"sort": "assignee"})
        assert len(refs(response)) == number
        seen[number] = len(queries)
    # session, user, controllers, officers, counts, page count, page rows, can-assign, nav
    assert seen[5] == seen[50] <= 9, seen
