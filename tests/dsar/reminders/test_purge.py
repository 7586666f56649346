"""Closed cases past the controller's retention period are deleted (dsar.reminders.purge)."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from django.db.models import ProtectedError, Q
from django.utils import timezone

from dsar import services
from dsar.choices import Outcome, Status
from dsar.models import Case, CaseEvent, Notice, OutgoingEmail, Pause, PurgedCase
from dsar.reminders import purge_closed_cases
from dsar.reminders.purge import _purge
from tests.factories import CaseFactory, ControllerFactory

from .conftest import at, d, travel

pytestmark = pytest.mark.django_db


def closed_case(controller, officer, *, closed_on: str, **kwargs) -> Case:
    """A case with a history (pause, events, an email, a notice), closed on ``closed_on``."""
    case = CaseFactory(controller=controller, received_on=d("2020-01-06"), **kwargs)
    with travel("2020-01-07"):
        services.case_pause(case=case, by=officer, reason="Which account?")
        services.case_resume(case=case, by=officer)
    OutgoingEmail.objects.create(case=case, template="reminder_due", to="x@example.org")
    Notice.objects.create(
        controller=controller,
        case=case,
        kind="reminder",
        due_date=case.due_date,
        claim_token="00000000-0000-0000-0000-000000000001",
    )
    with travel(closed_on):
        case = services.case_submit_for_review(case=case, by=officer)
        return services.case_close(case=case, by=officer, outcome=Outcome.FULFILLED)


def test_a_case_closed_longer_ago_than_retention_is_deleted_with_its_trail(controller, officer):
    controller.closed_case_retention_days = 365
    controller.save()
    old = closed_case(controller, officer, closed_on="2025-01-10")
    kept = closed_case(controller, officer, closed_on="2025-09-10")
    assert CaseEvent.objects.filter(case=old).count() == 4
    with travel("2026-01-11"):  # 366 days after the first closure
        result = purge_closed_cases()
    assert [(a.kind, a.reference) for a in result.done] == [("purged", old.reference)]
    assert not Case.objects.filter(pk=old.pk).exists()
    # Append-only while the case exists; deleting the case takes its trail with it.
    for model in (CaseEvent, Pause, OutgoingEmail, Notice):
        assert not model.objects.filter(case_id=old.pk).exists(), model
    assert Case.objects.filter(pk=kept.pk).exists()
    assert CaseEvent.objects.filter(case=kept).count() == 4


def test_the_purge_leaves_a_record_without_personal_data(controller, officer):
    case = closed_case(controller, officer, closed_on="2020-02-03")
    with travel("2026-03-01"):
        purge_closed_cases()
    record = PurgedCase.objects.get()
    assert (record.reference, record.right, record.status) == (
        case.reference,
        case.right,
        Status.CLOSED,
    )
    assert record.received_on == d("2020-01-06")
    assert record.closed_at == at("2020-02-03")
    assert record.purged_at == at("2026-03-01")
    fields = {f.name for f in PurgedCase._meta.get_fields()}
    assert not fields & {"requester_name", "requester_email", "subject_name", "description"}


def test_open_cases_are_never_purged_however_old(controller):
    CaseFactory(controller=controller, received_on=d("2015-01-05"), status=Status.IN_PROGRESS)
    with travel("2026-03-01"):
        assert purge_closed_cases().done == []
    assert Case.objects.count() == 1


@pytest.mark.parametrize("status", [Status.WITHDRAWN, Status.REFUSED])
def test_withdrawn_and_refused_cases_are_purged_too(controller, status):
    CaseFactory(
        controller=controller,
        received_on=d("2018-01-05"),
        status=status,
        closed_at=timezone.make_aware(dt.datetime(2018, 2, 1)),
    )
    with travel("2026-03-01"):
        assert len(purge_closed_cases().done) == 1


def test_retention_is_per_controller(controller, other_controller):
    other_controller.closed_case_retention_days = 30
    other_controller.save()
    closed = timezone.make_aware(dt.datetime(2026, 1, 1))
    kept, purged = (
        CaseFactory(
            controller=c, received_on=d("2025-12-01"), status=Status.CLOSED, closed_at=closed
        )
        for c in (controller, other_controller)
    )
    with travel("2026-03-01"):
        (action,) = purge_closed_cases().done
    assert action.reference == purged.reference
    assert list(Case.objects.all()) == [kept]


def test_batches_say_when_more_remain(controller):
    closed = timezone.make_aware(dt.datetime(2018, 1, 1))
    CaseFactory.create_batch(
        3,
        controller=controller,
        received_on=d("2017-12-01"),
        status=Status.CLOSED,
        closed_at=closed,
    )
    with travel("2026-03-01"):
        first, second = purge_closed_cases(limit=2), purge_closed_cases(limit=2)
    assert (len(first.done), first.more, len(second.done), second.more) == (2, True, 1, False)
    assert PurgedCase.objects.count() == 3


def test_a_case_another_record_protects_is_kept_and_logged(controller, monkeypatch, caplog):
    closed = timezone.make_aware(dt.datetime(2018, 1, 1))
    case = CaseFactory(
        controller=controller, received_on=d("2017-12-01"), status=Status.CLOSED, closed_at=closed
    )

    def protected(self, *args, **kwargs):
        raise ProtectedError("held by another app", set())

    monkeypatch.setattr(Case, "delete", protected)
    caplog.set_level(logging.WARNING)
    with travel("2026-03-01"):
        result = purge_closed_cases(limit=1)
    assert (result.done, result.more) == ([], False)  # no endless loop over it
    assert Case.objects.filter(pk=case.pk).exists()
    assert not PurgedCase.objects.exists()
    assert case.reference in caplog.text


def test_a_case_purged_meanwhile_is_skipped(controller):
    """Two purges racing: the second finds the row gone and records nothing twice."""
    closed = timezone.make_aware(dt.datetime(2018, 1, 1))
    case = CaseFactory(
        controller=controller, received_on=d("2017-12-01"), status=Status.CLOSED, closed_at=closed
    )
    with travel("2026-03-01"):
        purge_closed_cases()
        assert _purge(case.pk, Q()) is None
    assert PurgedCase.objects.count() == 1


def test_a_controller_without_cases_purges_nothing(db):
    ControllerFactory()
    assert purge_closed_cases().done == []


def test_nothing_is_purged_where_no_retention_period_was_set(controller):
    """Issue 13, point 8: a notice silent on retention gives "not set", never a period."""
    fresh = ControllerFactory(slug="silent", closed_case_retention_days=None)
    assert fresh.closed_case_retention_days is None
    closed = timezone.make_aware(dt.datetime(2010, 1, 1))
    case = CaseFactory(
        controller=fresh, received_on=d("2009-12-01"), status=Status.CLOSED, closed_at=closed
    )
    with travel("2026-03-01"):
        assert purge_closed_cases().done == []
    assert Case.objects.filter(pk=case.pk).exists()
    from dsar.models import Controller

    assert Controller._meta.get_field("closed_case_retention_days").get_default() is None
