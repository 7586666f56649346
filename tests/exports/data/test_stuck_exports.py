"""A lost export (its ZIP task never ran) stays an export: rebuilt as a ZIP or marked
failed with a reason the officer reads, never made into a PDF by another kind's sweep."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
import time_machine
from django.utils.module_loading import import_string

from config.celery import app as celery_app
from exports.data.services import exporting
from exports.models import Document
from tests.exports.data.conftest import DATA_DB, search_and_release

pytestmark = DATA_DB


def run_stuck_sweeps() -> None:
    """Every stuck-work sweep the beat runs, as the beat would (tasks run eagerly)."""
    for entry in celery_app.conf.beat_schedule.values():
        if "stuck" in entry["task"]:
            import_string(entry["task"])()


@pytest.fixture
def lost_export(demo_db, jane_case, data_officer, run):
    """An export requested while the broker was down: its ZIP task never ran."""
    search_and_release(run, jane_case, data_officer)
    export = exporting.export_create(case=jane_case, purpose="access", by=data_officer)
    assert export.document.status == Document.Status.PENDING
    return export


def stored(document: Document) -> bytes:
    with document.file.open("rb") as handle:
        return handle.read()


def test_a_lost_export_is_never_served_as_a_pdf(lost_export):
    with time_machine.travel(dt.timedelta(minutes=11)):
        run_stuck_sweeps()
    document = Document.objects.get(pk=lost_export.document.pk)
    assert document.category == Document.Category.EXPORT
    if document.status == Document.Status.READY:
        data = stored(document)
        assert not data.startswith(b"%PDF")
        assert zipfile.is_zipfile(io.BytesIO(data))
    else:
        assert not document.file


def test_a_lost_export_is_built_again_as_its_zip(lost_export):
    from exports.tasks import rebuild_stuck_exports

    assert rebuild_stuck_exports() == 0  # too recent to be called lost
    with time_machine.travel(dt.timedelta(minutes=11)):
        assert rebuild_stuck_exports() == 1
    document = Document.objects.get(pk=lost_export.document.pk)
    assert document.status == Document.Status.READY
    archive = zipfile.ZipFile(io.BytesIO(stored(document)))
    assert "manifest.json" in archive.namelist()


def test_the_letters_builder_refuses_an_export(lost_export):
    from exports.letters import services

    with pytest.raises(ValueError, match="not a letter"):
        services.document_make_pdf(document_id=lost_export.document.pk)
    assert Document.objects.get(pk=lost_export.document.pk).status == Document.Status.PENDING


def test_an_export_pending_for_hours_is_failed_with_a_reason_on_the_case_page(
    lost_export, jane_case, data_officer, client
):
    with time_machine.travel(dt.timedelta(hours=7)):
        assert exporting.exports_give_up() == 1
        assert exporting.exports_give_up() == 0
    document = Document.objects.get(pk=lost_export.document.pk)
    assert document.status == Document.Status.FAILED and not document.file
    assert jane_case.events.filter(kind="export_failed").count() == 1
    client.force_login(data_officer)
    page = client.get(jane_case.get_absolute_url()).content.decode()
    assert "It was still not made 6 hours after it was requested." in page
    assert "Make the export again." in page


def test_a_lost_redacted_copy_is_made_again_or_failed_so_the_officer_can_ask_again(
    jane_case, data_officer
):
    from exports.data.models import Ground, RedactionJob
    from exports.data.services import documents
    from exports.tasks import remake_stuck_redactions
    from tests.exports.data.pdfs import THIRD, letter_pdf

    data = letter_pdf()
    bundled = documents.bundle_add(
        case=jane_case, by=data_officer, handle=io.BytesIO(data), size=len(data), title="Notes"
    )
    documents.redaction_add(
        document=bundled, by=data_officer, term=THIRD, ground=Ground.THIRD_PARTY, reason="Name."
    )
    lost = documents.redaction_job_start(document=bundled, by=data_officer)  # task never ran
    with time_machine.travel(dt.timedelta(minutes=11)):
        assert remake_stuck_redactions() == 1
    assert RedactionJob.objects.get(pk=lost.pk).status == RedactionJob.Status.READY

    again = documents.redaction_job_start(document=bundled, by=data_officer)
    with time_machine.travel(dt.timedelta(hours=2)):
        assert documents.redaction_jobs_give_up() == 1
    again.refresh_from_db()
    assert again.status == RedactionJob.Status.FAILED and "ask for it again" in again.error
    documents.redaction_job_start(document=bundled, by=data_officer)  # no longer blocked
