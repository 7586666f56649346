"""Issue 13, point 6: portability holds only what the subject provided, processed by
automated means, on consent or a contract (Art 20(1)); the data map's lawful basis decides."""

from __future__ import annotations

import json

from dsar.choices import Right
from exports.data.models import PORTABLE_BASES, LawfulBasis
from exports.data.services import exporting
from tests.exports.data.conftest import DATA_DB, subject_case
from tests.exports.data.test_exports import make_export, open_zip

pytestmark = DATA_DB


def test_a_portability_export_of_a_demo_case_leaves_out_what_is_not_on_consent_or_contract(
    demo_db, mapped_controller, data_officer, run
):
    # Kynex's contact data is provided by the person and processed by automated means; on
    # legitimate interests only, it is out of scope for portability, whatever else holds.
    contact = mapped_controller.data_categories.get(name="Contact")
    contact.purposes.update(lawful_basis=LawfulBasis.LEGITIMATE_INTERESTS)
    case = subject_case(mapped_controller, right=Right.PORTABILITY)

    export = make_export(run, case, data_officer, purpose="portability")

    manifest = json.loads(open_zip(export.document).read("manifest.json"))
    assert manifest["categories"], "something portable was exported"
    assert "Contact" not in manifest["categories"]
    assert not any(f["name"] == "csv/contact.csv" for f in manifest["files"])
    for category in mapped_controller.data_categories.prefetch_related("purposes"):
        bases = {p.lawful_basis for p in category.purposes.all()}
        if category.name in manifest["categories"]:
            assert bases & PORTABLE_BASES, category.name
            assert category.provided_by_subject and category.automated_means, category.name
    # Contact data was found (an access export holds it), and portability left it out.
    assert "Contact" not in exporting.portable_categories(case)
    access = make_export(run, subject_case(mapped_controller), data_officer)
    assert "Contact" in json.loads(open_zip(access.document).read("manifest.json"))["categories"]


def test_the_portability_letter_names_what_it_covers_and_what_it_does_not(
    mapped_controller, data_officer
):
    from exports.letters.services import letter_preview

    contact = mapped_controller.data_categories.get(name="Contact")
    contact.purposes.update(lawful_basis=LawfulBasis.LEGITIMATE_INTERESTS)
    case = subject_case(mapped_controller, right=Right.PORTABILITY)
    html = letter_preview(case=case, kind="portability_response").html
    assert "on the basis of your consent or a contract with you" in html
    covered, _, not_covered = html.partition("It does not cover")
    assert "Identity" in covered
    assert "Contact" in not_covered
