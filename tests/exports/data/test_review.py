"""Review before release: the records table, withholding with exemptions, and what the
export, its manifest and the access response then say."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.urls import reverse

from dsar.errors import CaseActionError
from exports.data.models import Ground, Withholding
from exports.data.prefill import prefill
from exports.data.services import collection, exporting, review
from tests.exports.data.conftest import DATA_DB, JANE
from tests.exports.data.test_exports import open_zip

pytestmark = DATA_DB


def searched(run, case, officer):
    """Search every source, 'nothing found' for manual ones; not released."""
    found = run(collection.collection_start, case=case, by=officer)
    for result in found.results.filter(source__kind="manual"):
        run(collection.manual_upload, result=result, by=officer, handle=None, note="Nothing.")
    found.refresh_from_db()
    assert found.status == "collected"
    return found


def release_and_export(run, found, officer):
    run(collection.collection_release, collection=found, by=officer)
    export = run(exporting.export_create, case=found.case, purpose="access", by=officer)
    export.refresh_from_db()
    export.document.refresh_from_db()
    assert export.document.status == "ready", export.error
    return export


def test_the_table_shows_fields_as_columns_and_marks_what_is_withheld(
    demo_db, jane_case, data_officer, run
):
    found = searched(run, jane_case, data_officer)
    tabs = {(t.source, t.category): t for t in review.tabs(found)}
    identity = tabs[("Customer database (demo)", "Identity")]
    assert identity.count == 1
    table = review.page(found, source=identity.source, category="Identity")
    assert "first_name" in table.columns and table.total == 1
    assert table.rows[0].record["first_name"] == "Jane"
    review.withholding_add(
        collection=found, scope="field", source=identity.source, category="Identity", record=0,
        field="first_name", ground=Ground.THIRD_PARTY, reason="Names her partner.",
        by=data_officer,
    )  # fmt: skip
    table = review.page(found, source=identity.source, category="Identity")
    assert "first_name" in table.rows[0].fields_withheld
    assert (
        review.page(found, source=identity.source, category="Identity", query="nobody").total == 0
    )


def test_withheld_records_fields_and_categories_leave_the_export_and_are_counted(
    demo_db, jane_case, data_officer, run
):
    found = searched(run, jane_case, data_officer)
    source = "Customer database (demo)"
    tabs = {t.category: t for t in review.tabs(found) if t.source == source}
    contact = review.page(found, source=source, category="Contact")
    phone_field = next(c for c in contact.columns if "phone" in c)
    review.withholding_add(
        collection=found, scope="field", source=source, category="Contact", record=0,
        field=phone_field, ground=Ground.THIRD_PARTY, reason="A relative's number.",
        by=data_officer,
    )  # fmt: skip
    calls = review.page(found, source=source, category="Call recordings")
    assert calls.total >= 1
    review.withholding_add(
        collection=found, scope="record", source=source, category="Call recordings", record=0,
        ground=Ground.LEGAL_PRIVILEGE, reason="Advice from our solicitors.", by=data_officer,
    )  # fmt: skip
    whole = next(c for c in tabs if c not in {"Identity", "Contact", "Call recordings"})
    review.withholding_add(
        collection=found, scope="category", category=whole,
        ground=Ground.CRIME_TAXATION, reason="Part of a fraud investigation.", by=data_officer,
    )  # fmt: skip
    export = release_and_export(run, found, data_officer)
    archive = open_zip(export.document)
    manifest = json.loads(archive.read("manifest.json"))
    data = json.loads(archive.read("data.json"))

    categories = {c["category"]: c["records"] for s in data["sources"] for c in s["categories"]}
    assert whole not in categories
    assert not any(f.get("category") == whole for f in manifest["files"])
    assert all(phone_field not in record for record in categories["Contact"])
    contact_csv = list(csv.DictReader(io.StringIO(archive.read("csv/contact.csv").decode())))
    assert all(not row.get(phone_field) for row in contact_csv)
    assert [r["email"] for r in contact_csv] == [JANE["email"]]
    assert len(categories["Call recordings"]) == tabs["Call recordings"].count - 1
    assert manifest["categories"]["Call recordings"] == tabs["Call recordings"].count - 1

    withheld = manifest["withheld"]
    assert withheld["third_party"]["fields"] == 1
    assert withheld["legal_privilege"]["records"] == 1
    assert withheld["crime_taxation"] == {
        "exemption": Ground.CRIME_TAXATION.label,
        "categories": 1,
        "records": tabs[whole].count,
        "fields": 0,
    }
    assert "A relative's number" not in json.dumps(manifest)  # counts, never content
    assert JANE["phone"].replace(" ", "") not in json.dumps(manifest)

    text = prefill(jane_case, "access_response")["withheld"]
    assert "Third-party data (DPA 2018 Sch 2 para 16): 1 item of information" in text
    assert "Legal professional privilege (DPA 2018 Sch 2 para 19): 1 record" in text
    assert "Crime and taxation (DPA 2018 Sch 2 para 2): 1 category" in text
    assert "Advice from our solicitors." in text


def test_withholding_needs_an_exemption_and_a_reason_and_stops_at_release(
    demo_db, jane_case, data_officer, run
):
    found = searched(run, jane_case, data_officer)
    base = {"collection": found, "scope": "category", "category": "Identity", "by": data_officer}
    with pytest.raises(CaseActionError, match="exemption"):
        review.withholding_add(**base, ground="because", reason="x")
    with pytest.raises(CaseActionError, match="Say why"):
        review.withholding_add(**base, ground=Ground.OTHER, reason=" ")
    with pytest.raises(CaseActionError, match="no field"):
        review.withholding_add(
            **{**base, "scope": "field"}, source="Customer database (demo)", record=0,
            field="shoe_size", ground=Ground.OTHER, reason="Sch 3 para 5.",
        )  # fmt: skip
    run(collection.collection_release, collection=found, by=data_officer)
    with pytest.raises(CaseActionError, match="released"):
        review.withholding_add(**base, ground=Ground.OTHER, reason="Sch 4 para 3.")
    assert not Withholding.objects.exists()


def test_the_review_page_pages_searches_and_withholds(
    client, demo_db, jane_case, data_officer, run
):
    found = searched(run, jane_case, data_officer)
    client.force_login(data_officer)
    url = reverse("exports:review", args=[jane_case.reference])
    page = client.get(url, {"source": "Customer database (demo)", "category": "Identity"})
    assert page.status_code == 200
    assert b"first_name" in page.content and b"Withhold" in page.content
    response = client.post(
        reverse("exports:withhold", args=[jane_case.reference]),
        {"scope": "record", "source": "Customer database (demo)", "category": "Identity",
         "record": "0", "field": "", "ground": "third_party", "reason": "Not hers."},
    )  # fmt: skip
    assert response.status_code == 302
    assert found.withholdings.get().scope == "record"
    page = client.get(url, {"source": "Customer database (demo)", "category": "Identity"})
    assert b"Not hers." in page.content
    refused = client.post(
        reverse("exports:withhold", args=[jane_case.reference]),
        {"scope": "record", "source": "Customer database (demo)", "category": "Identity",
         "record": "0", "ground": "third_party", "reason": ""},
    )  # fmt: skip
    assert refused.status_code == 400
    assert b"There is a problem" in refused.content
