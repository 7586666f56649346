"""Attack: PDFs with active content sent as evidence, on the status page and in the API."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from identity.models import EvidenceFile
from identity.tokens import make_status_token
from tests.dsar.test_uploads import ATTACKS
from tests.identity.factories import upload

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("make", ATTACKS.values(), ids=ATTACKS.keys())
def test_the_status_page_refuses_each_attack(client, step, make):
    url = reverse("identity:upload", args=[make_status_token(step.case.reference), step.pk])
    response = client.post(url, {"file": upload(make(), "passport.pdf")})
    assert response.status_code == 400
    assert "which we cannot accept" in response.content.decode()
    assert not EvidenceFile.objects.exists()


@pytest.mark.parametrize("make", ATTACKS.values(), ids=ATTACKS.keys())
def test_the_api_refuses_each_attack(officer, waiting_case, step, make):
    api = APIClient()
    api.force_authenticate(officer)
    url = f"/api/v1/cases/{waiting_case.reference}/verification/steps/{step.pk}/evidence/"
    response = api.post(url, {"file": upload(make(), "passport.pdf")}, format="multipart")
    assert response.status_code == 400
    assert "which we cannot accept" in response.json()["errors"]["file"][0]
    assert not EvidenceFile.objects.exists()


def test_evidence_from_the_api_is_served_sandboxed_and_nosniff(officer, waiting_case, step):
    from identity import evidence_services
    from tests.identity.factories import PNG

    item = evidence_services.evidence_add(step=step, upload=upload(PNG, "id.png", "image/png"))
    api = APIClient()
    api.force_authenticate(officer)
    url = f"/api/v1/cases/{waiting_case.reference}/verification/evidence/{item.pk}/download/"
    response = api.get(url)
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == "sandbox"
    assert response["X-Content-Type-Options"] == "nosniff"
