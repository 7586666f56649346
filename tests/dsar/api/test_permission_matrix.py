"""Who may do what, for every officer endpoint: one row per endpoint, one column per role.

- officer of the controller: the operation works;
- officer of another controller: 404 (they cannot tell the case exists), a list
  without this controller's rows, or a field error naming the controller they lack;
- auditor of the controller: reads; acting is 403 and changes nothing;
- anonymous: 401.

Admin-only operations (webhooks, changing a controller) have their own matrix in
test_controllers.py and tests/dsar/webhooks/test_api.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from rest_framework.test import APIClient

from dsar.choices import Status
from dsar.models import CaseEvent
from exports.data.models import Collection, DataSource, SourceResult
from exports.models import Document
from identity import evidence_services
from identity.choices import Method
from tests.factories import CaseFactory
from tests.identity.factories import PNG, StepFactory, upload

pytestmark = pytest.mark.django_db

READ, ACT, LIST = "read", "act", "list"


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str  # {case} {waiting} {step} {evidence} {letter} {result}
    kind: str
    ok: int = 200
    body: dict[str, Any] | None = None
    multipart: bool = False
    outsider: int = 404  # what an officer of another controller gets

    def __str__(self) -> str:
        return f"{self.method.upper()} {self.path}"


CASE = "/api/v1/cases/{case}/"
WAITING = "/api/v1/cases/{waiting}/verification/"
LOGGED = {
    "controller": "acme",
    "channel": "phone",
    "received_on": "2026-01-05",
    "right": "access",
    "requester_name": "Ada",
    "requester_phone": "020 7946 0000",
}
ENDPOINTS = [
    Endpoint("get", "/api/v1/cases/", LIST),
    # Issue 15: search covers every status, never another controller's case.
    Endpoint("get", "/api/v1/cases/?q={case}", LIST),
    Endpoint("get", "/api/v1/cases/?q=example.net", LIST),
    Endpoint("post", "/api/v1/cases/", ACT, 201, LOGGED, outsider=400),
    Endpoint("get", CASE, READ),
    Endpoint("get", CASE + "events/", READ),
    Endpoint("post", CASE + "assign/", ACT, body={"assignee": "olivia"}),
    Endpoint("post", CASE + "pause/", ACT, body={"reason": "Which account?"}),
    Endpoint("post", CASE + "extend/", ACT, body={"reason": "Twelve systems."}),
    Endpoint("post", CASE + "submit-for-review/", ACT, body={}),
    Endpoint(
        "post", CASE + "refuse/", ACT, body={"ground": "manifestly_excessive", "reasons": "x"}
    ),
    Endpoint("post", CASE + "withdraw/", ACT, body={}),
    Endpoint(
        "get", "/api/v1/deadlines/preview/?received=2026-01-05&controller=acme", READ, outsider=400
    ),
    # Reports (dsar.reports, issue 16): aggregates of the controllers one sees.
    Endpoint("get", "/api/v1/reports/summary/?controller=acme", READ, outsider=400),
    Endpoint("get", "/api/v1/controllers/", LIST),
    Endpoint("get", "/api/v1/controllers/acme/", READ),
    # Verification (identity.api).
    Endpoint("get", WAITING + "steps/", READ),
    Endpoint("get", WAITING + "steps/{step}/", READ),
    Endpoint("post", WAITING + "steps/", ACT, 201, {"method": Method.KNOWLEDGE_CHECK}),
    Endpoint("post", WAITING + "steps/{step}/pass/", ACT, body={}),
    Endpoint("post", WAITING + "steps/{step}/fail/", ACT, body={"reason": "Not them."}),
    Endpoint("post", WAITING + "steps/{step}/waive/", ACT, body={"reason": "Known to us."}),
    Endpoint("post", WAITING + "steps/{step}/evidence/", ACT, 201, multipart=True),
    Endpoint("get", WAITING + "evidence/{evidence}/download/", ACT),
    Endpoint("post", WAITING + "request-more/", ACT, body={}),
    Endpoint("post", WAITING + "close-unverified/", ACT, body={"reasons": "No answer."}),
    # Letters (exports.letters.api).
    Endpoint("get", CASE + "letters/kinds/", READ),
    Endpoint("post", CASE + "letters/preview/", READ, body={"kind": "acknowledgement"}),
    Endpoint("get", CASE + "letters/", READ),
    Endpoint("post", CASE + "letters/", ACT, 201, {"kind": "acknowledgement", "delivery": "post"}),
    Endpoint("get", CASE + "letters/{letter}/", READ),
    Endpoint("get", CASE + "letters/{letter}/download/", READ),
    # The subject's data (exports.data.api): a manual source's findings, here "nothing found".
    Endpoint(
        "post",
        CASE + "data/search/results/{result}/upload/",
        ACT,
        body={"note": "Looked in the archive; nothing there."},
        multipart=True,
    ),
]


@pytest.fixture
def world(controller, officer, second_officer):
    case = CaseFactory(
        controller=controller,
        requester_address="1 High Street\nTown",
        received_on=controller.today(),
    )
    waiting = CaseFactory(controller=controller, status=Status.AWAITING_IDENTITY)
    step = StepFactory(case=waiting, method=Method.IDENTITY_DOCUMENT)
    evidence = evidence_services.evidence_add(step=step, upload=upload(PNG, "id.png", "image/png"))
    letter = Document.objects.create(
        case=case,
        kind="acknowledgement",
        title="Acknowledgement of your request",
        status=Document.Status.READY,
        file=default_storage.save("documents/test/letter.pdf", ContentFile(b"%PDF-1.7 test")),
        sha256="0" * 64,
        delivery="post",
    )
    manual = DataSource.objects.create(
        controller=controller, name="Paper archive", kind=DataSource.Kind.MANUAL
    )
    result = SourceResult.objects.create(
        collection=Collection.objects.create(case=case),
        source=manual,
        source_name=manual.name,
    )
    return {
        "case": case.reference,
        "waiting": waiting.reference,
        "step": step.pk,
        "evidence": evidence.pk,
        "letter": letter.pk,
        "result": result.pk,
    }


def call(client: APIClient, endpoint: Endpoint, world: dict[str, Any]):
    url = endpoint.path.format(**world)
    if endpoint.method == "get":
        return client.get(url)
    if endpoint.multipart:
        body = {"file": upload()} if endpoint.body is None else endpoint.body
        return client.post(url, body, format="multipart")
    return client.post(url, endpoint.body or {}, format="json")


def as_user(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def trail_size() -> int:
    return CaseEvent.objects.count()


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
def test_the_officer_of_the_controller_may(endpoint, world, officer):
    response = call(as_user(officer), endpoint, world)

    assert response.status_code == endpoint.ok, getattr(response, "data", response)


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
def test_an_officer_of_another_controller_sees_nothing(endpoint, world, outsider):
    before = trail_size()

    response = call(as_user(outsider), endpoint, world)

    if endpoint.kind == LIST:
        assert response.status_code == 200
        rows = response.json()["results"]
        assert "acme" not in {row.get("controller", row.get("slug")) for row in rows}
    else:
        assert response.status_code == endpoint.outsider
    if endpoint.outsider == 400:
        assert "controller" in response.json()["errors"]
    assert trail_size() == before


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
def test_an_auditor_reads_but_does_not_act(endpoint, world, auditor):
    before = trail_size()

    response = call(as_user(auditor), endpoint, world)

    if endpoint.kind == ACT:
        assert response.status_code == 403
        assert response.json()["detail"]
        assert trail_size() == before
    else:
        assert response.status_code == endpoint.ok


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
def test_anonymous_callers_are_asked_to_authenticate(endpoint, world, controller):
    response = call(APIClient(), endpoint, world)

    assert response.status_code == 401
    assert "detail" in response.json()
