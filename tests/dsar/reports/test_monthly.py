"""The DPO's monthly report: first working day, previous month, text and HTML, once."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from config.celery import app as celery_app
from dsar import tasks
from dsar.choices import Outcome, Right, Status
from dsar.models import Notice, OutgoingEmail
from dsar.reports.monthly import first_working_day, send_monthly_report, send_monthly_reports
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def at(day: str, hour: int) -> dt.datetime:
    return dt.datetime.fromisoformat(day).replace(hour=hour, tzinfo=LONDON)


@pytest.fixture
def july(controller, other_controller):
    """July 2026 at Acme: three received, one answered on time, one late, one refused."""
    closed = {"status": Status.CLOSED, "outcome": Outcome.FULFILLED}
    CaseFactory(
        controller=controller,
        received_on=dt.date(2026, 7, 1),
        closed_at=at("2026-07-10", 12),
        requester_name="Zed Person",
        **closed,
    )
    CaseFactory(
        controller=controller,
        right=Right.ERASURE,
        received_on=dt.date(2026, 5, 1),
        due_date=dt.date(2026, 6, 1),
        closed_at=at("2026-07-02", 12),
        **closed,
    )
    CaseFactory(
        controller=controller,
        received_on=dt.date(2026, 7, 20),
        requester_email="secret.person@example.net",
    )
    CaseFactory(controller=controller, received_on=dt.date(2026, 7, 21))
    CaseFactory(controller=other_controller, received_on=dt.date(2026, 7, 2))
    CaseFactory(controller=controller, received_on=dt.date(2026, 8, 1))  # August: not July


def reports() -> list[OutgoingEmail]:
    return list(OutgoingEmail.objects.filter(template="monthly_report").order_by("id"))


def test_the_first_working_day_skips_weekends_and_bank_holidays():
    assert first_working_day(dt.date(2026, 8, 1), "england") == dt.date(2026, 8, 3)  # Sat
    assert first_working_day(dt.date(2027, 1, 1), "england") == dt.date(2027, 1, 4)  # New Year
    assert first_working_day(dt.date(2026, 6, 1), "england") == dt.date(2026, 6, 1)


def test_nothing_goes_before_the_first_working_day_and_its_hour(july):
    assert send_monthly_reports(now=at("2026-08-01", 10)).done == []  # Saturday
    assert send_monthly_reports(now=at("2026-08-03", 7)).done == []  # before 08:00
    assert reports() == []


def test_each_dpo_gets_last_months_report_once(july, controller, other_controller):
    first = send_monthly_reports(now=at("2026-08-03", 9))
    again = send_monthly_reports(now=at("2026-08-03", 10))
    later = send_monthly_reports(now=at("2026-08-20", 10))

    assert sorted((a.reference, a.detail) for a in first.done) == [
        ("acme", "July 2026"),
        ("other", "July 2026"),
    ]
    assert again.done == [] and later.done == []
    assert len(reports()) == 2
    assert Notice.objects.filter(kind="monthly_report", due_date=dt.date(2026, 7, 1)).count() == 2


def test_the_report_has_the_months_figures_as_text_and_html(july, controller):
    send_monthly_report(controller=controller, month=dt.date(2026, 7, 1), now=at("2026-08-03", 9))

    (email,) = reports()
    assert email.to == "dpo@example.org"
    assert (
        email.subject == "Acme Retail: requests in July 2026 (3 received, 1 of 2 answered on time)"
    )
    text = email.body_text
    assert "RECEIVED: 3" in text
    assert "  Access: 3" in text
    assert "ANSWERED IN THE MONTH (closed or refused): 2" in text
    assert "  On time: 1\n  Late: 1\n  On-time rate: 50%" in text
    assert "median 35.5, 90th percentile 56.7" in text  # 9 and 62 days
    assert "OPEN ON 2026-08-03: 3" in text  # July's two and August's one
    html = email.body_html
    assert "<strong>July 2026</strong>" in html
    assert ">50%</td>" in html
    assert "range=custom&amp;from=2026-07-01&amp;to=2026-07-31" in html


def test_the_report_holds_no_personal_data(july, controller):
    send_monthly_report(controller=controller, month=dt.date(2026, 7, 1), now=at("2026-08-03", 9))

    (email,) = reports()
    for body in (email.subject, email.body_text, email.body_html):
        assert "Zed Person" not in body
        assert "secret.person@example.net" not in body
        assert "DSAR-" not in body


def test_two_sweeps_at_once_send_one_report(july, controller):
    month = dt.date(2026, 7, 1)
    now = at("2026-08-03", 9)

    results = [send_monthly_report(controller=controller, month=month, now=now) for _ in range(2)]

    assert results[0] is not None and results[1] is None
    assert len(reports()) == 1


def test_beat_runs_the_sweep_hourly_and_the_email_is_delivered(
    july, django_capture_on_commit_callbacks
):
    assert celery_app.conf.beat_schedule["monthly-reports"]["task"] == (
        "dsar.tasks.send_monthly_reports"
    )
    import time_machine

    with (
        time_machine.travel(at("2026-08-03", 9), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert tasks.send_monthly_reports.delay().get() == 2

    subjects = sorted(m.subject for m in mail.outbox)
    assert subjects[0].startswith("Acme Retail: requests in July 2026")
    assert all(m.alternatives for m in mail.outbox)  # HTML beside the text
