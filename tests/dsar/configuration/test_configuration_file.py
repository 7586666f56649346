"""The configuration file page: an admin downloads the settings as JSON, uploads a file,
reads every change it would make, and applies it; nothing changes before they confirm."""

from __future__ import annotations

import io
import json

import pytest
from django.urls import reverse

from dsar.configuration import portable
from dsar.configuration.models import ControllerEvent

pytestmark = pytest.mark.django_db


def url(name: str, controller) -> str:
    return reverse(f"settings:{name}", args=[controller.slug])


def upload(client, controller, data, name: str = "settings.json"):
    text = data if isinstance(data, bytes) else json.dumps(data).encode()
    document = io.BytesIO(text)
    document.name = name
    return client.post(url("configuration", controller), {"document": document})


def test_the_download_is_the_configuration_as_json(admin_client, controller):
    response = admin_client.get(url("configuration_download", controller))

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="acme-configuration.json"'
    assert json.loads(response.content) == portable.export_config(controller)


def test_an_upload_shows_each_change_and_changes_nothing_until_confirmed(
    admin_client, admin, controller
):
    document = portable.export_config(controller)
    document["controller"]["deadline_days"] = 21
    document["controller"]["deadline_rule"] = "days"
    document["controller"]["dpo_email"] = "dpo@acme.example"

    compared = upload(admin_client, controller, document)

    assert compared.status_code == 200
    page = compared.content.decode()
    assert "Importing this file would make 3 changes to Acme Retail" in page
    assert "Apply these 3 changes" in page
    assert "controller.dpo_email" in page and "&quot;dpo@acme.example&quot;" in page
    controller.refresh_from_db()
    assert controller.dpo_email != "dpo@acme.example"
    assert not ControllerEvent.objects.filter(kind="configuration_imported").exists()

    digest = compared.context["digest"]
    applied = admin_client.post(url("configuration_apply", controller), {"digest": digest})

    assert applied.status_code == 302
    assert applied["Location"] == url("changes", controller)
    controller.refresh_from_db()
    assert (controller.deadline_rule, controller.deadline_days) == ("days", 21)
    assert controller.dpo_email == "dpo@acme.example"
    event = ControllerEvent.objects.get(kind="configuration_imported")
    assert event.actor == admin
    assert len(event.after["changes"]) == 3
    # Applied once: the same confirmation again changes nothing more.
    again = admin_client.post(url("configuration_apply", controller), {"digest": digest})
    assert again.status_code == 302
    assert ControllerEvent.objects.filter(kind="configuration_imported").count() == 1


def test_only_the_latest_comparison_can_be_applied(admin_client, controller):
    first = portable.export_config(controller)
    first["controller"]["dpo_email"] = "first@acme.example"
    second = portable.export_config(controller)
    second["controller"]["dpo_email"] = "second@acme.example"
    stale = upload(admin_client, controller, first).context["digest"]
    upload(admin_client, controller, second)

    response = admin_client.post(
        url("configuration_apply", controller), {"digest": stale}, follow=True
    )

    assert "Nothing was changed: that comparison is no longer the latest" in (
        response.content.decode()
    )
    controller.refresh_from_db()
    assert controller.dpo_email not in {"first@acme.example", "second@acme.example"}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not json at all", "it is not JSON text"),
        (json.dumps({"format": "something-else"}).encode(), "Not a controller configuration"),
    ],
)
def test_a_file_that_is_not_a_configuration_is_refused_clearly(
    admin_client, controller, content, message
):
    response = upload(admin_client, controller, content)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ControllerEvent.objects.filter(controller=controller).exists()


def test_the_same_configuration_has_nothing_to_change(admin_client, controller):
    response = upload(admin_client, controller, portable.export_config(controller))

    assert "Nothing to change" in response.content.decode()
    assert "Apply th" not in response.content.decode()


def test_only_the_controllers_admins_may_download_or_import(officer_client, controller):
    assert officer_client.get(url("configuration_download", controller)).status_code == 403
    assert officer_client.get(url("configuration", controller)).status_code == 403
    assert (
        officer_client.post(url("configuration_apply", controller), {"digest": "x"}).status_code
        == 403
    )
