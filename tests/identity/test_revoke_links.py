"""Issue 18 point 9: a requester whose status link may have leaked stops it (and every
other one made so far) from the status page, and can stop a download link there too."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from dsar.choices import ActorKind
from exports.data.models import DownloadLink
from exports.data.services.delivery import link_path
from exports.models import Document
from identity.tokens import make_status_token

pytestmark = pytest.mark.django_db


def status(token: str) -> str:
    return reverse("identity:status", args=[token])


def test_the_requester_stops_every_status_link_and_a_new_one_works(client, waiting_case):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        token = make_status_token(waiting_case.reference)
        forwarded = make_status_token(waiting_case.reference)
        assert client.get(status(token)).status_code == 200
        assert "Stop every link to this page" in client.get(status(token)).content.decode()

        response = client.post(reverse("identity:revoke_links", args=[token]))

        assert response.status_code == 302
        assert response.url == reverse("identity:ask_for_link")
        assert client.get(status(token)).status_code == 404
        assert client.get(status(forwarded)).status_code == 404
        assert client.post(reverse("identity:withdraw", args=[token])).status_code == 404
    event = waiting_case.events.get(kind="status_links_revoked")
    assert event.actor_kind == ActorKind.REQUESTER

    with time_machine.travel(start + dt.timedelta(seconds=2), tick=False):
        fresh = make_status_token(waiting_case.reference)
        assert client.get(status(fresh)).status_code == 200


def test_a_requester_cannot_stop_another_cases_links(client, waiting_case, case):
    token = make_status_token(waiting_case.reference)
    client.post(reverse("identity:revoke_links", args=[token]))
    assert not case.status_revocations.exists()


def test_the_requester_stops_a_download_link_from_the_status_page(client, waiting_case):
    document = Document.objects.create(
        case=waiting_case,
        category=Document.Category.EXPORT,
        kind="access_export",
        title="Your personal data",
        status=Document.Status.READY,
        file=ContentFile(b"PK\x03\x04 zip", name="export.zip"),
        size=8,
        content_type="application/zip",
    )
    link = DownloadLink.objects.create(
        document=document,
        audience=DownloadLink.Audience.REQUESTER,
        expires_at=timezone.now() + dt.timedelta(days=7),
    )
    token = make_status_token(waiting_case.reference)
    page = client.get(status(token)).content.decode()
    revoke = reverse("identity:revoke_download", args=[token, link.pk])
    assert revoke in page

    response = client.post(revoke)

    assert response.status_code == 302
    link.refresh_from_db()
    assert link.revoked_at is not None
    assert client.get(link_path(link)).status_code == 410
    event = waiting_case.events.get(kind="download_link_revoked")
    assert event.actor_kind == ActorKind.REQUESTER
    assert revoke not in client.get(status(token)).content.decode()
    assert client.post(revoke).status_code == 404  # already stopped


def test_a_download_link_of_another_case_cannot_be_stopped_from_this_page(
    client, waiting_case, case
):
    document = Document.objects.create(
        case=case, category=Document.Category.EXPORT, kind="access_export", title="Theirs"
    )
    link = DownloadLink.objects.create(
        document=document,
        audience=DownloadLink.Audience.REQUESTER,
        expires_at=timezone.now() + dt.timedelta(days=7),
    )
    token = make_status_token(waiting_case.reference)
    assert (
        client.post(reverse("identity:revoke_download", args=[token, link.pk])).status_code == 404
    )
    link.refresh_from_db()
    assert link.revoked_at is None
