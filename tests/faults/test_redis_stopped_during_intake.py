"""Redis (cache and broker) stopped during intake: every request is stored with its
outbox email and answered as usual; once Redis is back the sweep sends each email once."""

from __future__ import annotations

import datetime as dt
import time

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from rest_framework.test import APIClient

from config.celery import app as celery_app
from dsar import ratelimit
from dsar.models import Case, OutgoingEmail
from dsar.tasks import send_pending_emails
from tests.dsar.abuse.test_budgets import api_body, form_answers
from tests.faults.conftest import reset_broker_pools

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def on_redis(redis_server, settings):
    """Cache and broker on this test's own redis-server; tasks really go to the broker."""
    settings.CACHES = {
        "default": {
            "BACKEND": "config.cache.ReusingRedisCache",
            "LOCATION": redis_server.url,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1.0},
        }
    }
    conf = celery_app.conf
    saved = conf.broker_url, conf.task_always_eager
    conf.broker_url, conf.task_always_eager = redis_server.url, False
    reset_broker_pools()
    ratelimit._state.update(cache_down_until=0.0, warned_at=float("-inf"))
    yield redis_server
    conf.broker_url, conf.task_always_eager = saved
    reset_broker_pools()
    ratelimit._state.update(cache_down_until=0.0, warned_at=float("-inf"))


def intake(client, api, controller, n: int) -> int:
    if n % 2:
        url = reverse("dsar:request_form", args=[controller.slug])
        return client.post(url, form_answers(f"p{n}@example.net"), REMOTE_ADDR=f"192.0.2.{n}")
    return api.post(
        "/api/v1/requests/", api_body(f"p{n}@example.net"), format="json", REMOTE_ADDR=f"::{n}"
    )


def test_requests_during_a_redis_outage_are_stored_and_each_email_goes_once(
    on_redis, client, controller, caplog
):
    api = APIClient()
    before = [intake(client, api, controller, n).status_code for n in range(1, 3)]
    on_redis.stop()

    started = time.monotonic()
    during = [intake(client, api, controller, n).status_code for n in range(3, 13)]
    seconds = time.monotonic() - started

    assert before == [302, 201]
    assert during == [302, 201] * 5  # the usual answers, not 500
    assert Case.objects.count() == 12
    pending = OutgoingEmail.objects.filter(state=OutgoingEmail.State.PENDING)
    assert pending.count() >= 10  # written with the case; the broker was down
    warnings = [r for r in caplog.records if "cache is unreachable" in r.getMessage()]
    assert len(warnings) == 1
    print(f"counts: requests=12 cases=12 pending emails={pending.count()} ({seconds:.1f}s)")

    on_redis.start()  # Redis is back: the beat sweep sends what is owed, once
    celery_app.conf.task_always_eager = True  # the worker's part, run here
    later = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=3)
    with time_machine.travel(later, tick=False):
        send_pending_emails()
        send_pending_emails()

    confirmations = OutgoingEmail.objects.filter(template="confirm_request")
    assert confirmations.count() == 12
    assert set(confirmations.values_list("state", flat=True)) == {OutgoingEmail.State.SENT}
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted(f"p{n}@example.net" for n in range(1, 13))  # each once
