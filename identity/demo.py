"""The identity part of `seed_demo`: each demo controller's policies, from its notice.

- Customer First Group (seed 000): "We will require evidence of your identity before we
  are able to act on your request"; no documents listed. So an identity document for
  every right except an objection, where the email link is proportionate.
- CX Services (002) and Kynex (004) say nothing about verification: the email link only.
- Intelligent Actions (003): "a colour copy of your passport, driving licence, birth
  certificate or utility bill" for any right (the controller's accepted documents). Its
  letterhead flag only makes the form say letterhead helps: it is never a condition.
Everything else (retention 30 days, chasers, authority for agents) is the model default.

Demo cases are made before the policies exist (dsar.demo runs first), so `seed` then
brings them in line: a case waiting for identity without steps gets the steps its policy
needs, steps left pending on a case whose identity was recorded directly are passed, and
one case gets a sample PDF so the evidence viewer has something to show. Safe to re-run.
"""

from __future__ import annotations

import io

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from dsar.choices import OPEN_STATUSES, Right, Status
from dsar.models import Case, Controller

from . import evidence_services, services
from .choices import Method, StepStatus
from .models import EvidenceFile, IdentityPolicy, VerificationStep

POLICIES: dict[str, dict[str, object]] = {
    "customer-first-group": {"require_identity_document": True},
    "cx-services": {},
    "intelligent-actions": {"require_identity_document": True},
    "kynex": {},
}
# Proportionate exceptions: (slug, right) -> overrides.
EXCEPTIONS: dict[tuple[str, str], dict[str, object]] = {
    ("customer-first-group", Right.OBJECTION): {"require_identity_document": False},
}
SAMPLE_EVIDENCE_FOR = "Agnieszka Kowalska"  # an Intelligent Actions case waiting for ID


def seed_policies(controllers: list[Controller]) -> list[IdentityPolicy]:
    made = []
    for controller in controllers:
        if controller.slug not in POLICIES:
            continue
        for right in Right:
            values = {
                "require_email_ownership": True,
                "require_identity_document": False,
                "require_knowledge_check": False,
                "require_authority": True,
                **POLICIES[controller.slug],
                **EXCEPTIONS.get((controller.slug, right), {}),
            }
            policy, _ = IdentityPolicy.objects.update_or_create(
                controller=controller, right=right, defaults=values
            )
            made.append(policy)
    return made


def sample_pdf() -> bytes:
    """A one-page PDF saying it is a specimen, built by hand (offsets computed)."""
    text = b"BT /F1 18 Tf 72 720 Td (SPECIMEN - demo identity document, not real) Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(text), text),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref))  # fmt: skip
    return out.getvalue()


def _officer():
    return get_user_model().objects.filter(username="officer").first()


def _bring_cases_in_line(controllers: list[Controller]) -> None:
    officer = _officer()
    cases = Case.objects.filter(controller__in=controllers).select_related("controller")
    for case in cases.filter(status=Status.AWAITING_IDENTITY, verification_steps__isnull=True):
        services.steps_from_policy(case=case, by=officer)
    recorded = VerificationStep.objects.filter(
        case__in=cases.filter(status__in=OPEN_STATUSES - {Status.AWAITING_IDENTITY}),
        status=StepStatus.PENDING,
    ).select_related("case__controller")
    for step in recorded:
        services.step_pass(
            step=step,
            by=officer,
            note="Identity evidence was recorded on the case.",
            evidence_received_on=step.case.identity_received_on or step.case.received_on,
        )
    step = VerificationStep.objects.filter(
        case__in=cases,
        case__requester_name=SAMPLE_EVIDENCE_FOR,
        method=Method.IDENTITY_DOCUMENT,
        status=StepStatus.PENDING,
    ).first()
    if step and not EvidenceFile.objects.filter(step__case=step.case).exists():
        upload = SimpleUploadedFile("specimen.pdf", sample_pdf(), "application/pdf")
        evidence_services.evidence_add(
            step=step, upload=upload, document_kind="Colour copy of passport"
        )


@transaction.atomic
def seed(controllers: list[Controller]) -> None:
    """Policies and the demo cases' steps. (Admins change policies in the settings pages,
    issue 19: the officer gets no Django-admin permissions.)"""
    seed_policies(controllers)
    _bring_cases_in_line(controllers)
