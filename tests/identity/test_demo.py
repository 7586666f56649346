"""`seed_demo`'s identity part: policies from each notice, and demo cases with steps."""

import io

import pytest
from django.core.management import call_command

from dsar.choices import Right, Status
from dsar.models import Case
from identity import policies
from identity.choices import Method, StepStatus
from identity.demo import sample_pdf
from identity.evidence import sniff
from identity.models import EvidenceFile, IdentityPolicy, VerificationStep

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    call_command("seed_demo", stdout=io.StringIO())


def policy(slug: str, right: str) -> IdentityPolicy:
    return IdentityPolicy.objects.get(controller__slug=slug, right=right)


def test_every_demo_controller_has_a_policy_per_right(seeded):
    assert IdentityPolicy.objects.count() == 4 * len(Right)


def test_policies_follow_the_notices(seeded):
    ia = policy("intelligent-actions", Right.ACCESS)
    assert ia.methods == [Method.EMAIL_OWNERSHIP, Method.IDENTITY_DOCUMENT]
    assert policy("intelligent-actions", Right.OBJECTION).require_identity_document
    assert policy("customer-first-group", Right.ERASURE).require_identity_document
    # Proportionate: a marketing objection needs only the email link.
    assert policy("customer-first-group", Right.OBJECTION).methods == [Method.EMAIL_OWNERSHIP]
    for slug in ("cx-services", "kynex"):
        assert policy(slug, Right.ACCESS).methods == [Method.EMAIL_OWNERSHIP]


def test_intelligent_actions_never_makes_letterhead_a_condition(seeded):
    # Issue 13.7: the controller's letterhead flag only says letterhead helps.
    case = Case.objects.get(requester_name="Lewis Cartwright")
    assert case.status == Status.AWAITING_IDENTITY
    needed = policies.required_methods(case, policies.policy_for(case))
    assert Method.LETTERHEAD not in needed
    assert not case.verification_steps.filter(method=Method.LETTERHEAD).exists()
    docs = policies.accepted_documents(case, policies.policy_for(case))
    assert "Colour copy of passport" in docs and len(docs) == 4


def test_every_demo_case_waiting_for_identity_has_something_pending(seeded):
    for case in Case.objects.filter(status=Status.AWAITING_IDENTITY):
        assert case.verification_steps.filter(status=StepStatus.PENDING).exists(), case


def test_no_open_case_past_identity_keeps_a_pending_step(seeded):
    assert not VerificationStep.objects.filter(
        status=StepStatus.PENDING,
        case__status__in=[Status.IN_PROGRESS, Status.AWAITING_REQUESTER, Status.READY_FOR_REVIEW],
    ).exists()


def test_one_demo_case_has_a_sample_pdf_to_view(seeded):
    item = EvidenceFile.objects.get()
    assert item.content_type == "application/pdf"
    assert item.step.case.requester_name == "Agnieszka Kowalska"


def test_seeding_again_and_resetting_stay_consistent(seeded):
    before = (VerificationStep.objects.count(), EvidenceFile.objects.count())
    call_command("seed_demo", stdout=io.StringIO())
    assert (VerificationStep.objects.count(), EvidenceFile.objects.count()) == before
    call_command("seed_demo", "--reset", stdout=io.StringIO())
    assert EvidenceFile.objects.count() == 1
    test_no_open_case_past_identity_keeps_a_pending_step(None)
    test_every_demo_case_waiting_for_identity_has_something_pending(None)


def test_the_sample_pdf_is_a_pdf():
    content = sample_pdf()
    assert sniff(content) == "application/pdf"
    assert content.rstrip().endswith(b"%%EOF")
