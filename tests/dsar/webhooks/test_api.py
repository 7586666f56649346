"""/api/v1/webhooks/: controller admins register, list and delete endpoints."""

from __future__ import annotations

import pytest

from dsar.choices import Role
from dsar.webhooks.models import WebhookDelivery, WebhookEndpoint, WebhookMessage
from tests.factories import api_client_for, officer_of

pytestmark = pytest.mark.django_db
URL = "/api/v1/webhooks/"
BODY = {
    "controller": "acme",
    "url": "https://crm.acme.example/hooks/dsar",
    "event_types": ["case.closed"],
}


@pytest.fixture
def admin_api(admin):
    return api_client_for(admin)


@pytest.fixture
def endpoint(controller, admin):
    return WebhookEndpoint.objects.create(
        controller=controller, url="https://crm.acme.example/h", created_by=admin
    )


def test_an_admin_registers_an_endpoint_and_sees_its_secret_once(admin_api, settings):
    settings.WEBHOOK_ALLOW_LOCAL_URLS = False

    response = admin_api.post(URL, BODY, format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["secret"].startswith("whsec_")
    assert body["event_types"] == ["case.closed"]
    assert WebhookEndpoint.objects.get().secret == body["secret"]
    listed = admin_api.get(URL).json()["results"]
    assert [e["id"] for e in listed] == [body["id"]]
    assert "secret" not in listed[0]
    assert "secret" not in admin_api.get(f"{URL}{body['id']}/").json()


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://crm.acme.example/hook", "https://"),
        ("https://10.0.0.8/hook", "private"),
        ("not a url", "valid URL"),
    ],
)
def test_a_url_that_is_not_public_https_is_a_field_error(admin_api, settings, url, message):
    settings.WEBHOOK_ALLOW_LOCAL_URLS = False

    response = admin_api.post(URL, {**BODY, "url": url}, format="json")

    assert response.status_code == 400
    assert message in response.json()["errors"]["url"][0]
    assert not WebhookEndpoint.objects.exists()


def test_an_unknown_event_type_is_a_field_error(admin_api):
    response = admin_api.post(URL, {**BODY, "event_types": ["case.exploded"]}, format="json")

    assert response.status_code == 400
    assert "event_types" in response.json()["errors"]


def test_officers_and_auditors_who_are_not_admins_cannot_register(officer, auditor):
    for user in (officer, auditor):
        response = api_client_for(user).post(URL, BODY, format="json")
        assert response.status_code == 403
        assert "admins" in response.json()["detail"]
    assert not WebhookEndpoint.objects.exists()


def test_non_admins_see_no_endpoints(officer, auditor, endpoint):
    for user in (officer, auditor):
        api = api_client_for(user)
        assert api.get(URL).json()["results"] == []
        assert api.get(f"{URL}{endpoint.pk}/").status_code == 404
        assert api.delete(f"{URL}{endpoint.pk}/").status_code == 404
    assert WebhookEndpoint.objects.exists()


def test_an_admin_of_another_controller_gets_404_and_cannot_register_here(
    other_controller, endpoint
):
    stranger = api_client_for(officer_of(other_controller, role=Role.ADMIN, username="x-admin"))

    assert stranger.get(f"{URL}{endpoint.pk}/").status_code == 404
    assert stranger.delete(f"{URL}{endpoint.pk}/").status_code == 404
    response = stranger.post(URL, BODY, format="json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["controller"]


def test_anonymous_callers_get_401(endpoint):
    assert api_client_for().get(URL).status_code == 401
    assert api_client_for().post(URL, BODY, format="json").status_code == 401


def test_the_delivery_log_lists_attempts_newest_first(admin_api, endpoint):
    message = WebhookMessage.objects.create(
        endpoint=endpoint, event_type="case.closed", dedupe_key="k", payload={}, attempts=2
    )
    WebhookDelivery.objects.create(message=message, attempt=1, status_code=500, error="HTTP 500")
    WebhookDelivery.objects.create(message=message, attempt=2, status_code=200, ok=True)

    rows = admin_api.get(f"{URL}{endpoint.pk}/deliveries/").json()["results"]

    assert [(r["attempt"], r["status_code"], r["ok"]) for r in rows] == [
        (2, 200, True),
        (1, 500, False),
    ]
    assert rows[0]["event_id"] == str(message.event_id)


def test_deleting_an_endpoint_removes_its_log(admin_api, endpoint):
    message = WebhookMessage.objects.create(
        endpoint=endpoint, event_type="case.closed", dedupe_key="k", payload={}
    )
    WebhookDelivery.objects.create(message=message, attempt=1)

    assert admin_api.delete(f"{URL}{endpoint.pk}/").status_code == 204

    assert not WebhookEndpoint.objects.exists()
    assert not WebhookDelivery.objects.exists()


def test_a_staff_auditor_cannot_register_a_webhook_or_see_endpoints(auditor, endpoint):
    """The staff flag grants nothing on a controller: only the membership role admin."""
    auditor.is_staff = True
    auditor.save(update_fields=["is_staff"])
    api = api_client_for(auditor)
    assert api.post(URL, BODY, format="json").status_code == 403
    assert api.get(URL).json()["results"] == []
    assert api.delete(f"{URL}{endpoint.pk}/").status_code == 404
    assert WebhookEndpoint.objects.count() == 1


def test_registering_and_deleting_through_the_api_are_recorded_changes(admin_api, admin):
    """Issue 19: the settings' Changes tab lists them, never the secret."""
    from dsar.configuration.models import ControllerEvent

    body = admin_api.post(URL, BODY, format="json").json()
    assert admin_api.delete(f"{URL}{body['id']}/").status_code == 204
    events = list(ControllerEvent.objects.order_by("id"))
    assert [(e.kind, e.actor) for e in events] == [
        ("webhook_registered", admin),
        ("webhook_removed", admin),
    ]
    assert events[0].after["url"] == BODY["url"]
    assert body["secret"] not in str([(e.before, e.after, e.message) for e in events])
