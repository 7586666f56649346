"""Sessions end after 30 idle minutes, after 8 hours in all, and on a password change."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db
START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def signed_in(client, user):
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302


def test_idle_session_ends_after_thirty_minutes(client, officer):
    with time_machine.travel(START, tick=False) as clock:
        signed_in(client, officer)
        clock.shift(dt.timedelta(minutes=29))
        assert client.get(reverse("dsar:queue")).status_code == 200
        clock.shift(dt.timedelta(minutes=31))
        response = client.get(reverse("dsar:queue"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_busy_session_still_ends_after_eight_hours(client, officer):
    with time_machine.travel(START, tick=False) as clock:
        signed_in(client, officer)
        for _ in range(8 * 3 + 1):
            clock.shift(dt.timedelta(minutes=20))
            response = client.get(reverse("dsar:queue"))
            if response.status_code != 200:
                break
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_password_change_ends_the_other_sessions(client, officer, settings):
    signed_in(client, officer)
    officer.set_password("a-new-long-passphrase-2026")
    officer.save()
    response = client.get(reverse("dsar:queue"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_session_limits_come_from_settings(settings):
    assert settings.SESSION_IDLE_MINUTES == 30
    assert settings.SESSION_MAX_HOURS == 8
    assert settings.SESSION_COOKIE_AGE == 8 * 3600
