"""Password reset answers alike for known and unknown addresses, and is limited."""

import pytest
from django.core import mail
from django.urls import reverse

pytestmark = pytest.mark.django_db


def ask(client, email):
    return client.post(reverse("password_reset"), {"email": email})


def test_known_and_unknown_addresses_get_the_same_answer(client, officer):
    known = ask(client, "olivia@example.org")
    unknown = ask(client, "nobody-here@example.org")
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == 1


def test_reset_requests_are_limited_per_client(client, officer, settings):
    settings.PASSWORD_RESET_RATE_LIMIT_PER_HOUR = 2
    for _ in range(5):
        response = ask(client, "olivia@example.org")
        assert response["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == 2
