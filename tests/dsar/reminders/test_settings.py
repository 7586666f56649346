"""The controller's settings for scheduled work, in the admin."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from tests.factories import ControllerFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_new_controllers_get_the_default_digest_hour_and_chaser_delays():
    controller = ControllerFactory()
    assert (
        controller.digest_hour,
        controller.unconfirmed_chase_after_days,
        controller.unconfirmed_discard_after_days,
    ) == (8, 3, 14)


def test_admin_shows_the_reminder_settings(client, controller):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = client.get(f"/admin/dsar/controller/{controller.pk}/change/")
    assert response.status_code == 200
    for field in ("digest_hour", "unconfirmed_chase_after_days", "unconfirmed_discard_after_days"):
        assert f'name="{field}"' in response.content.decode()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"digest_hour": 24}, "digest_hour"),
        ({"unconfirmed_chase_after_days": 0}, "unconfirmed_chase_after_days"),
    ],
)
def test_impossible_settings_are_refused(controller, changes, field):
    for name, value in changes.items():
        setattr(controller, name, value)
    with pytest.raises(ValidationError) as exc:
        controller.full_clean()
    assert field in exc.value.message_dict


def test_discarding_before_chasing_is_refused(controller):
    controller.unconfirmed_chase_after_days = 7
    controller.unconfirmed_discard_after_days = 7
    with pytest.raises(ValidationError, match="Discard unconfirmed requests only after chasing"):
        controller.full_clean()
