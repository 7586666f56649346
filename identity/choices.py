"""Enumerations of the identity app: how a step verifies, and where it stands."""

from django.db import models


class Method(models.TextChoices):
    EMAIL_OWNERSHIP = "email_ownership", "Email address confirmed by link"
    IDENTITY_DOCUMENT = "identity_document", "Identity document"
    KNOWLEDGE_CHECK = "knowledge_check", "Knowledge check against data held"
    AUTHORITY = "authority", "Authority to act for the data subject"
    LETTERHEAD = "letterhead", "Request on the organisation's letterhead"


# Methods the requester answers by uploading a file on their status page.
UPLOAD_METHODS = frozenset({Method.IDENTITY_DOCUMENT, Method.AUTHORITY, Method.LETTERHEAD})
# The order steps are created and listed in: the cheapest check first.
METHOD_ORDER = (
    Method.EMAIL_OWNERSHIP,
    Method.IDENTITY_DOCUMENT,
    Method.KNOWLEDGE_CHECK,
    Method.AUTHORITY,
    Method.LETTERHEAD,
)


class StepStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    PASSED = "passed", "Passed"
    FAILED = "failed", "Failed"
    WAIVED = "waived", "Waived"


DONE_STATUSES = frozenset({StepStatus.PASSED, StepStatus.WAIVED})
