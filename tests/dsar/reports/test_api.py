"""GET /api/v1/reports/summary/: the page's figures, exactly, as JSON."""

from __future__ import annotations

import pytest

from dsar.choices import Role
from dsar.templatetags.report_tags import days, percent
from tests.dsar.reports.conftest import EXPECTED_FIGURES
from tests.factories import api_client_for, officer_of

pytestmark = pytest.mark.django_db

SUMMARY = "/api/v1/reports/summary/"
QUARTER = {"controller": "acme", "from": "2026-01-01", "to": "2026-03-31"}


def as_figures(body: dict) -> dict[str, str]:
    """The API's answer in the page's terms (data-figure keys, shown the page's way)."""
    received, timeliness, open_now = body["received"], body["timeliness"], body["open_now"]
    shown: dict[str, str] = {"received.total": str(received["total"])}
    shown |= {f"received.month.{r['month']}": str(r["count"]) for r in received["by_month"]}
    shown |= {f"received.right.{r['right']}": str(r["count"]) for r in received["by_right"]}
    shown |= {f"received.channel.{r['channel']}": str(r["count"]) for r in received["by_channel"]}
    for prefix, row in [("timeliness", timeliness)] + [
        (f"timeliness.{r['right']}", r) for r in timeliness["by_right"]
    ]:
        shown |= {f"{prefix}.{k}": str(row[k]) for k in ("closed", "on_time", "late")}
        shown[f"{prefix}.on_time_rate"] = percent(row["on_time_rate"])
        shown[f"{prefix}.median_days"] = days(row["median_days"])
        shown[f"{prefix}.p90_days"] = days(row["p90_days"])
    shown["open.total"] = str(open_now["total"])
    shown |= {f"open.status.{r['status']}": str(r["count"]) for r in open_now["by_status"]}
    shown |= {f"open.due.{r['bucket']}": str(r["count"]) for r in open_now["by_due"]}
    shown["extensions.count"] = str(body["extensions"]["count"])
    for r in body["extensions"]["by_reason"]:
        shown[f"extensions.reason.{r['reason']}"] = str(r["count"])
        shown[f"extensions.share.{r['reason']}"] = percent(r["share"])
    shown |= {f"pauses.{k}": str(v) for k, v in body["pauses"].items()}
    shown["refusals.count"] = str(body["refusals"]["count"])
    shown |= {
        f"refusals.ground.{r['ground']}": str(r["count"]) for r in body["refusals"]["by_ground"]
    }
    shown["withdrawals"] = str(body["withdrawals"])
    shown["closed_unverified"] = str(body["closed_unverified"])
    for r in body["workload"]:
        for k in ("open", "closed", "late"):
            shown[f"workload.{r['officer'] or 'unassigned'}.{k}"] = str(r[k])
    return shown


def test_the_summary_gives_every_figure_of_the_page(officer, known_cases):
    response = api_client_for(officer).get(SUMMARY, QUARTER)

    assert response.status_code == 200
    body = response.json()
    assert as_figures(body) == EXPECTED_FIGURES
    assert (body["from"], body["to"], body["today"]) == ("2026-01-01", "2026-03-31", "2026-04-15")
    assert body["timeliness"]["on_time_rate"] == 0.7143
    assert body["timeliness"]["p90_days"] == 50.0
    assert body["extensions"]["rate"] == 0.1667


def test_a_named_range_and_no_controller_mean_the_same_for_one_controller(officer, known_cases):
    named = api_client_for(officer).get(SUMMARY, {"range": "last_quarter"}).json()

    assert as_figures(named) == EXPECTED_FIGURES
    assert named["controllers"] == ["acme"]


def test_no_personal_data_in_the_summary(officer, known_cases):
    text = api_client_for(officer).get(SUMMARY, QUARTER).content.decode()

    for case in known_cases.values():
        assert case.requester_name not in text and case.requester_email not in text
        assert case.reference not in text


def test_another_controller_is_a_field_error_naming_it(outsider, known_cases):
    response = api_client_for(outsider).get(SUMMARY, QUARTER)

    assert response.status_code == 400
    assert response.json()["errors"]["controller"] == [
        "No controller with that name is visible to you."
    ]


def test_an_outsiders_own_summary_holds_only_their_cases(outsider, known_cases):
    body = api_client_for(outsider).get(SUMMARY, {"from": "2026-01-01", "to": "2026-03-31"}).json()

    assert body["controllers"] == ["other"]
    assert body["received"]["total"] == 3


def test_a_backwards_range_is_a_400_naming_the_field(officer, known_cases):
    response = api_client_for(officer).get(SUMMARY, {"from": "2026-03-31", "to": "2026-03-01"})

    assert response.status_code == 400
    assert response.json()["errors"] == {"to": ["The last day must be on or after the first."]}


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.ADMIN])
def test_auditors_and_admins_read_the_summary(controller, known_cases, role):
    user = officer_of(controller, role=role, username=f"api-{role}")

    response = api_client_for(user).get(SUMMARY, QUARTER)

    assert response.status_code == 200
    assert response.json()["received"]["total"] == 12


def test_anonymous_is_401_and_a_user_without_controllers_403(plain_user):
    assert api_client_for().get(SUMMARY).status_code == 401
    assert api_client_for(plain_user).get(SUMMARY).status_code == 403


def test_the_summary_is_in_the_schema_with_an_example(officer_client):
    schema = officer_client.get("/api/schema/", HTTP_ACCEPT="application/json").json()

    operation = schema["paths"]["/api/v1/reports/summary/"]["get"]
    assert {p["name"] for p in operation["parameters"]} >= {"controller", "from", "to", "range"}
    content = operation["responses"]["200"]["content"]["application/json"]
    assert content["examples"]


def test_the_summary_takes_a_fixed_number_of_queries(
    officer, known_cases, django_assert_max_num_queries
):
    client = api_client_for(officer)
    with django_assert_max_num_queries(14):
        client.get(SUMMARY, QUARTER)
