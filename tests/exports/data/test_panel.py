"""The case page's "Personal data" panel and its actions, through Django's client."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dsar.choices import Right, Role
from exports.data.models import Collection, Exemption
from tests.exports.data.conftest import DATA_DB, subject_case
from tests.factories import officer_of

pytestmark = DATA_DB


def test_the_panel_shows_what_each_source_found(
    demo_db, jane_case, data_officer, client, django_capture_on_commit_callbacks
):
    client.force_login(data_officer)
    page = client.get(jane_case.get_absolute_url()).content.decode()
    assert "Personal data" in page
    assert "has not been searched for yet" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("exports:search_start", args=[jane_case.reference]))
    assert response.status_code == 302
    page = client.get(jane_case.get_absolute_url()).content.decode()
    assert "Customer database (demo)" in page
    assert "Waiting for an upload" in page
    assert "j***@example.com" in page  # identifiers masked on the page
    found = Collection.objects.get(case=jane_case)
    manual = found.results.get(source__kind="manual")
    upload = SimpleUploadedFile("calls.csv", b"date,note\n2024-05-01,Call about a bill\n")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("exports:manual_upload", args=[jane_case.reference, manual.pk]),
            {"file": upload, "category": "Call recordings"},
        )
    assert response.status_code == 302
    page = client.get(jane_case.get_absolute_url()).content.decode()
    assert "Release the data found" in page


def test_a_bad_upload_is_refused_with_a_clear_message(
    demo_db, jane_case, data_officer, client, run
):
    from exports.data.services import collection

    found = run(collection.collection_start, case=jane_case, by=data_officer)
    manual = found.results.get(source__kind="manual")
    client.force_login(data_officer)
    response = client.post(
        reverse("exports:manual_upload", args=[jane_case.reference, manual.pk]),
        {"file": SimpleUploadedFile("calls.txt", b"hello"), "category": "Call recordings"},
    )
    assert response.status_code == 400
    assert "Upload a .csv or a .json file" in response.content.decode()


def test_auditors_see_the_panel_but_cannot_act(mapped_controller, client):
    case = subject_case(mapped_controller, right=Right.ERASURE)
    auditor = officer_of(mapped_controller, role=Role.AUDITOR, username="audi")
    client.force_login(auditor)
    page = client.get(case.get_absolute_url()).content.decode()
    assert "Personal data" in page
    assert "Search every source" not in page
    response = client.post(reverse("exports:search_start", args=[case.reference]))
    assert response.status_code == 403


def test_an_exemption_is_recorded_from_the_page(mapped_controller, data_officer, client):
    case = subject_case(mapped_controller, right=Right.ERASURE)
    category = mapped_controller.data_categories.get(name="Financial")
    client.force_login(data_officer)
    refused = client.post(
        reverse("exports:exemption_add", args=[case.reference]),
        {"category": category.pk, "reason": "legal_obligation", "detail": ""},
    )
    assert refused.status_code == 400
    assert "Say what the exemption rests on" in refused.content.decode()
    client.post(
        reverse("exports:exemption_add", args=[case.reference]),
        {"category": category.pk, "reason": "legal_obligation", "detail": "HMRC: six years."},
    )
    assert Exemption.objects.get(case=case).detail == "HMRC: six years."
    assert "HMRC: six years." in client.get(case.get_absolute_url()).content.decode()


def test_another_controllers_officer_gets_404(mapped_controller, client, outsider):
    case = subject_case(mapped_controller)
    client.force_login(outsider)
    response = client.post(reverse("exports:search_start", args=[case.reference]))
    assert response.status_code == 404


def test_the_case_page_reads_the_same_whatever_the_number_of_exports_and_links(
    demo_db, jane_case, data_officer, run, client
):
    """Exports and their links are read for the panel in a fixed number of queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from exports.data.services import delivery, exporting
    from tests.exports.data.test_exports import make_export

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(jane_case.get_absolute_url()).status_code == 200
        return len(captured)

    client.force_login(data_officer)
    first = make_export(run, jane_case, data_officer)
    run(delivery.download_link_create, document=first.document, by=data_officer, days=7)
    with_one = queries()
    for _ in range(2):
        export = run(exporting.export_create, case=jane_case, purpose="access", by=data_officer)
        export.document.refresh_from_db()  # made by the task after commit
        for days in (3, 7):
            run(delivery.download_link_create, document=export.document, by=data_officer, days=days)

    page = client.get(jane_case.get_absolute_url()).content.decode()
    assert page.count("Link for the requester") == 5
    assert queries() == with_one
