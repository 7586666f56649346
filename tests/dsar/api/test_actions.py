"""POST /api/v1/cases/<reference>/<action>/: officer actions through the services."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from rest_framework.test import APIClient

from dsar import hooks, services
from dsar.choices import Status
from dsar.models import Case
from tests.factories import CaseFactory

ACTION_BODIES = {
    "assign": {"assignee": "sam"},
    "pause": {"reason": "Which of your two accounts?"},
    "resume": {},
    "extend": {"reason": "Twelve systems to search."},
    "submit-for-review": {},
    "return-for-work": {},
    "close": {"outcome": "fulfilled"},
    "refuse": {"ground": "manifestly_excessive", "reasons": "The fifth identical request."},
    "withdraw": {"reason": "Phoned to withdraw."},
}


def act(client, case, action, data=None):
    return client.post(f"/api/v1/cases/{case.reference}/{action}/", data or {}, format="json")


def refreshed(case):
    return Case.objects.get(pk=case.pk)


# --- each action's happy path ----------------------------------------------------------


def test_assign_to_a_colleague_and_back_to_nobody(officer_api, case, second_officer):
    response = act(officer_api, case, "assign", {"assignee": "sam"})

    assert response.status_code == 200, response.json()
    assert response.json()["assignee"] == "sam"
    assert refreshed(case).assignee == second_officer

    response = act(officer_api, case, "assign", {"assignee": None})
    assert response.json()["assignee"] is None


def test_cannot_assign_to_someone_outside_the_controller(officer_api, case, outsider, auditor):
    for username in (outsider.username, auditor.username, "ghost"):
        response = act(officer_api, case, "assign", {"assignee": username})
        assert response.status_code == 400
        assert list(response.json()["errors"]) == ["assignee"]
    assert refreshed(case).assignee is None


@time_machine.travel(dt.datetime(2026, 9, 20, 12, tzinfo=dt.UTC), tick=False)
def test_pause_stops_the_clock_and_resume_adds_the_paused_days(officer_api, controller):
    case = CaseFactory(controller=controller, received_on=dt.date(2026, 9, 3))

    with time_machine.travel("2026-09-10 10:00 +01:00", tick=False):
        paused = act(officer_api, case, "pause", {"reason": "Which account?"})
        assert paused.status_code == 200, paused.json()
        assert paused.json()["status"] == "awaiting_requester"
        assert paused.json()["pauses"] == [
            {
                "started_on": "2026-09-10",
                "ended_on": None,
                "reason": "Which account?",
                "sent_by": "email",
                "answer": "",
                "days": 1,
            }
        ]

    with time_machine.travel("2026-09-20 10:00 +01:00", tick=False):
        resumed = act(officer_api, case, "resume", {"ended_on": "2026-09-16"})

    assert resumed.status_code == 200, resumed.json()
    data = resumed.json()
    assert data["status"] == "in_progress"
    assert data["pauses"][0]["ended_on"] == "2026-09-16"
    # 3 Oct + 7 paused days = Saturday 10 Oct, so Monday 12 Oct.
    assert data["due_date"] == "2026-10-12"


def test_pause_needs_a_reason(officer_api, case):
    response = act(officer_api, case, "pause", {"reason": ""})

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["reason"]
    assert refreshed(case).status == Status.IN_PROGRESS


def test_a_closed_case_cannot_be_paused(officer_api, controller):
    case = CaseFactory(controller=controller, status=Status.CLOSED)

    response = act(officer_api, case, "pause", {"reason": "Which account?"})

    assert response.status_code == 400
    assert "cannot become" in response.json()["detail"]
    assert refreshed(case).status == Status.CLOSED
    assert not case.pauses.exists()


def test_extend_moves_the_deadline_and_keeps_the_reason(officer_api, case):
    response = act(officer_api, case, "extend", {"reason": "Twelve systems to search."})

    assert response.status_code == 200, response.json()
    data = response.json()
    assert data["extended"] is True
    assert data["extension_reason"] == "Twelve systems to search."
    assert data["due_date"] > data["original_due_date"]


def test_a_case_is_extended_only_once(officer_api, case):
    act(officer_api, case, "extend", {"reason": "Complex."})

    response = act(officer_api, case, "extend", {"reason": "Even more complex."})

    assert response.status_code == 400
    assert response.json()["detail"] == "This case has already been extended."
    assert refreshed(case).extension_reason == "Complex."


def test_extension_after_the_original_deadline_is_refused(officer_api, controller):
    case = CaseFactory(
        controller=controller, received_on=controller.today() - dt.timedelta(days=70)
    )

    response = act(officer_api, case, "extend", {"reason": "Complex."})

    assert response.status_code == 400
    assert "The original period ended on" in response.json()["detail"]


@pytest.mark.parametrize("action", sorted(hooks.replaced_actions))
def test_actions_replaced_by_identity_steps_are_not_offered(officer_api, case, action):
    """As on the case page: with the identity app installed, its verification steps
    (POST cases/<ref>/verification/steps/) replace the core's bare identity actions."""
    assert action in {"request-identity", "identity-received"}

    response = act(officer_api, case, action, {"note": "Photo ID please."})

    assert response.status_code == 404
    assert "There is no action" in response.json()["detail"]
    assert action not in response.json()["detail"].split("Actions:")[1]
    assert refreshed(case).status == Status.IN_PROGRESS
    detail = officer_api.get(f"/api/v1/cases/{case.reference}/").json()
    assert action not in detail["actions"]


def test_the_case_lists_the_actions_its_state_allows(officer_api, auditor_api, case):
    detail = officer_api.get(f"/api/v1/cases/{case.reference}/").json()

    assert set(detail["actions"]) == {
        "assign", "pause", "extend", "request-fee", "submit-for-review", "refuse", "withdraw",
    }  # fmt: skip
    assert auditor_api.get(f"/api/v1/cases/{case.reference}/").json()["actions"] == []


def test_review_round_trip_then_close(officer_api, case):
    assert act(officer_api, case, "submit-for-review").json()["status"] == "ready_for_review"
    assert act(officer_api, case, "return-for-work", {"note": "Add the CRM."}).json()["status"] == (
        "in_progress"
    )
    act(officer_api, case, "submit-for-review")

    response = act(officer_api, case, "close", {"outcome": "no_data_held"})

    assert response.status_code == 200, response.json()
    data = response.json()
    assert data["status"] == "closed"
    assert data["outcome"] == "no_data_held"
    assert data["closed_at"] is not None
    assert data["days_left"] is None
    assert data["is_overdue"] is False


def test_a_case_in_progress_cannot_be_closed_before_review(officer_api, case):
    response = act(officer_api, case, "close", {"outcome": "fulfilled"})

    assert response.status_code == 400
    assert "cannot become closed" in response.json()["detail"]
    assert refreshed(case).status == Status.IN_PROGRESS


def test_closing_as_partly_fulfilled_needs_the_exemptions(officer_api, controller):
    case = CaseFactory(controller=controller, status=Status.READY_FOR_REVIEW)

    response = act(officer_api, case, "close", {"outcome": "partly_fulfilled", "reasons": " "})

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["reasons"]


def test_only_a_case_ready_for_review_is_sent_back(officer_api, case):
    response = act(officer_api, case, "return-for-work")

    assert response.status_code == 400
    assert response.json()["detail"] == "Only a case ready for review can be sent back."


def test_refuse_with_a_ground_and_reasons(officer_api, case):
    response = act(officer_api, case, "refuse", ACTION_BODIES["refuse"])

    assert response.status_code == 200, response.json()
    data = response.json()
    assert data["status"] == "refused"
    assert data["refusal_ground"] == "manifestly_excessive"
    assert data["outcome_reasons"] == "The fifth identical request."


def test_refusal_needs_a_known_ground(officer_api, case):
    response = act(officer_api, case, "refuse", {"ground": "too_busy", "reasons": "No."})

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["ground"]


def test_withdraw(officer_api, case):
    response = act(officer_api, case, "withdraw", {"reason": "Phoned to withdraw."})

    assert response.status_code == 200
    assert response.json()["status"] == "withdrawn"
    assert response.json()["outcome_reasons"] == "Phoned to withdraw."


def test_an_action_writes_an_event_by_the_officer(officer_api, case):
    act(officer_api, case, "extend", {"reason": "Complex."})

    events = officer_api.get(f"/api/v1/cases/{case.reference}/events/").json()["results"]

    assert (events[-1]["kind"], events[-1]["actor"]) == ("extended", "olivia")


# --- concurrency -----------------------------------------------------------------------


def test_a_stale_version_is_a_conflict_and_changes_nothing(officer_api, case, officer):
    seen = officer_api.get(f"/api/v1/cases/{case.reference}/").json()["version"]
    services.case_assign(case=case, assignee=officer, by=officer)  # someone else, meanwhile

    response = act(officer_api, case, "extend", {"reason": "Complex.", "version": seen})

    assert response.status_code == 409
    assert "Someone else changed this case" in response.json()["detail"]
    assert refreshed(case).extended is False


def test_the_current_version_is_accepted_and_bumped(officer_api, case):
    seen = officer_api.get(f"/api/v1/cases/{case.reference}/").json()["version"]

    response = act(officer_api, case, "extend", {"reason": "Complex.", "version": seen})

    assert response.status_code == 200
    assert response.json()["version"] == seen + 1


# --- who may act ---------------------------------------------------------------------


@pytest.mark.parametrize("action", list(ACTION_BODIES))
def test_an_auditor_reads_but_cannot_act(auditor_api, case, second_officer, action):
    before = refreshed(case)

    response = act(auditor_api, case, action, ACTION_BODIES[action])

    assert response.status_code == 403
    assert "read-only" in response.json()["detail"]
    after = refreshed(case)
    assert (after.status, after.version) == (before.status, before.version)


@pytest.mark.parametrize("action", ["assign", "pause", "close"])
def test_an_outsider_gets_404_on_actions(outsider_api, case, action):
    response = act(outsider_api, case, action, ACTION_BODIES[action])

    assert response.status_code == 404
    assert refreshed(case).version == case.version


def test_anonymous_callers_cannot_act(api_client, case):
    assert act(api_client, case, "pause", {"reason": "x"}).status_code == 401


def test_an_unknown_action_is_a_json_404(officer_api, case):
    response = act(officer_api, case, "delete-everything")

    assert response.status_code == 404
    assert "There is no action" in response.json()["detail"]


def test_actions_are_posted_not_fetched(officer_api, case):
    assert officer_api.get(f"/api/v1/cases/{case.reference}/extend/").status_code == 405


def test_acting_with_a_session_needs_the_csrf_token(officer, case):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(officer)

    response = act(client, case, "extend", {"reason": "Complex."})

    assert response.status_code == 403
    assert refreshed(case).extended is False
