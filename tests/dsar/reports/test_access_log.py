"""Who looked at what: case pages, evidence and export downloads are logged, and an
auditor sees them on the case and at /audit/ (searchable, exported as CSV)."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from dsar.choices import Role, Status
from dsar.models import AccessLog, AppendOnlyError
from exports.models import Document
from identity import evidence_services
from identity.choices import Method
from tests.factories import CaseFactory, officer_of
from tests.identity.factories import PNG, StepFactory, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def looked_at(client, controller, officer):
    """Olivia opens a case page, views its identity evidence and downloads its export."""
    case = CaseFactory(controller=controller, status=Status.IN_PROGRESS)
    step = StepFactory(case=case, method=Method.IDENTITY_DOCUMENT)
    evidence = evidence_services.evidence_add(step=step, upload=upload(PNG, "id.png", "image/png"))
    export = Document.objects.create(
        case=case,
        category=Document.Category.EXPORT,
        kind="export",
        title="Your data (ZIP)",
        status=Document.Status.READY,
        file=default_storage.save(
            "documents/test/export.zip", ContentFile(b"PK\x05\x06" + b"\0" * 18)
        ),
        sha256="e" * 64,
        content_type="application/zip",
    )
    client.force_login(officer)
    assert client.get(case.get_absolute_url()).status_code == 200
    assert client.get(f"/identity/evidence/{evidence.pk}/").status_code == 200
    assert client.get(f"/cases/{case.reference}/documents/{export.pk}/download/").status_code == 200
    client.logout()
    return {"case": case, "evidence": evidence, "export": export}


def test_a_case_view_an_evidence_view_and_an_export_download_are_logged(looked_at, officer):
    case = looked_at["case"]

    rows = list(AccessLog.objects.filter(case=case).order_by("at", "id"))

    assert [(r.user, r.kind, r.reference) for r in rows] == [
        (officer, "case", case.reference),
        (officer, "evidence", case.reference),
        (officer, "export", case.reference),
    ]
    assert rows[1].object_id == str(looked_at["evidence"].pk)
    assert rows[2].what == "Your data (ZIP)"
    assert all(r.controller == case.controller for r in rows)


def test_an_auditor_sees_who_looked_on_the_case_page(client, looked_at, auditor):
    client.force_login(auditor)

    page = client.get(looked_at["case"].get_absolute_url()).content.decode()

    assert "Who looked at this case" in page
    section = page.split("Who looked at this case", 1)[1].split("</table>", 1)[0]
    assert section.count("Olivia Officer") == 3
    assert "Identity evidence" in section and "Data export: Your data (ZIP)" in section


def test_an_officer_does_not_see_the_access_list(officer_client, looked_at):
    page = officer_client.get(looked_at["case"].get_absolute_url()).content.decode()

    assert "Who looked at this case" not in page


def test_the_audit_page_lists_and_searches_the_reads(client, looked_at, auditor, controller):
    other = CaseFactory(controller=controller)
    client.force_login(auditor)
    client.get(other.get_absolute_url())  # audrey's own read of another case

    every = client.get("/audit/").content.decode()
    one_case = client.get("/audit/", {"q": looked_at["case"].reference}).content.decode()
    evidence = client.get("/audit/", {"kind": "evidence"}).content.decode()
    by_audrey = client.get("/audit/", {"user": "audrey"}).content.decode()

    assert "4 reads." in every
    assert "3 reads." in one_case and other.reference not in one_case
    assert "1 read." in evidence
    assert "1 read." in by_audrey and other.reference in by_audrey


def test_the_audit_csv_has_the_searched_reads(client, looked_at, auditor):
    client.force_login(auditor)

    response = client.get("/audit/export.csv", {"q": looked_at["case"].reference})

    body = b"".join(response.streaming_content).decode()
    rows = list(csv.DictReader(io.StringIO(body)))
    assert [(r["user"], r["kind"], r["reference"]) for r in rows] == [
        ("olivia", "export", looked_at["case"].reference),
        ("olivia", "evidence", looked_at["case"].reference),
        ("olivia", "case", looked_at["case"].reference),
    ]
    assert "attachment;" in response["Content-Disposition"]


def test_officers_may_not_read_the_access_log(officer_client):
    assert officer_client.get("/audit/").status_code == 403
    assert officer_client.get("/audit/export.csv").status_code == 403


def test_another_controllers_auditor_sees_none_of_it(client, looked_at, other_controller):
    client.force_login(officer_of(other_controller, role=Role.AUDITOR, username="ollie"))

    page = client.get("/audit/").content.decode()

    assert "0 reads." in page
    assert looked_at["case"].reference not in page


def test_the_access_log_is_append_only(looked_at):
    entry = AccessLog.objects.first()

    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        AccessLog.objects.all().delete()


def test_the_menu_offers_the_access_log_to_auditors_only(client, auditor, officer):
    client.force_login(auditor)
    assert 'href="/audit/"' in client.get("/reports/").content.decode()
    client.force_login(officer)
    assert 'href="/audit/"' not in client.get("/reports/").content.decode()
