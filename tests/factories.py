"""factory-boy factories shared by the whole suite."""

from __future__ import annotations

import factory
from django.contrib.auth import get_user_model

from dsar import deadlines
from dsar.choices import Channel, Right, Role, Status
from dsar.models import Case, Controller, Membership

PASSWORD = "correct horse battery staple"


class ControllerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Controller
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Example Retail {n}")
    slug = factory.Sequence(lambda n: f"example-{n}")
    legal_name = factory.LazyAttribute(lambda o: f"{o.name} Limited")
    ico_registration = factory.Sequence(lambda n: f"ZA{100000 + n}")
    dpo_email = "dpo@example.org"
    team_email = "privacy-team@example.org"
    # Second pair of eyes (issue 14): on by default in the model; off here so tests of
    # other features act with one officer. tests/exports/data/test_approvals.py turns it on.
    approve_release = False
    approve_responses = False
    approve_erasure = False
    # Retention is "not set" in the model until an admin sets it (issue 13); the tests'
    # controllers have a period set, as a configured deployment would.
    closed_case_retention_days = 6 * 365


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    password = factory.django.Password(PASSWORD)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    controller = factory.SubFactory(ControllerFactory)
    role = Role.OFFICER


def officer_of(controller: Controller, role: str = Role.OFFICER, **user_kwargs):
    """A user granted `role` on `controller`."""
    return MembershipFactory(controller=controller, role=role, user=UserFactory(**user_kwargs)).user


class CaseFactory(factory.django.DjangoModelFactory):
    """A case saved as-is in any status, with due dates from the engine.

    Test set-up only: product code changes status through dsar.services.
    """

    class Meta:
        model = Case

    controller = factory.SubFactory(ControllerFactory)
    reference = factory.Sequence(lambda n: f"DSAR-2026-{900000 + n:06d}")
    right = Right.ACCESS
    channel = Channel.EMAIL
    status = Status.IN_PROGRESS
    requester_name = factory.Faker("name", locale="en_GB")
    requester_email = factory.Sequence(lambda n: f"requester{n}@example.net")
    received_on = factory.LazyAttribute(lambda o: o.controller.today())

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        controller = kwargs["controller"]
        result = deadlines.compute_deadline(
            deadlines.DeadlineInput(
                received=kwargs["received_on"],
                extended=kwargs.get("extended", False),
                **controller.deadline_options(),
            )
        )
        kwargs.setdefault("original_due_date", result.original_due)
        kwargs.setdefault("due_date", result.due)
        return super()._create(model_class, *args, **kwargs)


def api_client_for(user=None):
    """A DRF client acting as ``user`` (anonymous when None)."""
    from rest_framework.test import APIClient

    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client
