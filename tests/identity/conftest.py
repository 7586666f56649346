"""Identity fixtures: a case waiting for a passport, and a policy that asks for one."""

from __future__ import annotations

import pytest

from dsar.choices import Status
from identity.choices import Method
from tests.factories import CaseFactory
from tests.identity.factories import PolicyFactory, StepFactory


@pytest.fixture
def policy(controller):
    return PolicyFactory(controller=controller)


@pytest.fixture
def waiting_case(controller):
    """A case waiting for an identity document, with its pending step."""
    case = CaseFactory(controller=controller, status=Status.AWAITING_IDENTITY)
    StepFactory(case=case, method=Method.IDENTITY_DOCUMENT)
    return case


@pytest.fixture
def step(waiting_case):
    return waiting_case.verification_steps.get()
