"""Pages with background work say how far it has got and fetch their busy section again
(issue 15, point 7): the search across sources, an export being written, a letter's PDF."""

from __future__ import annotations

import io

from django.urls import reverse

from dsar import progress
from exports.data.bundle import PROGRESS_EVERY, Part, write_bundle
from exports.data.models import DataSource, Export
from exports.data.services import collection, exporting
from exports.models import Document
from tests.exports.data.conftest import DATA_DB
from tests.factories import CaseFactory, officer_of

pytestmark = DATA_DB


def panel_url(case, key: str) -> str:
    return reverse("dsar:case_panel", args=[case.reference, key])


def add_second_sql_source(controller) -> None:
    """The demo's SQL source again under another name, with its queries."""
    source = DataSource.objects.get(controller=controller, kind=DataSource.Kind.SQL)
    queries = list(source.queries.all())
    source.pk, source.name = None, "Customer database (replica)"
    source.save()
    for query in queries:
        query.pk, query.source = None, source
        query.save()


def test_a_search_in_progress_counts_sources_and_asks_to_be_fetched_again(
    demo_db, jane_case, data_officer, client
):
    add_second_sql_source(jane_case.controller)
    # Nothing queued runs (no after-commit callbacks here): every SQL source is waiting.
    found = collection.collection_start(case=jane_case, by=data_officer)
    automatic = found.results.filter(source__kind="sql")
    client.force_login(data_officer)

    page = client.get(jane_case.get_absolute_url()).content.decode()
    fragment_url = panel_url(jane_case, "data")
    assert f'data-busy data-refresh="{fragment_url}"' in page
    assert automatic.count() == 2
    assert "Searching: 0 of 2 sources done." in page

    first = automatic.first()
    collection.source_result_run(result_id=first.pk)
    fragment = client.get(fragment_url)
    assert fragment.status_code == 200 and fragment["Cache-Control"] == "no-store"
    body = fragment.content.decode()
    assert body.lstrip().startswith('<section class="panel data-panel" id="data"')
    assert "<html" not in body
    assert "Searching: 1 of 2 sources done." in body

    for result in automatic.exclude(pk=first.pk):
        collection.source_result_run(result_id=result.pk)
    body = client.get(fragment_url).content.decode()
    assert "data-busy" not in body and "Searching:" not in body


def test_an_export_being_written_shows_how_much_is_done(
    demo_db, jane_case, data_officer, client, run
):
    found = run(collection.collection_start, case=jane_case, by=data_officer)
    for result in found.results.filter(source__kind="manual"):
        run(collection.manual_upload, result=result, by=data_officer, handle=None, note="None.")
    run(collection.collection_release, collection=found, by=data_officer, note="Checked.")
    export = exporting.export_create(case=jane_case, purpose=Export.Purpose.ACCESS, by=data_officer)
    assert export.document.status == Document.Status.PENDING
    client.force_login(data_officer)

    assert "being made</span>" in client.get(panel_url(jane_case, "data")).content.decode()
    progress.record("export", export.document_id, 4_100, 10_000)
    body = client.get(panel_url(jane_case, "data")).content.decode()
    assert "being made: 41% written" in body and "data-busy" in body

    exporting.export_build(document_id=export.document_id)
    body = client.get(panel_url(jane_case, "data")).content.decode()
    assert "Download ZIP" in body and "data-busy" not in body


def test_the_writer_reports_every_record_twice_over_json_and_csv():
    lines = b"".join(b'{"n": %d}\n' % n for n in range(PROGRESS_EVERY + 500))
    part = Part("Shop", "Orders", lambda: io.BytesIO(lines), PROGRESS_EVERY + 500)
    heard: list[tuple[int, int]] = []
    meta = {"controller": "Acme", "case_reference": "R-1", "generated_at": "now", "purpose": "x"}
    write_bundle(io.BytesIO(), meta=meta, parts=[part], on_progress=lambda *a: heard.append(a))
    total = 2 * (PROGRESS_EVERY + 500)
    assert heard == [(PROGRESS_EVERY, total), (2 * PROGRESS_EVERY, total)]


def test_a_letter_pdf_being_made_marks_the_documents_section_busy(
    mapped_controller, data_officer, client
):
    case = CaseFactory(controller=mapped_controller)
    Document.objects.create(case=case, kind="acknowledgement", title="Acknowledgement")
    client.force_login(data_officer)
    body = client.get(panel_url(case, "documents")).content.decode()
    assert "PDF being made" in body
    assert f'data-busy data-refresh="{panel_url(case, "documents")}"' in body


def test_sections_are_only_for_those_who_may_see_the_case(mapped_controller, client):
    case = CaseFactory(controller=mapped_controller)
    assert client.get(panel_url(case, "data")).status_code == 302  # to sign in
    stranger = officer_of(CaseFactory().controller, username="stranger")
    client.force_login(stranger)
    assert client.get(panel_url(case, "data")).status_code == 404
    client.force_login(officer_of(mapped_controller, username="insider"))
    assert client.get(panel_url(case, "nonsense")).status_code == 404
