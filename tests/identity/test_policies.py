"""Which checks a case needs: the policy, agents, organisations and letterhead."""

import pytest

from dsar.choices import Relationship, Right
from identity import policies
from identity.choices import Method
from tests.factories import CaseFactory
from tests.identity.factories import PolicyFactory

pytestmark = pytest.mark.django_db

M = Method


def needs(case, policy=None):
    return policies.required_methods(case, policy)


def test_without_a_policy_a_self_request_needs_nothing(controller):
    assert needs(CaseFactory(controller=controller)) == []


def test_the_policy_lists_the_methods_in_a_fixed_order(controller):
    policy = PolicyFactory(controller=controller, require_knowledge_check=True)
    assert needs(CaseFactory(controller=controller), policy) == [
        M.EMAIL_OWNERSHIP,
        M.IDENTITY_DOCUMENT,
        M.KNOWLEDGE_CHECK,
    ]


def test_an_agent_needs_the_authority_step_even_without_a_policy(controller):
    case = CaseFactory(
        controller=controller, relationship=Relationship.SOLICITOR, subject_name="Mary Shelley"
    )
    assert needs(case) == [M.AUTHORITY]


def test_a_policy_may_turn_the_authority_step_off(controller):
    policy = PolicyFactory(
        controller=controller, require_identity_document=False, require_authority=False
    )
    case = CaseFactory(controller=controller, relationship=Relationship.PARENT, subject_name="Ada")
    assert needs(case, policy) == [M.EMAIL_OWNERSHIP]


def test_letterhead_is_never_a_condition_even_where_the_controller_says_it_helps(controller):
    # Issue 13.7: a controller's letterhead or form is never a condition of a valid request.
    case = CaseFactory(controller=controller, organisation_name="Harbourside Lettings Ltd")
    assert M.LETTERHEAD not in needs(case)
    controller.letterhead_required_for_organisations = True
    controller.save()
    assert needs(case) == []


def test_the_email_link_is_not_asked_of_someone_without_an_email_address(controller):
    policy = PolicyFactory(controller=controller)
    case = CaseFactory(controller=controller, requester_email="")
    assert needs(case, policy) == [M.IDENTITY_DOCUMENT]


def test_accepted_documents_come_from_the_policy_else_the_controller(controller):
    controller.accepted_identity_documents = ["Colour copy of passport"]
    controller.save()
    case = CaseFactory(controller=controller)
    assert policies.accepted_documents(case) == ["Colour copy of passport"]
    policy = PolicyFactory(controller=controller, accepted_documents=["Driving licence"])
    assert policies.accepted_documents(case, policy) == ["Driving licence"]


def test_the_requester_is_told_which_documents_are_accepted(controller):
    case = CaseFactory(controller=controller, right=Right.ACCESS)
    docs = ["Colour copy of passport", "Colour copy of utility bill"]
    assert policies.what_we_need(M.IDENTITY_DOCUMENT, case, docs) == (
        "Proof of your identity: one of colour copy of passport or colour copy of utility bill."
    )
    assert "such as a passport" in policies.what_we_need(M.IDENTITY_DOCUMENT, case, [])


def test_authority_and_letterhead_wording_names_the_subject_and_organisation(controller):
    case = CaseFactory(
        controller=controller,
        relationship=Relationship.PARENT,
        subject_name="Ellie Kavanagh",
        organisation_name="Kavanagh & Co",
    )
    assert "act for Ellie Kavanagh" in policies.what_we_need(M.AUTHORITY, case, [])
    assert "Kavanagh & Co's letterhead" in policies.what_we_need(M.LETTERHEAD, case, [])


def test_policy_validation_refuses_a_chaser_after_the_closing_day(controller):
    from django.core.exceptions import ValidationError

    policy = PolicyFactory.build(
        controller=controller, chase_after_days=30, close_unverified_after_days=30
    )
    with pytest.raises(ValidationError, match="Chase before"):
        policy.clean()
    policy.accepted_documents = "passport"
    with pytest.raises(ValidationError, match="list of document names"):
        policy.clean()
