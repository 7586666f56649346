"""Scheduled work: the evidence purge, chasers and closing as unverified."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.core.files.storage import default_storage

from dsar import services as case_services
from dsar.choices import RefusalGround, Status
from identity import evidence_services, reminders, services, tasks
from identity.choices import Method, StepStatus
from identity.models import EvidenceFile, IdentityChaser
from tests.factories import CaseFactory
from tests.identity.factories import PolicyFactory, StepFactory, upload

pytestmark = pytest.mark.django_db

LONDON = dt.timezone(dt.timedelta(hours=1))


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=LONDON)


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


# --- purge -------------------------------------------------------------------------------


@pytest.fixture
def checked_evidence(controller, officer):
    """A passport uploaded on 1 June 2026 and passed on 2 June, under a 30-day retention."""
    PolicyFactory(controller=controller, evidence_retention_days=30)
    with time_machine.travel(at("2026-06-01 09:00"), tick=False):
        case = CaseFactory(controller=controller, status=Status.AWAITING_IDENTITY)
        step = StepFactory(case=case)
        item = evidence_services.evidence_add(step=step, upload=upload())
    with time_machine.travel(at("2026-06-02 10:00"), tick=False):
        services.step_pass(step=step, by=officer)
    return item


def test_evidence_is_kept_until_its_retention_after_the_check_ends(checked_evidence):
    with time_machine.travel(at("2026-07-02 09:59"), tick=False):
        assert reminders.purge_expired_evidence() == 0
    assert default_storage.exists(checked_evidence.file.name)
    assert EvidenceFile.objects.filter(pk=checked_evidence.pk).exists()


def test_evidence_past_its_retention_is_gone_from_storage_and_database(checked_evidence):
    name, case = checked_evidence.file.name, checked_evidence.step.case
    with time_machine.travel(at("2026-07-02 10:01"), tick=False):
        assert tasks.purge_expired_evidence() == 1
    assert not default_storage.exists(name)
    assert not EvidenceFile.objects.filter(pk=checked_evidence.pk).exists()
    event = case.events.get(kind="evidence_purged")
    assert event.actor_kind == "system"
    assert event.data["evidence"] == checked_evidence.pk
    assert event.data["sha256"] == checked_evidence.sha256
    assert "30 days after the check ended on 2 June 2026" in event.message
    assert name not in event.message


def test_running_the_purge_again_does_nothing_more(checked_evidence):
    with time_machine.travel(at("2026-08-01 10:00"), tick=False):
        assert reminders.purge_expired_evidence() == 1
        assert reminders.purge_expired_evidence() == 0
    assert checked_evidence.step.case.events.filter(kind="evidence_purged").count() == 1


def test_the_case_page_shows_the_purge(officer_client, checked_evidence):
    with time_machine.travel(at("2026-08-01 10:00"), tick=False):
        reminders.purge_expired_evidence()
        page = officer_client.get(checked_evidence.step.case.get_absolute_url())
    text = page.content.decode()
    assert "Evidence purged" in text
    assert f"evidence file {checked_evidence.pk} (PDF" in text


def test_evidence_of_a_pending_check_is_kept_while_the_case_is_open(controller):
    PolicyFactory(controller=controller, evidence_retention_days=1)
    case = CaseFactory(controller=controller, status=Status.AWAITING_IDENTITY)
    item = evidence_services.evidence_add(step=StepFactory(case=case), upload=upload())
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(days=400), tick=False):
        assert reminders.purge_expired_evidence() == 0
    assert default_storage.exists(item.file.name)


def test_evidence_of_a_withdrawn_case_goes_after_retention_from_the_withdrawal(controller):
    with time_machine.travel(at("2026-06-01 09:00"), tick=False):
        case = CaseFactory(controller=controller, status=Status.AWAITING_IDENTITY)
        item = evidence_services.evidence_add(step=StepFactory(case=case), upload=upload())
    with time_machine.travel(at("2026-06-03 09:00"), tick=False):
        case_services.case_withdraw(case=case, by=None, actor_kind="requester")
    with time_machine.travel(at("2026-07-03 08:59"), tick=False):  # default: 30 days
        assert reminders.purge_expired_evidence() == 0
    with time_machine.travel(at("2026-07-03 09:01"), tick=False):
        assert reminders.purge_expired_evidence() == 1
    assert not default_storage.exists(item.file.name)


def test_deleting_a_case_deletes_its_evidence_files(controller, django_capture_on_commit_callbacks):
    case = CaseFactory(controller=controller, status=Status.AWAITING_IDENTITY)
    item = evidence_services.evidence_add(step=StepFactory(case=case), upload=upload())
    with django_capture_on_commit_callbacks(execute=True):
        case.delete()
    assert not default_storage.exists(item.file.name)


# --- chasers and closing -------------------------------------------------------------------


@pytest.fixture
def asked(controller):
    """Asked for a passport on Mon 1 June 2026; chase every 14 days, close after 56."""
    PolicyFactory(controller=controller, chase_after_days=14, close_unverified_after_days=56)
    with time_machine.travel(at("2026-06-01 09:00"), tick=False):
        case = CaseFactory(controller=controller, status=Status.AWAITING_IDENTITY)
        StepFactory(case=case, method=Method.IDENTITY_DOCUMENT)
    return case


def test_no_chaser_before_the_interval(asked):
    assert reminders.chase_unverified(at("2026-06-14 09:00")) == {"chased": 0, "closed": 0}


def test_a_chaser_goes_at_the_interval_once_however_often_the_sweep_runs(asked):
    for hour in ("06:00", "07:00", "18:00"):
        reminders.chase_unverified(at(f"2026-06-15 {hour}"))
    (chaser,) = IdentityChaser.objects.filter(case=asked)
    assert chaser.due_on == d("2026-06-15")
    email = asked.emails.get(template="evidence_chaser")
    assert "Monday 27 July 2026" in email.body_text  # 1 June + 56 days
    assert "/status/" in email.body_text
    assert asked.events.filter(kind="identity_chaser_sent").count() == 1


def test_chasers_repeat_at_each_interval(asked):
    for day in ("2026-06-15", "2026-06-20", "2026-06-29", "2026-07-13"):
        reminders.chase_unverified(at(f"{day} 09:00"))
    assert list(IdentityChaser.objects.values_list("due_on", flat=True)) == [
        d("2026-06-15"), d("2026-06-29"), d("2026-07-13"),
    ]  # fmt: skip


def test_a_missed_week_of_sweeps_sends_one_chaser_not_a_burst(asked):
    reminders.chase_unverified(at("2026-07-20 09:00"))
    assert IdentityChaser.objects.count() == 1


def test_past_the_limit_the_case_is_refused_as_unverified_and_the_requester_told(asked):
    with time_machine.travel(at("2026-07-27 09:00"), tick=False):
        assert tasks.chase_unverified() == {"chased": 0, "closed": 1}
    asked.refresh_from_db()
    assert asked.status == Status.REFUSED
    assert asked.refusal_ground == RefusalGround.IDENTITY_NOT_VERIFIED
    assert "We asked on 1 June 2026" in asked.outcome_reasons
    assert "56 days later" in asked.outcome_reasons
    event = asked.events.get(kind="refused")
    assert event.actor is None and event.actor_kind == "system"
    assert asked.emails.filter(template="closed_unverified").exists()
    assert reminders.chase_unverified(at("2026-07-28 09:00")) == {"chased": 0, "closed": 0}


def test_evidence_waiting_for_review_stops_chasers_and_closing(asked):
    step = asked.verification_steps.get()
    evidence_services.evidence_add(step=step, upload=upload())
    assert reminders.chase_unverified(at("2026-08-30 09:00")) == {"chased": 0, "closed": 0}
    asked.refresh_from_db()
    assert asked.status == Status.AWAITING_IDENTITY


def test_a_knowledge_check_is_ours_to_run_so_nobody_is_chased(controller):
    case = CaseFactory(controller=controller, status=Status.AWAITING_IDENTITY)
    StepFactory(case=case, method=Method.KNOWLEDGE_CHECK)
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=100)
    assert reminders.chase_unverified(later) == {"chased": 0, "closed": 0}


def test_zero_days_means_never(controller):
    PolicyFactory(controller=controller, chase_after_days=0, close_unverified_after_days=0)
    case = CaseFactory(controller=controller, status=Status.AWAITING_IDENTITY)
    StepFactory(case=case)
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=365)
    assert reminders.chase_unverified(later) == {"chased": 0, "closed": 0}


def test_chasers_only_for_cases_waiting_for_identity(controller):
    case = CaseFactory(controller=controller, status=Status.IN_PROGRESS)
    StepFactory(case=case, status=StepStatus.PENDING)
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=100)
    assert reminders.chase_unverified(later) == {"chased": 0, "closed": 0}
    assert not mail.outbox
