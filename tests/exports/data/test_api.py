"""The REST endpoints of the data side: suppression check, data map, search, exports,
actions. Same conventions as dsar.api: 404 outside one's controllers, auditors read only."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from dsar.choices import Right, Role
from exports.data.services import collection, suppression
from tests.exports.data.conftest import DATA_DB, JANE, search_and_release, subject_case
from tests.factories import ControllerFactory, officer_of

pytestmark = DATA_DB


def api(user) -> APIClient:
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def outsider(db):
    return officer_of(ControllerFactory(slug="elsewhere"), username="olga")


@pytest.fixture
def auditor(mapped_controller):
    return officer_of(mapped_controller, role=Role.AUDITOR, username="audra")


@pytest.fixture
def admin(mapped_controller):
    return officer_of(mapped_controller, role=Role.ADMIN, username="ada")


def test_suppression_check_answers_by_token(mapped_controller, data_officer):
    case = subject_case(mapped_controller, right=Right.OBJECTION, objection_direct_marketing=True)
    suppression.suppression_add_for_case(case=case, by=data_officer)
    client = api(data_officer)
    url = "/api/v1/suppression/check/"
    yes = client.get(url, {"email": "Jane.Doe@EXAMPLE.com"})
    assert yes.status_code == 200
    assert yes.json() == {"suppress": True, "controllers": ["kynex"]}
    assert client.get(url, {"phone": "+447700900123"}).json()["suppress"] is True
    assert client.get(url, {"email": "bob@example.org"}).json()["suppress"] is False
    missing = client.get(url)
    assert missing.status_code == 400
    assert "email" in missing.json()["errors"]
    assert APIClient().get(url, {"email": JANE["email"]}).status_code in (401, 403)


def test_suppression_check_sees_only_ones_own_controllers(
    mapped_controller, data_officer, outsider
):
    case = subject_case(mapped_controller, right=Right.OBJECTION, objection_direct_marketing=True)
    suppression.suppression_add_for_case(case=case, by=data_officer)
    body = api(outsider).get("/api/v1/suppression/check/", {"email": JANE["email"]}).json()
    assert body == {"suppress": False, "controllers": ["elsewhere"]}
    other = api(outsider).get(
        "/api/v1/suppression/check/", {"email": JANE["email"], "controller": "kynex"}
    )
    assert other.status_code == 404


def test_the_data_map_is_read_by_officers_and_written_by_admins(
    mapped_controller, data_officer, auditor, admin, outsider
):
    url = "/api/v1/controllers/kynex/data-map/"
    body = api(auditor).get(url).json()
    names = [c["name"] for c in body["categories"]]
    assert "Credit reference data" in names
    credit = next(c for c in body["categories"] if c["name"] == "Credit reference data")
    assert credit["portable"] is False
    assert api(outsider).get(url).status_code == 404

    new = {
        "name": "Loyalty",
        "recipients": "Our rewards partner",
        "retention": "Two years after your last purchase.",
        "provided_by_subject": True,
        "purposes": [{"purpose": "Rewards", "lawful_basis": "contract", "basis_detail": ""}],
    }
    categories = "/api/v1/controllers/kynex/data-map/categories/"
    assert api(data_officer).post(categories, new, format="json").status_code == 403
    created = api(admin).post(categories, new, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["purposes"][0]["lawful_basis"] == "contract"
    duplicate = api(admin).post(categories, new, format="json")
    assert duplicate.status_code == 400
    assert "name" in duplicate.json()["errors"]
    detail = f"{categories}{created.json()['id']}/"
    assert (
        api(admin).patch(detail, {"retention": "One year."}, format="json").json()["retention"]
        == "One year."
    )
    assert api(admin).delete(detail).status_code == 204
    statements = api(admin).patch(url, {"transfers": "None."}, format="json")
    assert statements.json()["transfers"] == "None."
    systems = "/api/v1/controllers/kynex/data-map/systems/"
    bad = api(admin).post(systems, {"name": "Abroad", "outside_uk": True}, format="json")
    assert bad.status_code == 400
    assert "transfer_safeguard" in bad.json()["errors"]


def test_data_map_writes_through_the_api_are_recorded_changes(mapped_controller, admin):
    """The same ControllerEvents as the settings pages: who, what, before and after."""
    from dsar.configuration.models import ControllerEvent

    categories = "/api/v1/controllers/kynex/data-map/categories/"
    new = {"name": "Loyalty", "retention": "Two years.", "purposes": []}
    created = api(admin).post(categories, new, format="json").json()
    api(admin).patch(f"{categories}{created['id']}/", {"retention": "One year."}, format="json")
    api(admin).delete(f"{categories}{created['id']}/")
    api(admin).patch("/api/v1/controllers/kynex/data-map/", {"transfers": "None."}, format="json")
    events = list(ControllerEvent.objects.filter(controller=mapped_controller).order_by("id")[:4])
    assert [e.kind for e in events] == [
        "category_added",
        "category_changed",
        "category_removed",
        "data_map_statements_changed",
    ]
    assert all(e.actor == admin for e in events)
    assert events[0].target == "Loyalty" and events[0].after["retention"] == "Two years."
    assert events[1].before == {"retention": "Two years."}
    assert events[1].after == {"retention": "One year."}
    assert events[3].after == {"transfers": "None."}


def test_the_api_and_the_settings_pages_apply_the_same_data_map_rules(mapped_controller, admin):
    """Both go through dsar.configuration.datamap: a category a source searches cannot
    be removed (the same words), and a change that leaves out the purposes keeps them."""
    from dsar.configuration.models import ControllerEvent

    categories = "/api/v1/controllers/kynex/data-map/categories/"
    listed = api(admin).get(categories).json()["results"]
    used = next(c for c in listed if c["name"] == "Contact")
    refused = api(admin).delete(f"{categories}{used['id']}/")
    assert refused.status_code == 400
    assert (
        "Contact cannot be deleted: it is used by the search of table" in refused.json()["detail"]
    )
    assert api(admin).get(f"{categories}{used['id']}/").status_code == 200

    changed = (
        api(admin)
        .patch(f"{categories}{used['id']}/", {"retention": "Three years."}, format="json")
        .json()
    )
    assert changed["purposes"] == used["purposes"] and changed["purposes"]
    assert changed["systems"] == used["systems"]
    (event,) = ControllerEvent.objects.filter(controller=mapped_controller, kind="category_changed")
    assert event.target == "Contact"
    assert event.after == {"retention": "Three years."}


def test_search_export_and_link_through_the_api(demo_db, jane_case, data_officer, run, outsider):
    client = api(data_officer)
    base = f"/api/v1/cases/{jane_case.reference}/data"
    started = _with_commit(run, lambda: client.post(f"{base}/search/"))
    assert started.status_code == 201
    results = {r["source_name"]: r for r in started.json()["results"]}
    manual = results.pop("Encrypted call recording archive")
    assert manual["status"] == "pending"
    status = client.get(f"{base}/search/").json()
    sql_result = next(r for r in status["results"] if r["source_kind"] == "sql")
    assert sql_result["status"] == "done"
    assert sql_result["counts"]["Identity"] == 1

    records = client.get(f"{base}/records/", {"category": "Contact"}).json()
    assert records["count"] == 1
    assert records["results"][0]["record"]["email"] == JANE["email"]
    everything = client.get(f"{base}/records/").json()
    assert everything["count"] == len(everything["results"]) == status["record_count"]
    assert {r["category"] for r in everything["results"]} >= {"Identity", "Call recordings"}

    refused = client.post(f"{base}/search/release/", {}, format="json")
    assert refused.status_code == 400
    assert "Still waiting" in refused.json()["detail"]
    from exports.data import selectors
    from exports.data.services import collection

    found = selectors.latest_collection(jane_case)
    result = found.results.get(source__kind="manual")
    collection.manual_upload(result=result, by=data_officer, handle=None, note="Nothing.")
    assert client.post(f"{base}/search/release/", {}, format="json").status_code == 200

    made = _with_commit(run, lambda: client.post(f"{base}/exports/", {"purpose": "access"}))
    assert made.status_code == 201
    document_id = made.json()["document_id"]
    export = client.get(f"{base}/exports/{document_id}/").json()
    assert export["status"] == "ready"
    assert export["manifest"]["case_reference"] == jane_case.reference
    link = client.post(f"{base}/exports/{document_id}/links/", {"days": 3}, format="json")
    assert link.status_code == 201
    assert link.json()["url"].startswith("http")
    assert client.get(f"{base}/exports/").json()["count"] == 1

    assert api(outsider).get(f"{base}/search/").status_code == 404
    assert api(outsider).post(f"{base}/exports/", {"purpose": "access"}).status_code == 404


# --- a manual source's findings ------------------------------------------------------------

CALLS_CSV = b"date,what\n2024-05-01,Call about a bill\n2024-05-02,Call about a delivery\n"


@pytest.fixture
def manual_result(demo_db, jane_case, data_officer, run):
    """The pending result of the demo's manual source, the SQL sources searched."""
    found = run(collection.collection_start, case=jane_case, by=data_officer)
    return found.results.get(source__kind="manual")


def upload_url(case, result) -> str:
    return f"/api/v1/cases/{case.reference}/data/search/results/{result.pk}/upload/"


def csv_file(content: bytes = CALLS_CSV, name: str = "calls.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/csv")


def stored_files() -> set[Path]:
    return {path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()}


def test_an_officer_uploads_a_manual_sources_findings_as_csv(
    jane_case, data_officer, manual_result, run
):
    client = api(data_officer)
    response = run(
        lambda: client.post(
            upload_url(jane_case, manual_result),
            {"file": csv_file(), "category": "Call recordings", "note": "The 2024 archive."},
            format="multipart",
        )
    )

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body == client.get(f"/api/v1/cases/{jane_case.reference}/data/search/").json()
    assert body["status"] == "collected"
    uploaded = next(r for r in body["results"] if r["id"] == manual_result.pk)
    assert uploaded["source_kind"] == "manual"
    assert uploaded["status"] == "done"
    assert uploaded["record_count"] == 2
    assert uploaded["counts"] == {"Call recordings": 2}
    found = jane_case.events.get(kind="data_found", data__source=manual_result.source_name)
    assert found.message == f"{manual_result.source_name}: 2 records (2 Call recordings)."
    note = jane_case.events.get(kind="data_search_note")
    assert (note.actor, note.message) == (data_officer, "The 2024 archive.")
    records = client.get(
        f"/api/v1/cases/{jane_case.reference}/data/records/",
        {"source": manual_result.source_name},
    ).json()
    assert [r["record"]["what"] for r in records["results"]] == [
        "Call about a bill",
        "Call about a delivery",
    ]


@pytest.mark.parametrize(
    ("content", "name", "category", "field", "message"),
    [
        (b"date,what\n2024-05-01,Call,extra\n", "calls.csv", "Call recordings", "file",
         "Line 2 does not have 2 columns like the header."),
        ("date,what\n2024-05-01,Caf\u00e9\n".encode("latin-1"), "calls.csv", "Call recordings",
         "file", "The CSV file is not UTF-8 text"),
        (CALLS_CSV, "calls.csv", "", "file", "Choose the category these records belong to."),
        (CALLS_CSV, "calls.csv", "Shoe sizes", "category",
         "Choose a category of this controller's data map."),
        (b'{"Shoe sizes": [{"size": 9}]}', "calls.json", "", "file",
         "Not categories in the data map: Shoe sizes."),
        (b"hello", "calls.txt", "Call recordings", "file", "Upload a .csv or a .json file."),
    ],
    ids=["row-too-long", "not-utf8", "csv-without-category", "unknown-category",
         "json-unknown-category", "not-csv-or-json"],
)  # fmt: skip
def test_a_bad_upload_is_refused_and_nothing_is_kept(
    jane_case, data_officer, manual_result, content, name, category, field, message
):
    events, files = jane_case.events.count(), stored_files()

    response = api(data_officer).post(
        upload_url(jane_case, manual_result),
        {"file": csv_file(content, name), "category": category},
        format="multipart",
    )

    assert response.status_code == 400
    body = response.json()
    assert message in body["detail"]
    assert message in body["errors"][field][0]
    manual_result.refresh_from_db()
    assert (manual_result.status, manual_result.files) == ("pending", {})
    assert jane_case.events.count() == events
    assert stored_files() == files


def test_nothing_found_needs_a_note_saying_where_one_looked(
    jane_case, data_officer, manual_result, run
):
    client = api(data_officer)
    url = upload_url(jane_case, manual_result)

    refused = client.post(url, {"note": "  "}, format="multipart")

    assert refused.status_code == 400
    assert refused.json()["errors"]["note"] == [
        "Say where you looked, to record that nothing was found."
    ]
    manual_result.refresh_from_db()
    assert manual_result.status == "pending"

    done = run(lambda: client.post(url, {"note": "Archive boxes 1-4."}, format="multipart"))

    assert done.status_code == 200, done.json()
    uploaded = next(r for r in done.json()["results"] if r["id"] == manual_result.pk)
    assert (uploaded["status"], uploaded["record_count"], uploaded["counts"]) == ("done", 0, {})
    assert jane_case.events.filter(kind="data_search_note", message="Archive boxes 1-4.").exists()


def test_uploads_are_only_for_manual_sources_of_an_unreleased_search(
    demo_db, jane_case, data_officer, run
):
    client = api(data_officer)
    found = search_and_release(run, jane_case, data_officer)
    sql_result = found.results.filter(source__kind="sql").first()
    manual_result = found.results.get(source__kind="manual")

    wrong_kind = client.post(upload_url(jane_case, sql_result), {"note": "x"}, format="multipart")
    released = client.post(
        upload_url(jane_case, manual_result),
        {"file": csv_file(), "category": "Call recordings"},
        format="multipart",
    )

    assert wrong_kind.status_code == 400
    assert wrong_kind.json()["detail"] == "Only manual sources take uploads."
    assert released.status_code == 400
    assert "has been released" in released.json()["detail"]
    manual_result.refresh_from_db()
    assert manual_result.record_count == 0


def test_uploads_need_the_right_to_act_on_the_case(
    mapped_controller, jane_case, data_officer, manual_result, outsider, auditor
):
    url = upload_url(jane_case, manual_result)
    body = {"note": "Looked."}
    other_case = subject_case(mapped_controller)
    other = collection.collection_start(case=other_case, by=data_officer)
    elsewhere = upload_url(jane_case, other.results.get(source__kind="manual"))
    events = jane_case.events.count()

    assert api(outsider).post(url, body, format="multipart").status_code == 404
    assert api(data_officer).post(elsewhere, body, format="multipart").status_code == 404
    forbidden = api(auditor).post(url, body, format="multipart")
    assert forbidden.status_code == 403
    assert "read-only" in forbidden.json()["detail"]
    assert APIClient().post(url, body, format="multipart").status_code == 401
    manual_result.refresh_from_db()
    assert manual_result.status == "pending"
    assert jane_case.events.count() == events


def test_auditors_read_but_cannot_act(demo_db, jane_case, auditor):
    base = f"/api/v1/cases/{jane_case.reference}/data"
    client = api(auditor)
    refused = client.post(f"{base}/search/")
    assert refused.status_code == 403
    assert "read-only" in refused.json()["detail"]
    assert client.get(f"{base}/exports/").status_code == 200
    assert client.get(f"{base}/actions/").status_code == 200


def test_erasure_and_exemptions_through_the_api(demo_db, mapped_controller, data_officer, run):
    case = subject_case(mapped_controller, right=Right.ERASURE)
    client = api(data_officer)
    base = f"/api/v1/cases/{case.reference}/data"
    exemption = client.post(
        f"{base}/exemptions/",
        {"category": "Products & Services", "reason": "legal_obligation", "detail": "HMRC."},
        format="json",
    )
    assert exemption.status_code == 201, exemption.json()
    unknown = client.post(
        f"{base}/exemptions/",
        {"category": "Shoe sizes", "reason": "legal_obligation", "detail": "x"},
        format="json",
    )
    assert unknown.status_code == 400
    refused = client.post(f"{base}/actions/", {"confirmation": "Jane Doe"}, format="json")
    assert refused.status_code == 400 and "Search every source" in refused.json()["detail"]
    search_and_release(run, case, data_officer)
    started = _with_commit(
        run, lambda: client.post(f"{base}/actions/", {"confirmation": "Jane Doe"}, format="json")
    )
    assert started.status_code == 201
    runs = client.get(f"{base}/actions/").json()["results"]
    steps = {s["category_name"]: s for s in runs[0]["steps"]}
    assert steps["Products & Services"]["status"] == "exempt"
    assert steps["Identity"]["rows_affected"] == 1
    manual = next(s for s in runs[0]["steps"] if s["status"] == "manual")
    done = client.post(
        f"{base}/actions/steps/{manual['id']}/done/", {"note": "Deleted."}, format="json"
    )
    assert done.status_code == 200
    assert client.get(f"{base}/actions/").json()["results"][0]["status"] == "done"


def test_objection_endpoints(mapped_controller, data_officer):
    marketing = subject_case(
        mapped_controller, right=Right.OBJECTION, objection_direct_marketing=True
    )
    client = api(data_officer)
    added = client.post(f"/api/v1/cases/{marketing.reference}/data/suppress/")
    assert added.json() == {"suppressed": 2, "kinds": ["email", "phone"]}
    other = subject_case(mapped_controller, right=Right.OBJECTION, objection_processing="Calls")
    decided = client.post(
        f"/api/v1/cases/{other.reference}/data/objection-decision/",
        {"decision": "upheld", "reasons": "No compelling grounds."},
        format="json",
    )
    assert decided.status_code == 201
    assert decided.json()["processing"] == "Calls"


def _with_commit(run, call):
    """Make the request and run what it queued after commit (the Celery tasks)."""
    return run(call)


def test_the_export_list_runs_the_same_queries_however_many_exports_and_links(
    demo_db, jane_case, data_officer, run, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from exports.data.services import delivery, exporting

    search_and_release(run, jane_case, data_officer)
    url = f"/api/v1/cases/{jane_case.reference}/data/exports/"
    client = api(data_officer)

    def make_export_with_links(links: int) -> None:
        export = run(exporting.export_create, case=jane_case, purpose="access", by=data_officer)
        export.document.refresh_from_db()  # made by the task after commit
        for days in range(1, links + 1):
            run(delivery.download_link_create, document=export.document, by=data_officer, days=days)

    make_export_with_links(1)
    with CaptureQueriesContext(connection) as one:
        assert len(client.get(url).json()["results"]) == 1
    make_export_with_links(3)
    make_export_with_links(2)

    with django_assert_num_queries(len(one)):
        body = client.get(url).json()
    assert [len(e["links"]) for e in body["results"]] == [2, 3, 1]
