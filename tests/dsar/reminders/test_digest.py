"""The DPO's daily overdue digest (dsar.reminders.digest)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from dsar.choices import Status
from dsar.models import Notice
from dsar.reminders import send_overdue_digests
from dsar.reminders.digest import DIGEST_MAX_ROWS
from tests.factories import ControllerFactory

from .conftest import due_case, travel

pytestmark = pytest.mark.django_db


@pytest.fixture
def digest(django_capture_on_commit_callbacks):
    def run():
        with django_capture_on_commit_callbacks(execute=True):
            return send_overdue_digests().done

    return run


def test_the_digest_lists_every_overdue_case_with_days_late_assignee_and_link(
    controller, officer, digest
):
    late = due_case(controller, "2026-08-28", assignee=officer)  # Friday
    later = due_case(controller, "2026-09-01")
    due_case(controller, "2026-09-03")  # due today: not overdue
    due_case(controller, "2026-08-01", status=Status.AWAITING_REQUESTER)  # paused
    with travel("2026-09-03", "08:05"):
        (action,) = digest()
    assert (action.kind, action.reference, action.recipient) == ("overdue_digest", "acme", "dpo")
    (message,) = mail.outbox
    assert message.to == ["dpo@example.org"]
    assert message.subject == "2 overdue cases at Acme Retail (Thu 3 Sep)"
    body = message.body
    assert body.index(late.reference) < body.index(later.reference)  # most overdue first
    assert "Due Fri 28 Aug 2026, 6 days late; assigned to Olivia Officer" in body
    assert "Due Tue 1 Sep 2026, 2 days late; assigned to nobody" in body
    assert f"http://127.0.0.1:8000/cases/{late.reference}/" in body
    html = message.alternatives[0][0]
    assert f'<a href="http://127.0.0.1:8000/cases/{later.reference}/"' in html
    assert '<th scope="col"' in html


def test_nothing_is_sent_when_nothing_is_overdue(controller, digest):
    due_case(controller, "2026-09-03")
    with travel("2026-09-03", "08:05"):
        assert digest() == []
    assert mail.outbox == []
    assert not Notice.objects.exists()


def test_the_digest_waits_for_the_controllers_hour_and_goes_once_a_day(controller, digest):
    controller.digest_hour = 9
    controller.save()
    due_case(controller, "2026-09-01")
    sent_at = {}
    for day in ("2026-09-02", "2026-09-03"):
        for hour in range(24):
            with travel(day, f"{hour:02d}:01"):
                if digest():
                    sent_at.setdefault(day, []).append(hour)
    assert sent_at == {"2026-09-02": [9], "2026-09-03": [9]}
    assert len(mail.outbox) == 2


def test_a_missed_hour_still_gets_the_days_digest(controller, digest):
    due_case(controller, "2026-09-01")
    with travel("2026-09-02", "15:30"):  # beat was down all morning
        assert len(digest()) == 1


def test_the_digest_hour_is_in_the_controllers_time_zone(digest):
    controller = ControllerFactory(time_zone="America/New_York", digest_hour=8)
    due_case(controller, "2026-09-01")
    new_york = ZoneInfo("America/New_York")
    with travel("2026-09-02", "07:59", new_york):
        assert digest() == []
    with travel("2026-09-02", "08:00", new_york):  # 13:00 in London
        assert len(digest()) == 1


def test_without_a_dpo_address_the_team_gets_the_digest(digest):
    controller = ControllerFactory(dpo_email="")
    due_case(controller, "2026-09-01")
    with travel("2026-09-02", "09:00"):
        digest()
    assert mail.outbox[0].to == ["privacy-team@example.org"]


def test_each_controller_gets_its_own_digest(controller, other_controller, digest):
    mine = due_case(controller, "2026-09-01")
    theirs = due_case(other_controller, "2026-09-01")
    with travel("2026-09-02", "09:00"):
        assert {a.reference for a in digest()} == {"acme", "other"}
    bodies = {m.subject: m.body for m in mail.outbox}
    acme = bodies["1 overdue case at Acme Retail (Wed 2 Sep)"]
    assert mine.reference in acme and theirs.reference not in acme


def test_a_long_digest_lists_the_first_hundred_and_links_to_the_queue(controller, digest):
    for _ in range(DIGEST_MAX_ROWS + 2):
        due_case(controller, "2026-09-01")
    with travel("2026-09-02", "09:00"):
        (action,) = digest()
    assert action.detail == f"{DIGEST_MAX_ROWS + 2} overdue cases"
    body = mail.outbox[0].body
    assert body.count("/cases/DSAR-") == DIGEST_MAX_ROWS
    assert "And 2 more: http://127.0.0.1:8000/queue/?due=overdue&controller=acme" in body
