"""A demo controller (Customer First Group, from its notice) and a case with hard names."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from dsar.demo import seed_controllers
from tests.factories import CaseFactory, officer_of

RTL_HEBREW = "שלום"
RTL_ARABIC = "مرحبا"
# Every Art 15 part of an access response, written.
ACCESS_FIELDS = {
    "purposes": "To manage your account (contract) and to send you news (consent).",
    "categories": "Identity, Contact, Marketing and communications.",
    "recipients": "Our email service provider; our auditors.",
    "retention": "Six years after your account closes.",
    "source": "All of it came from you.",
    "automated": "We make no decisions about you by automated means alone.",
    "transfers": "We do not transfer your personal data outside the UK.",
    "enclosures": "account.json (SHA-256 9f86d081884c7d65)",
    "withheld": "Nothing has been withheld.",
}


@pytest.fixture
def demo_controller(db):
    controller = next(c for c in seed_controllers() if c.slug == "customer-first-group")
    # One officer issues these letters; the second pair of eyes has its own tests.
    controller.approve_release = controller.approve_responses = controller.approve_erasure = False
    controller.save(update_fields=["approve_release", "approve_responses", "approve_erasure"])
    return controller


@pytest.fixture
def letter_case(demo_controller):
    """Accents in the name; Hebrew and Arabic in the address; both ways of replying."""
    return CaseFactory(
        controller=demo_controller,
        requester_name="Zoë Ó Briain",
        requester_email="zoe@example.net",
        requester_address=f"Flat 2, {RTL_HEBREW} House\n{RTL_ARABIC} Street\nLondon\nE1 6AN",
        subject_identifiers=[{"kind": "email", "value": "zoe@example.net"}],
    )


@pytest.fixture
def demo_officer(demo_controller):
    return officer_of(demo_controller, username="letters-officer", first_name="Lettice")


def stored_bytes(document) -> bytes:
    with document.file.open("rb") as handle:
        return handle.read()


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def pdf_pages(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def flat(text: str) -> str:
    """Extracted text with line breaks and runs of spaces made single spaces."""
    return " ".join(text.split())


@pytest.fixture
def issue(django_capture_on_commit_callbacks):
    """Issue a letter and run what follows the commit (the PDF task, then the email)."""
    from exports.letters import services

    def _issue(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            document = services.letter_issue(**kwargs)
        document.refresh_from_db()
        return document

    return _issue
