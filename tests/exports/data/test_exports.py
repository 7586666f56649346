"""Exports: the ZIP opened and checked; portability's scope; links, downloads, letters."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import re
import zipfile

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from dsar.choices import PortabilityDestination, Right
from dsar.errors import CaseActionError
from exports.data.models import Download, DownloadLink
from exports.data.services import delivery, exporting
from exports.letters import get_kind, resolve_values
from tests.exports.data.conftest import DATA_DB, JANE, search_and_release, subject_case

pytestmark = DATA_DB


def make_export(run, case, officer, purpose="access"):
    search_and_release(run, case, officer)
    export = run(exporting.export_create, case=case, purpose=purpose, by=officer)
    export.refresh_from_db()
    export.document.refresh_from_db()
    assert export.document.status == "ready", export.error
    return export


def open_zip(document) -> zipfile.ZipFile:
    with document.file.open("rb") as handle:
        data = handle.read()
    assert hashlib.sha256(data).hexdigest() == document.sha256
    return zipfile.ZipFile(io.BytesIO(data))


def test_the_access_zip_holds_json_csv_and_a_manifest_that_checks_out(
    demo_db, jane_case, data_officer, run
):
    export = make_export(run, jane_case, data_officer)
    archive = open_zip(export.document)
    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["case_reference"] == jane_case.reference
    assert manifest["controller"] == jane_case.controller.name
    assert dt.datetime.fromisoformat(manifest["generated_at"])
    for entry in manifest["files"]:
        body = archive.read(entry["name"])
        assert hashlib.sha256(body).hexdigest() == entry["sha256"]
        assert len(body) == entry["size"]
    names = {e["name"] for e in manifest["files"]}
    assert names == {n for n in archive.namelist() if n != "manifest.json"}

    data = json.loads(archive.read("data.json"))
    (source,) = [s for s in data["sources"] if s["source"] == "Customer database (demo)"]
    identity = next(c for c in source["categories"] if c["category"] == "Identity")
    (person,) = identity["records"]
    assert person["first_name"] == "Jane"
    assert dt.date.fromisoformat(person["date_of_birth"])  # ISO dates
    assert dt.datetime.fromisoformat(person["created_at"])

    for entry in manifest["files"][1:]:
        text = archive.read(entry["name"]).decode("utf-8")
        table = list(csv.reader(io.StringIO(text)))
        assert table[0][0] == "source"
        assert len(table) - 1 == entry["rows"] == manifest["categories"][entry["category"]]
    contact = list(csv.DictReader(io.StringIO(archive.read("csv/contact.csv").decode())))
    assert [row["email"] for row in contact] == [JANE["email"]]
    assert manifest["rows"] == sum(manifest["categories"].values())
    assert manifest["sources"][0]["name"] == "Customer database (demo)"


def test_portability_holds_only_what_the_person_provided_by_automated_means(
    demo_db, mapped_controller, data_officer, run
):
    case = subject_case(mapped_controller, right=Right.PORTABILITY)
    export = make_export(run, case, data_officer, purpose="portability")
    manifest = json.loads(open_zip(export.document).read("manifest.json"))
    portable = {c.name for c in mapped_controller.data_categories.all() if c.portable}
    assert set(manifest["categories"]) <= portable
    assert "Identity" in manifest["categories"]
    # Kynex's call recordings are provided (the person's own calls); make them not, and
    # they leave the next portability export while an access export keeps them.
    mapped_controller.data_categories.filter(name="Call recordings").update(
        provided_by_subject=False
    )
    again = run(exporting.export_create, case=case, purpose="portability", by=data_officer)
    again.document.refresh_from_db()
    manifest = json.loads(open_zip(again.document).read("manifest.json"))
    assert "Call recordings" not in manifest["categories"]
    assert not any(f["name"] == "csv/call-recordings.csv" for f in manifest["files"])


def test_an_export_needs_a_released_search(jane_case, data_officer):
    with pytest.raises(CaseActionError, match="release"):
        exporting.export_create(case=jane_case, purpose="access", by=data_officer)


def test_the_requester_downloads_through_an_expiring_link_and_each_download_is_recorded(
    demo_db, jane_case, data_officer, run, client
):
    export = make_export(run, jane_case, data_officer)
    link = run(delivery.download_link_create, document=export.document, by=data_officer, days=7)
    (email,) = [m for m in mail.outbox if "ready to download" in m.subject]
    assert email.to == [JANE["email"]]
    # The path as the email gives it (a fresh token would be signed at another second).
    path = re.search(r"/download/\S+/", email.body).group(0)
    assert path.split("/")[2].split(":")[0] == delivery.link_path(link).split("/")[2].split(":")[0]

    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    body = b"".join(response.streaming_content)
    assert hashlib.sha256(body).hexdigest() == export.document.sha256
    client.get(path)
    assert Download.objects.filter(link=link).count() == 2
    assert jane_case.events.filter(kind="export_downloaded").count() == 2

    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(days=8)):
        expired = client.get(path)
    assert expired.status_code == 410
    assert "no longer works" in expired.content.decode()
    assert client.get(reverse("exports:download", args=["nonsense"])).status_code == 404


def test_the_status_page_shows_the_live_download_link(
    demo_db, jane_case, data_officer, run, client
):
    from identity.tokens import status_path

    export = make_export(run, jane_case, data_officer)
    link = run(delivery.download_link_create, document=export.document, by=data_officer)

    def links_shown() -> list[str]:
        """The signed payload of each download link on the page: the token's timestamp
        is the second it was rendered at, so whole paths are not compared."""
        page = client.get(status_path(jane_case)).content.decode()
        return [token.split(":")[0] for token in re.findall(r"/download/([^/\"]+)/", page)]

    ours = delivery.make_token(link).split(":")[0]
    assert links_shown() == [ours]
    delivery.download_link_revoke(link=link, by=data_officer)
    assert links_shown() == []


def test_portability_to_another_organisation_goes_to_the_address_given(
    demo_db, mapped_controller, data_officer, run, client
):
    case = subject_case(
        mapped_controller,
        right=Right.PORTABILITY,
        portability_destination=PortabilityDestination.ORGANISATION,
        portability_recipient="Northgate Reviews Ltd, data.requests@example.org",
    )
    export = make_export(run, case, data_officer, purpose="portability")
    link = run(
        delivery.download_link_create,
        document=export.document,
        by=data_officer,
        audience=DownloadLink.Audience.RECIPIENT,
    )
    assert link.sent_to == "data.requests@example.org"
    (email,) = [m for m in mail.outbox if m.to == ["data.requests@example.org"]]
    assert "Article 20(2)" in email.body
    assert client.get(delivery.link_path(link)).status_code == 200
    event = case.events.get(kind="export_downloaded")
    assert "recipient organisation" in event.message


def test_expired_links_are_purged_but_their_downloads_stay_on_record(
    demo_db, jane_case, data_officer, run, client
):
    from exports.tasks import purge_expired_download_links

    export = make_export(run, jane_case, data_officer)
    link = run(delivery.download_link_create, document=export.document, by=data_officer, days=1)
    client.get(delivery.link_path(link))
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(days=3)):
        assert purge_expired_download_links() == 1
        assert purge_expired_download_links() == 0
        assert client.get(delivery.link_path(link)).status_code == 410
    assert not DownloadLink.objects.filter(pk=link.pk).exists()
    assert jane_case.events.filter(kind="export_downloaded").count() == 1
    assert jane_case.events.filter(kind="download_link_purged").exists()


def test_a_category_without_a_retention_period_leaves_the_section_to_the_officer(
    demo_db, jane_case, data_officer, run
):
    """Art 15(1)(d) asks for each category's period: a letter naming some and silently
    leaving one out would say less than the law requires."""
    make_export(run, jane_case, data_officer)
    jane_case.controller.data_categories.filter(name="Call recordings").update(retention="")

    values = resolve_values(jane_case, get_kind("access_response"))

    assert values.get("retention", "") == ""
    assert "Lawful basis: our contract with you" in values["purposes"]  # the rest still filled


def test_the_access_response_is_filled_from_the_data_map(demo_db, jane_case, data_officer, run):
    export = make_export(run, jane_case, data_officer)
    from exports.data.services import actions

    actions.exemption_add(
        case=jane_case,
        category=jane_case.controller.data_categories.get(name="Call recordings"),
        reason="legal_claims",
        detail="Recordings kept for a billing dispute.",
        by=data_officer,
    )
    values = resolve_values(jane_case, get_kind("access_response"))
    assert "Lawful basis: our contract with you" in values["purposes"]
    assert "- Identity: title, full name" in values["categories"]
    assert "Credit reference data" not in values["categories"]  # nothing found there
    assert "Debt collection agencies" in values["recipients"]
    assert "as long as someone could reasonably bring a claim" in values["retention"]
    # Kynex gives one period for most categories: said once, naming them all.
    assert values["retention"].count("reasonably bring a claim") == 1
    kept_for_claims = "- Identity, Contact, Products & Services, Call recordings: As long"
    assert kept_for_claims in values["retention"]
    assert "verified third-party call centres" in values["source"]
    # Issue 13: Kynex's notice is silent on automated decisions, and names the EU-US
    # Privacy Shield for its US transfers: both are left for the officer to write.
    assert values["automated"] == ""
    assert values["transfers"] == ""
    assert export.document.sha256 in values["enclosures"]
    for entry in export.manifest["files"]:
        assert f"{entry['name']} (in the ZIP" in values["enclosures"]
        assert entry["sha256"] in values["enclosures"]
    assert (
        "Call recordings: Establishing, exercising or defending legal claims"
        in (values["withheld"])
    )
    portability = resolve_values(jane_case, get_kind("portability_response"))
    assert export.document.sha256 in portability["enclosures"]
