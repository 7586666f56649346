"""The change record: every settings change is one append-only event with before/after."""

from __future__ import annotations

import pytest

from dsar.configuration import services
from dsar.configuration.models import ControllerEvent
from dsar.models import AppendOnlyError

pytestmark = pytest.mark.django_db


def test_record_change_keeps_who_what_before_and_after(controller, admin):
    event = services.record_change(
        controller=controller,
        by=admin,
        kind="category_added",
        target="Contact",
        message="For the newsletter",
        before=None,
        after={"name": "Contact", "retention": "2 years"},
    )
    event.refresh_from_db()
    assert event.actor == admin
    assert event.kind == "category_added"
    assert event.target == "Contact"
    assert event.before == {}
    assert event.after == {"name": "Contact", "retention": "2 years"}
    assert event.actor_label == admin.get_full_name()


def test_events_cannot_be_edited_or_deleted(controller, admin):
    event = services.record_change(controller=controller, by=admin, kind="x")
    event.message = "rewritten"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        ControllerEvent.objects.filter(pk=event.pk).update(message="rewritten")
    with pytest.raises(AppendOnlyError):
        ControllerEvent.objects.filter(pk=event.pk).delete()


def test_an_organisation_change_records_only_what_changed(controller, admin):
    services.organisation_update(
        controller=controller,
        by=admin,
        values={"name": "Acme Stores", "dpo_email": controller.dpo_email, "reminder_days": [5]},
    )
    event = ControllerEvent.objects.get(controller=controller)
    assert event.kind == "organisation_changed"
    assert event.before == {"name": "Acme Retail", "reminder_days": [7, 3, 1]}
    assert event.after == {"name": "Acme Stores", "reminder_days": [5]}
    controller.refresh_from_db()
    assert controller.name == "Acme Stores"


def test_saving_the_same_values_records_nothing(controller, admin):
    services.organisation_update(controller=controller, by=admin, values={"name": controller.name})
    assert not ControllerEvent.objects.exists()


def test_the_service_refuses_what_is_not_an_organisation_setting(controller, admin):
    with pytest.raises(ValueError, match="slug"):
        services.organisation_update(controller=controller, by=admin, values={"slug": "new"})
