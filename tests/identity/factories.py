"""Factories and file samples for the identity tests."""

from __future__ import annotations

import io

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from dsar.choices import Right
from identity.choices import Method, StepStatus
from identity.demo import sample_pdf
from identity.models import IdentityPolicy, VerificationStep
from tests.factories import CaseFactory, ControllerFactory

PDF = sample_pdf()


def _image(kind: str) -> bytes:
    """A real, tiny image: uploads are decoded in full (dsar.uploads), not just sniffed."""
    out = io.BytesIO()
    Image.new("RGB", (8, 6), "white").save(out, kind)
    return out.getvalue()


JPEG = _image("JPEG")
PNG = _image("PNG")
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 500  # a Windows executable's start


def upload(content: bytes = PDF, name: str = "passport.pdf", content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, content, content_type)


class PolicyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IdentityPolicy
        django_get_or_create = ("controller", "right")

    controller = factory.SubFactory(ControllerFactory)
    right = Right.ACCESS
    require_email_ownership = True
    require_identity_document = True


class StepFactory(factory.django.DjangoModelFactory):
    """A step saved as-is (test set-up only: product code goes through identity.services)."""

    class Meta:
        model = VerificationStep

    case = factory.SubFactory(CaseFactory)
    method = Method.IDENTITY_DOCUMENT
    status = StepStatus.PENDING


REQUESTER = {"requester_name": "Ada Lovelace", "requester_email": "ada@example.net"}


def new_case(controller, *, channel="email", received_on=None, by=None, **fields):
    """A case made the way the product makes one (routed through the identity router)."""
    from dsar import services

    return services.case_create(
        controller=controller,
        right=fields.pop("right", Right.ACCESS),
        channel=channel,
        fields={**REQUESTER, **fields},
        received_on=received_on,
        by=by,
    )
