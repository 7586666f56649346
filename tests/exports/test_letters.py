"""Letters: every kind renders right and the access response carries every Art 15 item."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.base import ContentFile
from PIL import Image
from pypdf import PdfReader

from dsar.choices import Outcome, RefusalGround, ReplyChannel, Status
from exports.letters import (
    LETTER_KINDS,
    register_prefill_provider,
    services,
    unregister_prefill_provider,
)
from exports.letters.art15 import HEADINGS
from exports.letters.models import Letterhead
from exports.letters.pdf import _fetcher
from tests.exports.conftest import ACCESS_FIELDS, RTL_ARABIC, RTL_HEBREW, flat, pdf_pages, pdf_text
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db

# Written out here, not imported: the letter must carry these exact headings.
ART15_HEADINGS = [
    "The personal data we hold",
    "What is enclosed",
    "What we have withheld",
    "Why we use your data",
    "The kinds of personal data we hold",
    "Who we share it with",
    "How long we keep it",
    "Where we got your data",
    "Automated decision-making, including profiling",
    "Transfers outside the UK",
    "Your other rights",
    "Your right to complain",
]


def render(case, kind: str, **fields) -> bytes:
    return services.letter_render_pdf(case=case, kind=kind, fields=fields)


def long_date(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


# --- every kind ------------------------------------------------------------------------


# The two letters that restart the clock promise no date: it runs from what they ask for.
WAITING = {"identity_request": "your evidence", "fee_request": "the fee"}


@pytest.mark.parametrize("kind", list(LETTER_KINDS))
def test_every_kind_shows_the_reference_due_date_and_ico_registration(letter_case, kind):
    text = flat(pdf_text(render(letter_case, kind)))
    assert letter_case.reference in text
    if kind in WAITING:
        assert f"Response due Within one month of receiving {WAITING[kind]}" in text
        assert long_date(letter_case.due_date) not in text
    else:
        assert long_date(letter_case.due_date) in text
    assert "ZA919714" in text  # Customer First Group's ICO registration number
    assert "Customer First Group" in text
    assert "Page 1 of" in text


def test_there_are_fourteen_kinds_named_as_the_templates_are():
    assert list(LETTER_KINDS) == [
        "acknowledgement",
        "identity_request",
        "clarification_request",
        "extension_notice",
        "access_response",
        "portability_response",
        "erasure_outcome",
        "rectification_outcome",
        "restriction_outcome",
        "objection_outcome",
        "automated_decision_outcome",
        "refusal",
        "closed_unverified",
        "fee_request",
    ]


def test_pdf_is_a4_tagged_titled_and_in_british_english(letter_case):
    reader = PdfReader(io.BytesIO(render(letter_case, "acknowledgement")))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in points
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    assert root["/Lang"] == "en-GB"
    assert (
        reader.metadata.title == f"Acknowledgement of your request \u2013 {letter_case.reference}"
    )


def test_accented_names_and_right_to_left_text_survive_in_the_pdf(letter_case):
    letter_case.preferred_reply = ReplyChannel.POST
    letter_case.save()
    text = pdf_text(render(letter_case, "acknowledgement"))
    assert "Zoë Ó Briain" in text
    # pypdf gives right-to-left words in logical order; compare the letters in any case,
    # so a change of extraction order cannot hide a missing glyph or hide a real loss.
    for word in (RTL_HEBREW, RTL_ARABIC):
        assert word in text or word[::-1] in text
        assert set(word) <= set(text)


def test_the_reference_is_on_every_page_with_page_numbers(letter_case):
    long_text = "\n\n".join(f"Paragraph {n}: " + "words " * 60 for n in range(12))
    pages = pdf_pages(render(letter_case, "access_response", **ACCESS_FIELDS, note=long_text))
    assert len(pages) >= 3
    for number, page in enumerate(pages, start=1):
        assert letter_case.reference in page
        assert f"Page {number} of {len(pages)}" in page


def test_long_names_and_addresses_do_not_break_the_letter(demo_controller):
    case = CaseFactory(
        controller=demo_controller,
        requester_name="Maximiliana " + "Featherstonehaugh-" * 8 + "Cholmondeley",
        requester_email="a.very.long.address." + "x" * 40 + "@example.net",
        requester_address="Unit 1, " + "Industrial Estate " * 6 + "\nLongtown\nLT1 1AA",
        preferred_reply=ReplyChannel.POST,
    )
    text = flat(pdf_text(render(case, "acknowledgement")))
    assert "Cholmondeley" in text.replace(" ", "").replace("-", "")
    assert case.reference in text


# --- the access response ---------------------------------------------------------------


def test_access_response_has_every_art15_heading(letter_case):
    assert list(HEADINGS) == ART15_HEADINGS
    text = flat(pdf_text(render(letter_case, "access_response", **ACCESS_FIELDS)))
    for heading in ART15_HEADINGS:
        assert heading in text, heading
    for value in ACCESS_FIELDS.values():
        assert flat(value) in text
    assert "Information Commissioner's Office" in text
    assert "rectification" in text and "erasure" in text
    assert "restriction" in text and "objection" in text
    assert "To be completed" not in text


def test_access_response_marks_each_empty_required_section_to_be_completed(letter_case):
    preview = services.letter_preview(case=letter_case, kind="access_response")
    missing = {spec.name for spec in preview.missing}
    assert missing == {
        "purposes",
        "categories",
        "recipients",
        "retention",
        "source",
        "automated",
        "transfers",
        "enclosures",
        "withheld",
    }
    assert preview.html.count("To be completed") == len(missing)


def test_a_prefill_provider_fills_the_art15_sections(letter_case):
    def data_map(case, kind):
        return {"purposes": "From the data map: billing.", "retention": ""} if kind else {}

    register_prefill_provider(data_map)
    try:
        preview = services.letter_preview(case=letter_case, kind="access_response")
    finally:
        unregister_prefill_provider(data_map)
    assert preview.values["purposes"] == "From the data map: billing."
    assert "retention" in {spec.name for spec in preview.missing}  # empty text is ignored


def test_access_response_when_no_data_is_held_needs_no_art15_details(letter_case):
    letter_case.outcome = Outcome.NO_DATA_HELD
    letter_case.save()
    preview = services.letter_preview(case=letter_case, kind="access_response")
    assert preview.missing == []
    assert "found none" in preview.html
    assert "Why we use your data" not in preview.html
    assert "Your right to complain" in preview.html


def test_partly_fulfilled_access_response_starts_with_the_exemption_given(letter_case):
    letter_case.outcome = Outcome.PARTLY_FULFILLED
    letter_case.outcome_reasons = "Third-party data withheld (DPA 2018 Sch 2 para 16)."
    letter_case.save()
    preview = services.letter_preview(case=letter_case, kind="access_response")
    assert preview.values["withheld"] == letter_case.outcome_reasons


# --- refusal and other kinds -----------------------------------------------------------


def test_refusal_gives_reasons_the_ico_complaint_route_and_the_courts(letter_case):
    letter_case.status = Status.REFUSED
    letter_case.refusal_ground = RefusalGround.MANIFESTLY_EXCESSIVE
    letter_case.outcome_reasons = "Fourth identical request in six weeks."
    letter_case.save()
    text = flat(pdf_text(render(letter_case, "refusal")))
    assert "manifestly excessive" in text
    assert "Fourth identical request in six weeks." in text
    assert "Information Commissioner's Office" in text
    assert "Wycliffe House, Water Lane, Wilmslow, Cheshire SK9 5AF" in text
    assert "0303 123 1113" in text
    assert "ico.org.uk/make-a-complaint" in text
    assert "judicial remedy" in text and "court" in text


def test_identity_request_lists_the_controllers_accepted_documents(letter_case):
    controller = letter_case.controller
    controller.accepted_identity_documents = ["Colour copy of passport", "Utility bill"]
    controller.save()
    text = flat(pdf_text(render(letter_case, "identity_request")))
    assert "Colour copy of passport" in text and "Utility bill" in text


def test_a_28_day_controller_is_not_told_it_has_a_month(letter_case):
    controller = letter_case.controller
    controller.deadline_rule, controller.deadline_days = "days", 28
    controller.save()
    text = flat(pdf_text(render(letter_case, "acknowledgement")))
    assert "within 28 days" in text
    assert "one month" not in text


def test_user_text_is_escaped_and_letters_load_nothing_from_outside(letter_case):
    html = services.letter_preview(
        case=letter_case,
        kind="clarification_request",
        fields={"questions": '<img src="http://tracker.example/x.png">Which account?'},
    ).html
    assert "<img src=" not in html and "&lt;img" in html
    fetcher = _fetcher()
    for url in ("http://tracker.example/x.png", "file:///etc/passwd", "data:,x"):
        with pytest.raises(ValueError):
            fetcher.fetch(url)


def test_the_letterhead_logo_is_printed(letter_case, settings):
    image = io.BytesIO()
    Image.new("RGB", (120, 40), (29, 79, 145)).save(image, "PNG")
    letterhead = Letterhead(controller=letter_case.controller, logo_description="CFG logo")
    letterhead.logo.save("logo.png", ContentFile(image.getvalue()), save=True)
    preview = services.letter_preview(case=letter_case, kind="acknowledgement")
    assert 'src="data:image/png;base64,' in preview.html and 'alt="CFG logo"' in preview.html
    pdf = render(letter_case, "acknowledgement")
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    assert len(page.images) == 1


def test_lines_starting_with_a_dash_become_a_list_and_text_stays_escaped():
    from exports.letters.context import paragraphs_html

    html = paragraphs_html("Send one of:\n- Passport\n- Bill <b>\n\nThen <wait>.")
    assert html == (
        "<p>Send one of:</p><ul><li>Passport</li><li>Bill &lt;b&gt;</li></ul>"
        "<p>Then &lt;wait&gt;.</p>"
    )
