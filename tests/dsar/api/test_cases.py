"""Case list, creation, detail and timeline under /api/v1/cases/."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from dsar import services
from dsar.choices import Channel, Right, Status
from dsar.models import Case, Pause
from tests.factories import CaseFactory, ControllerFactory, UserFactory

LIST = "/api/v1/cases/"


def detail_url(case):
    return f"/api/v1/cases/{case.reference}/"


def references(response):
    return [row["reference"] for row in response.json()["results"]]


# --- permissions -----------------------------------------------------------------------


@pytest.mark.parametrize("suffix", ["", "{ref}/", "{ref}/events/"])
def test_anonymous_callers_are_refused(api_client, case, suffix):
    response = api_client.get(LIST + suffix.format(ref=case.reference))

    assert response.status_code == 401
    assert "detail" in response.json()


def test_a_user_without_any_controller_is_refused(plain_user, case):
    client = APIClient()
    client.force_authenticate(plain_user)

    assert client.get(LIST).status_code == 403


def test_a_real_token_header_authenticates(officer, case):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=officer).key}")

    assert references(client.get(LIST)) == [case.reference]


def test_an_outsider_cannot_see_the_case_or_its_timeline(outsider_api, case):
    assert references(outsider_api.get(LIST)) == []
    assert outsider_api.get(detail_url(case)).status_code == 404
    response = outsider_api.get(detail_url(case) + "events/")
    assert response.status_code == 404
    assert response.json() == {"detail": "No such case."}


def test_an_auditor_can_read(auditor_api, case):
    assert references(auditor_api.get(LIST)) == [case.reference]
    assert auditor_api.get(detail_url(case)).status_code == 200
    assert auditor_api.get(detail_url(case) + "events/").status_code == 200


# --- list ------------------------------------------------------------------------------


def test_list_shows_open_cases_soonest_due_first(officer_api, controller, other_controller):
    later = CaseFactory(controller=controller, received_on=dt.date(2026, 3, 2))
    sooner = CaseFactory(controller=controller, received_on=dt.date(2026, 3, 1))
    CaseFactory(controller=controller, status=Status.CLOSED)
    CaseFactory(controller=other_controller)

    response = officer_api.get(LIST)

    assert response.status_code == 200
    assert response.json()["count"] == 2
    assert references(response) == [sooner.reference, later.reference]
    row = response.json()["results"][0]
    assert row["url"] == f"http://testserver/api/v1/cases/{sooner.reference}/"
    assert "pauses" not in row


def test_list_filters_like_the_queue(officer_api, controller, officer, second_officer):
    erasure = CaseFactory(controller=controller, right=Right.ERASURE, requester_name="Zed Zulu")
    paused = CaseFactory(controller=controller, status=Status.AWAITING_REQUESTER)
    closed = CaseFactory(controller=controller, status=Status.CLOSED)
    mine = CaseFactory(controller=controller, assignee=second_officer)
    overdue = CaseFactory(
        controller=controller, received_on=controller.today() - dt.timedelta(days=70)
    )

    def filtered(query):
        return set(references(officer_api.get(LIST + query)))

    assert filtered("?right=erasure") == {erasure.reference}
    assert filtered("?status=closed&status=awaiting_requester") == {
        closed.reference,
        paused.reference,
    }
    assert filtered("?q=zed") == {erasure.reference}
    assert filtered(f"?q={mine.reference.lower()}") == {mine.reference}
    assert filtered("?assignee=sam") == {mine.reference}
    assert filtered("?due=overdue") == {overdue.reference}
    assert filtered("?controller=acme") == filtered("")
    assert filtered("?controller=other") == set()


def test_a_bad_filter_value_is_a_json_400(officer_api, case):
    response = officer_api.get(LIST + "?status=lost")

    assert response.status_code == 400
    assert "status" in response.json()["errors"]


def test_list_is_paginated(officer_api, controller):
    CaseFactory.create_batch(52, controller=controller)

    first = officer_api.get(LIST).json()
    second = officer_api.get(first["next"]).json()

    assert first["count"] == 52
    assert len(first["results"]) == 50
    assert len(second["results"]) == 2
    assert second["next"] is None


def test_each_list_row_is_what_the_row_serializer_gives_one_case(
    officer_api, controller, second_officer
):
    """The list builds its rows without DRF's field machinery; they must not drift from
    the declared serializer (and so from the schema)."""
    from dsar.api.serializers import CaseListSerializer

    CaseFactory(controller=controller, assignee=second_officer, organisation_name="Ačme Ltd")
    CaseFactory(controller=controller, received_on=dt.date(2026, 1, 5))  # overdue
    closed = CaseFactory(controller=controller)
    services.case_withdraw(case=closed, by=second_officer, reason="Asked by phone.")

    response = officer_api.get(LIST + "?status=in_progress&status=withdrawn")
    rows = response.json()["results"]

    request = response.wsgi_request
    by_reference = {c.reference: c for c in Case.objects.select_related("controller", "assignee")}
    expected = [
        CaseListSerializer(by_reference[row["reference"]], context={"request": request}).data
        for row in rows
    ]
    assert len(rows) == 3
    assert rows == [dict(e) for e in expected]
    assert {row["is_overdue"] for row in rows} == {True, False}
    assert any(row["days_left"] is None for row in rows)  # the withdrawn case


@pytest.mark.parametrize("n", [5, 50])
def test_list_runs_the_same_queries_however_many_cases(
    officer_api, controller, second_officer, n, django_assert_num_queries
):
    CaseFactory.create_batch(n, controller=controller, assignee=second_officer)

    # The officer check, the page count and the page itself.
    with django_assert_num_queries(3):
        response = officer_api.get(LIST)

    assert len(response.json()["results"]) == n


# --- detail ----------------------------------------------------------------------------


DETAIL_FIELDS = {
    "reference", "controller", "right", "channel", "status", "received_on",
    "identity_received_on", "fee_received_on", "due_date", "original_due_date", "extended",
    "extension_reason", "pauses", "assignee", "requester_name", "requester_email",
    "relationship", "subject_name", "organisation_name", "subject_identifiers", "description",
    "rectification_inaccurate", "rectification_correction", "objection_processing",
    "objection_direct_marketing", "portability_destination", "portability_recipient",
    "outcome", "refusal_ground", "outcome_reasons", "version", "days_left", "is_overdue",
    "created_at", "confirmed_at", "closed_at", "url",
}  # fmt: skip


@time_machine.travel(dt.datetime(2026, 9, 20, 12, tzinfo=dt.UTC), tick=False)
def test_detail_shows_the_clock_and_the_pauses(officer_api, controller, officer, second_officer):
    case = CaseFactory(
        controller=controller, received_on=dt.date(2026, 9, 3), assignee=second_officer
    )
    with time_machine.travel("2026-09-10 10:00 +01:00", tick=False):
        case = services.case_pause(case=case, by=officer, reason="Which account?")
    with time_machine.travel("2026-09-16 10:00 +01:00", tick=False):
        case = services.case_resume(case=case, by=officer, answer="The loyalty card.")

    response = officer_api.get(detail_url(case))

    assert response.status_code == 200
    data = response.json()
    assert set(data) >= DETAIL_FIELDS
    assert data["reference"] == case.reference
    assert data["controller"] == "acme"
    assert data["status"] == "in_progress"
    assert data["received_on"] == "2026-09-03"
    # 3 Oct 2026 plus 7 paused days is Saturday 10 Oct: due Monday 12 Oct.
    assert data["original_due_date"] == "2026-10-12"
    assert data["due_date"] == "2026-10-12"
    assert data["extended"] is False
    assert data["pauses"] == [
        {
            "started_on": "2026-09-10",
            "ended_on": "2026-09-16",
            "reason": "Which account?",
            "sent_by": "email",
            "answer": "The loyalty card.",
            "days": 7,
        }
    ]
    assert data["assignee"] == "sam"
    assert data["days_left"] == 22
    assert data["is_overdue"] is False
    assert data["version"] == case.version
    assert data["url"] == f"http://testserver/api/v1/cases/{case.reference}/"


@pytest.mark.parametrize("n", [1, 5])
def test_detail_runs_the_same_queries_however_many_pauses(
    officer_api, case, officer, n, django_assert_num_queries
):
    for i in range(n):
        start = case.received_on + dt.timedelta(days=i)
        Pause.objects.create(case=case, started_on=start, ended_on=start, reason="Which?")

    # The officer check, the case with its controller and assignee, its pauses, and
    # whether the user may act (for the case's `actions`).
    with django_assert_num_queries(4):
        response = officer_api.get(detail_url(case))

    assert len(response.json()["pauses"]) == n


def test_detail_of_an_overdue_case_says_so(officer_api, controller):
    case = CaseFactory(
        controller=controller, received_on=controller.today() - dt.timedelta(days=70)
    )

    data = officer_api.get(detail_url(case)).json()

    assert data["is_overdue"] is True
    assert data["days_left"] < 0
    assert data["assignee"] is None


def test_unknown_reference_is_a_json_404(officer_api, db):
    response = officer_api.get("/api/v1/cases/DSAR-2026-999999/")

    assert response.status_code == 404
    assert response.json() == {"detail": "No such case."}


# --- timeline ----------------------------------------------------------------------------


def test_events_are_listed_oldest_first_with_their_actor(officer_api, controller, officer):
    case = services.case_create(
        controller=controller,
        right=Right.ACCESS,
        channel=Channel.PHONE,
        fields={
            "requester_name": "Ada",
            "requester_phone": "020 7946 0000",
            "requester_email": "ada@example.net",
        },
        by=officer,
    )
    services.case_extend(case=case, by=officer, reason="Twelve systems to search.")

    response = officer_api.get(detail_url(case) + "events/")

    assert response.status_code == 200
    events = response.json()["results"]
    assert [e["kind"] for e in events] == ["created", "extended"]
    assert events[0]["to_status"] == "in_progress"
    assert events[1] == {
        "at": events[1]["at"],
        "actor_kind": "officer",
        "actor": "olivia",
        "kind": "extended",
        "from_status": "",
        "to_status": "",
        "message": "Twelve systems to search.",
        "data": events[1]["data"],
    }
    assert set(events[1]["data"]) == {"due_from", "due_to", "sent_by", "email_id"}


# --- create ----------------------------------------------------------------------------


def logged(**overrides):
    data = {
        "controller": "acme",
        "channel": "phone",
        "received_on": "2026-03-02",
        "right": "erasure",
        "requester_name": "Ada Lovelace",
        "requester_phone": "020 7946 0000",
        "description": "Delete my loyalty account.",
    }
    data.update(overrides)
    return data


@time_machine.travel(dt.datetime(2026, 3, 10, 12, tzinfo=dt.UTC), tick=False)
def test_an_officer_logs_a_phone_request_with_its_real_received_date(officer_api, controller):
    response = officer_api.post(LIST, logged(), format="json")

    assert response.status_code == 201, response.json()
    data = response.json()
    case = Case.objects.get()
    assert data["reference"] == case.reference
    assert response["Location"] == data["url"]
    assert data["channel"] == "phone"
    assert data["status"] == "in_progress"
    assert data["received_on"] == "2026-03-02"
    assert data["due_date"] == "2026-04-02"
    assert data["pauses"] == []
    assert case.events.get().actor.username == "olivia"


@time_machine.travel(dt.datetime(2026, 3, 10, 12, tzinfo=dt.UTC), tick=False)
def test_a_received_date_in_the_future_is_refused(officer_api, controller):
    response = officer_api.post(LIST, logged(received_on="2026-03-11"), format="json")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["received_on"]


def test_logging_needs_a_received_date_and_a_known_channel(officer_api, controller):
    response = officer_api.post(LIST, logged(received_on=None, channel="fax"), format="json")

    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"received_on", "channel"}


@time_machine.travel(dt.datetime(2026, 3, 10, 12, tzinfo=dt.UTC), tick=False)
def test_a_web_request_forwarded_by_a_system_waits_for_email_confirmation(
    officer_api, controller, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = officer_api.post(
            LIST,
            logged(channel="web", received_on="2026-03-10", requester_email="ada@example.net"),
            format="json",
        )

    assert response.status_code == 201, response.json()
    assert response.json()["status"] == "unconfirmed"
    assert response.json()["channel"] == "web"
    assert [m.to for m in mailoutbox] == [["ada@example.net"]]


def test_a_web_request_needs_the_requester_email(officer_api, controller):
    response = officer_api.post(LIST, logged(channel="web"), format="json")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["requester_email"]


def test_logging_applies_the_same_per_right_rules(officer_api, controller):
    response = officer_api.post(LIST, logged(right="rectification"), format="json")

    assert response.status_code == 400
    assert set(response.json()["errors"]) == {
        "rectification_inaccurate",
        "rectification_correction",
    }


def test_cannot_log_a_request_for_a_controller_the_user_does_not_belong_to(
    officer_api, other_controller
):
    response = officer_api.post(LIST, logged(controller="other"), format="json")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["controller"]
    assert not Case.objects.exists()


def test_an_auditor_cannot_log_a_request(auditor_api, controller):
    response = auditor_api.post(LIST, logged(received_on=str(controller.today())), format="json")

    assert response.status_code == 403
    assert not Case.objects.exists()


def test_logging_with_a_session_needs_the_csrf_token(officer, controller):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(officer)

    response = client.post(LIST, logged(received_on=str(controller.today())), format="json")

    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


def test_a_superuser_may_log_for_any_controller(db):
    anywhere = ControllerFactory(slug="anywhere")
    client = APIClient()
    client.force_authenticate(UserFactory(username="root", is_superuser=True, is_staff=True))

    response = client.post(
        LIST,
        logged(controller="anywhere", received_on=str(anywhere.today()), channel="post"),
        format="json",
    )

    assert response.status_code == 201
    assert Case.objects.get().controller == anywhere
