"""Issue 13, point 5: every letter states only what is true.

One test seeds the demo and renders every letter kind for every demo controller, with the
parts an officer must write written, and fails on any placeholder text; the others check
the refusals, the courts by region, late letters, transfers and the identity request.
"""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
import time_machine
from django.core.management import call_command

from dsar import services as case_services
from dsar.choices import RefusalGround, Right, Status
from dsar.errors import CaseActionError
from dsar.models import Case, Controller
from exports.letters import LETTER_KINDS, get_kind, missing_fields, resolve_values
from exports.letters.services import letter_issue, letter_preview
from exports.letters.truth import COURTS, PLACEHOLDER
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db

SLUGS = ("customer-first-group", "cx-services", "intelligent-actions", "kynex")
OFFICER_TEXT = "Written by the officer for this case."
# Letters that refuse, withhold or partly comply, and the part that makes them so.
PARTIAL = {
    "refusal": {},
    "closed_unverified": {},
    "erasure_outcome": {"kept": "Invoices kept six years (a legal obligation)."},
    "rectification_outcome": {"not_done": "Your date of birth is correct as held."},
    "objection_outcome": {"grounds": "Fraud prevention outweighs the objection."},
    "access_response": {"withheld": "Emails naming other customers (DPA 2018 Sch 2 para 16)."},
    "portability_response": {"withheld": "Emails naming other customers."},
    "automated_decision_outcome": {},
}


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def as_issued(case: Case, key: str, extra: dict[str, str] | None = None) -> str:
    """The letter as an officer would issue it: every part they must write, written."""
    kind = get_kind(key)
    values = resolve_values(case, kind, extra)
    written = {f.name: OFFICER_TEXT for f in missing_fields(case, kind, values)}
    return letter_preview(case=case, kind=key, fields={**(extra or {}), **written}).html


@pytest.fixture
def _fast(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.VAR_DIR = tmp_path


def test_every_letter_kind_for_every_demo_controller_is_free_of_placeholders(_fast):
    call_command("seed_demo", stdout=io.StringIO())
    problems = []
    for slug in SLUGS:
        controller = Controller.objects.get(slug=slug)
        cases = list(controller.cases.order_by("id"))
        for key, kind in LETTER_KINDS.items():
            suited = [c for c in cases if kind.suits(c)] or cases
            for case in suited[:2]:
                text = text_of(as_issued(case, key, PARTIAL.get(key)))
                found = PLACEHOLDER.search(text)
                if found:
                    problems.append(f"{slug} {case.reference} {key}: {found.group(0)!r}")
                if "Privacy Shield" in text:
                    problems.append(f"{slug} {case.reference} {key}: prints the Privacy Shield")
                if key in PARTIAL:
                    court = COURTS[controller.holiday_region]
                    if "Information Commissioner" not in text or court not in text:
                        problems.append(f"{slug} {case.reference} {key}: no ICO or courts")
    assert not problems, "\n".join(problems)


def test_the_demo_maps_invent_no_automated_decisions_and_flag_the_privacy_shield(_fast):
    call_command("seed_demo", stdout=io.StringIO())
    for slug in ("customer-first-group", "kynex"):  # their notices are silent on it
        case = Case.objects.filter(controller__slug=slug, right=Right.ACCESS).first()
        values = resolve_values(case, get_kind("access_response"))
        assert values["automated"] == "", slug
        assert "automated" in {
            f.name for f in missing_fields(case, get_kind("access_response"), values)
        }
    kynex = Case.objects.filter(controller__slug="kynex", right=Right.ACCESS).first()
    preview = letter_preview(case=kynex, kind="access_response")
    assert any("Privacy Shield" in w and "no longer a valid" in w for w in preview.warnings)
    assert "Privacy Shield" not in text_of(preview.html)
    assert preview.values["transfers"] == ""  # the officer writes the real safeguard


@pytest.mark.parametrize(
    ("region", "court"),
    [
        ("england", "County Court or the High Court"),
        ("scotland", "Sheriff Court or the Court of Session"),
        ("northern_ireland", "High Court of Justice in Northern Ireland"),
    ],
)
def test_a_refusal_gives_reasons_the_ico_and_the_courts_of_the_region(controller, region, court):
    controller.holiday_region = region
    controller.save()
    case = CaseFactory(
        controller=controller,
        status=Status.REFUSED,
        refusal_ground=RefusalGround.MANIFESTLY_EXCESSIVE,
        outcome_reasons="The fifth identical request in a month.",
    )
    text = text_of(letter_preview(case=case, kind="refusal").html)
    assert "The fifth identical request in a month." in text
    assert "Information Commissioner" in text
    assert court in text
    others = [c for r, c in COURTS.items() if r != region]
    assert not any(other in text for other in others)


def test_issuing_is_refused_naming_the_sections_with_placeholders(controller, officer):
    case = CaseFactory(
        controller=controller, status=Status.REFUSED, refusal_ground="manifestly_excessive"
    )
    with pytest.raises(CaseActionError) as exc:
        letter_issue(
            case=case, kind="refusal", by=officer, fields={"reasons": "Reasons to be confirmed."}
        )
    assert "Our reasons" in exc.value.message
    assert not case.documents.exists()


def test_an_access_response_needs_the_officer_to_write_what_the_map_is_silent_on(
    controller, officer
):
    controller.approve_responses = False
    controller.save()
    case = CaseFactory(controller=controller, status=Status.READY_FOR_REVIEW)
    with pytest.raises(CaseActionError) as exc:
        letter_issue(case=case, kind="access_response", by=officer, fields={})
    assert "Automated decision-making and profiling" in exc.value.message
    assert "Transfers outside the UK" in exc.value.message


def test_a_late_letter_says_so_and_the_officer_is_warned(controller, officer):
    with time_machine.travel("2026-03-02 10:00 +00:00", tick=False):
        case = CaseFactory(controller=controller, received_on=dt.date(2026, 3, 2))
    with time_machine.travel("2026-04-10 10:00 +00:00", tick=False):
        preview = letter_preview(case=case, kind="acknowledgement")
    assert any("This letter is late" in w for w in preview.warnings)
    assert "We are sorry that this reply is late" in text_of(preview.html)
    with time_machine.travel("2026-03-05 10:00 +00:00", tick=False):
        on_time = letter_preview(case=case, kind="acknowledgement")
    assert not on_time.warnings
    assert "sorry that this reply is late" not in text_of(on_time.html)


def test_an_identity_request_asks_only_what_the_policy_needs_and_says_how_long_it_is_kept(
    controller,
):
    from identity.models import IdentityPolicy

    IdentityPolicy.objects.create(
        controller=controller,
        right=Right.OBJECTION,
        require_email_ownership=True,
        evidence_retention_days=14,
    )
    case = CaseFactory(
        controller=controller, right=Right.OBJECTION, status=Status.AWAITING_IDENTITY
    )
    text = text_of(as_issued(case, "identity_request"))
    assert "passport" not in text.lower()
    assert "Confirm your email address" in text
    assert "delete it 14 days after the check is over" in text


def test_the_extension_notice_rests_on_article_12a(controller, officer):
    case = CaseFactory(controller=controller)
    case = case_services.case_extend(case=case, by=officer, reason="Eleven systems to search.")
    text = text_of(letter_preview(case=case, kind="extension_notice").html)
    assert "Article 12A" in text and "12(3)" not in text


def test_the_review_of_an_automated_decision_has_its_own_letter(controller):
    case = CaseFactory(controller=controller, right=Right.AUTOMATED_DECISION)
    kind = get_kind("automated_decision_outcome")
    assert kind.suits(case)
    text = text_of(
        as_issued(
            case,
            "automated_decision_outcome",
            {"outcome": "A credit analyst looked again and the decision now stands changed."},
        )
    )
    assert "Article 22" in text
    assert "human" in text.lower()
    assert "Information Commissioner" in text
