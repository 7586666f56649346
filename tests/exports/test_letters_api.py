"""/api/v1/cases/<reference>/letters/...: kinds, preview, issue, status and download."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
import time_machine
from rest_framework.test import APIClient

from exports.models import Document
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db


def client_for(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def letters(case) -> str:
    return f"/api/v1/cases/{case.reference}/letters/"


@pytest.fixture
def officer_api(officer):
    return client_for(officer)


@pytest.fixture
def posted_case(case):
    case.requester_address = "1 High Street\nTown\nAB1 2CD"
    case.save()
    return case


@pytest.fixture
def issued(posted_case, officer, issue):
    """An acknowledgement issued for post, its PDF made."""
    return issue(case=posted_case, kind="acknowledgement", by=officer, delivery="post")


def test_kinds_come_suggested_first_with_their_parts(officer_api, case):
    response = officer_api.get(letters(case) + "kinds/")

    assert response.status_code == 200
    kinds = response.json()
    assert kinds[0]["suits"] is True
    ack = next(k for k in kinds if k["key"] == "acknowledgement")
    assert ack["refusal"] is None
    assert {"name": "next_steps", "required": True}.items() <= ack["fields"][0].items()
    extension = next(k for k in kinds if k["key"] == "extension_notice")
    assert "not been extended" in extension["refusal"]


def test_preview_renders_the_parts_given_and_saves_nothing(officer_api, case):
    response = officer_api.post(
        letters(case) + "preview/",
        {"kind": "acknowledgement", "fields": {"note": "Ring us on 0123."}},
        format="json",
    )

    assert response.status_code == 200, response.json()
    body = response.json()
    assert "Ring us on 0123." in body["html"]
    assert case.reference in body["html"]
    assert body["values"]["note"] == "Ring us on 0123."
    assert body["missing"] == []
    assert not Document.objects.exists()


def test_preview_warns_of_a_late_reply_as_the_compose_page_does(officer, controller):
    with time_machine.travel("2026-03-02 10:00 +00:00", tick=False):
        case = CaseFactory(controller=controller, received_on=dt.date(2026, 3, 2))
    api = client_for(officer)
    with time_machine.travel("2026-03-05 10:00 +00:00", tick=False):
        on_time = api.post(letters(case) + "preview/", {"kind": "acknowledgement"}).json()
    with time_machine.travel("2026-04-10 10:00 +00:00", tick=False):
        late = api.post(letters(case) + "preview/", {"kind": "acknowledgement"}).json()

    assert on_time["warnings"] == []
    assert any("This letter is late" in warning for warning in late["warnings"])


def test_preview_names_the_required_parts_left_empty(officer_api, case):
    response = officer_api.post(
        letters(case) + "preview/",
        {"kind": "acknowledgement", "fields": {"next_steps": ""}},
        format="json",
    )

    assert response.json()["missing"] == ["next_steps"]


def test_an_unknown_kind_is_a_field_error(officer_api, case):
    response = officer_api.post(letters(case) + "preview/", {"kind": "love_letter"}, format="json")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["kind"]


def test_issuing_stores_a_document_and_the_pdf_follows(
    officer_api, posted_case, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = officer_api.post(
            letters(posted_case), {"kind": "acknowledgement", "delivery": "post"}, format="json"
        )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["kind"], body["status"], body["delivery"]) == (
        "acknowledgement",
        "pending",
        "post",
    )
    assert body["produced_by"] == "olivia"
    assert body["download_url"] is None
    assert posted_case.events.filter(kind="letter_issued").exists()

    ready = officer_api.get(letters(posted_case) + f"{body['id']}/").json()
    assert ready["status"] == "ready"
    assert len(ready["sha256"]) == 64
    assert ready["download_url"].endswith(f"{letters(posted_case)}{body['id']}/download/")


def test_issuing_with_a_required_part_empty_is_refused(officer_api, posted_case):
    response = officer_api.post(
        letters(posted_case),
        {"kind": "acknowledgement", "delivery": "post", "fields": {"next_steps": " "}},
        format="json",
    )

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["next_steps"]
    assert not Document.objects.exists()


def test_a_letter_that_cannot_be_issued_now_is_refused_with_the_reason(officer_api, case):
    response = officer_api.post(letters(case), {"kind": "extension_notice"}, format="json")

    assert response.status_code == 400
    assert "not been extended" in response.json()["detail"]


def test_by_post_needs_an_address(officer_api, case):
    case.requester_address = ""
    case.save()

    response = officer_api.post(
        letters(case), {"kind": "acknowledgement", "delivery": "post"}, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["delivery"]


def test_a_correction_must_point_at_a_letter_of_the_same_case(officer_api, controller, issued):
    from tests.factories import CaseFactory

    other = CaseFactory(controller=controller, requester_address="2 Low Road")

    response = officer_api.post(
        letters(other),
        {"kind": "acknowledgement", "delivery": "post", "corrects": issued.pk},
        format="json",
    )

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["corrects"]


def test_letters_are_listed_and_downloaded(officer_api, issued):
    listed = officer_api.get(letters(issued.case)).json()
    assert [row["id"] for row in listed["results"]] == [issued.pk]

    response = officer_api.get(letters(issued.case) + f"{issued.pk}/download/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    content = b"".join(response.streaming_content)
    assert hashlib.sha256(content).hexdigest() == issued.sha256


def test_download_before_the_pdf_is_made_is_a_409(officer_api, posted_case, officer):
    from exports.letters import services

    document = services.letter_issue(
        case=posted_case, kind="acknowledgement", by=officer, delivery="post"
    )

    response = officer_api.get(letters(posted_case) + f"{document.pk}/download/")

    assert response.status_code == 409
    assert "being made" in response.json()["detail"]


def test_an_auditor_previews_lists_and_downloads_but_cannot_issue(auditor, issued):
    api = client_for(auditor)
    case = issued.case

    assert api.get(letters(case) + "kinds/").status_code == 200
    assert api.post(letters(case) + "preview/", {"kind": "acknowledgement"}).status_code == 200
    assert api.get(letters(case)).status_code == 200
    assert api.get(letters(case) + f"{issued.pk}/download/").status_code == 200
    response = api.post(letters(case), {"kind": "acknowledgement", "delivery": "post"})
    assert response.status_code == 403
    assert Document.objects.count() == 1


def test_an_outsider_gets_404_everywhere(outsider, issued):
    api = client_for(outsider)
    case = issued.case

    for url in ("kinds/", "", f"{issued.pk}/", f"{issued.pk}/download/"):
        assert api.get(letters(case) + url).status_code == 404, url
    assert api.post(letters(case), {"kind": "acknowledgement"}).status_code == 404
    assert api.post(letters(case) + "preview/", {"kind": "acknowledgement"}).status_code == 404


def test_anonymous_callers_get_401(issued):
    api = client_for()

    assert api.get(letters(issued.case)).status_code == 401
    assert api.post(letters(issued.case), {"kind": "acknowledgement"}).status_code == 401


def test_an_id_too_large_for_the_database_is_a_404(officer_api, case):
    response = officer_api.get(letters(case) + f"{10**30}/")

    assert response.status_code == 404
    assert "detail" in response.json()
