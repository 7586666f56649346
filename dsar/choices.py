"""Enumerations shared by models, forms, the API and letters."""

from django.db import models


class Right(models.TextChoices):
    ACCESS = "access", "Access (a copy of your data)"
    ERASURE = "erasure", "Erasure (delete your data)"
    RECTIFICATION = "rectification", "Rectification (correct your data)"
    PORTABILITY = "portability", "Portability (your data in a reusable format)"
    OBJECTION = "objection", "Objection (stop using your data)"
    RESTRICTION = "restriction", "Restriction (limit how your data is used)"
    AUTOMATED_DECISION = "automated_decision", "Review of an automated decision"


class Channel(models.TextChoices):
    WEB = "web", "Web form"
    EMAIL = "email", "Email"
    POST = "post", "Post"
    PHONE = "phone", "Phone"
    IN_PERSON = "in_person", "In person"
    API = "api", "Another system (API)"


class Status(models.TextChoices):
    UNCONFIRMED = "unconfirmed", "Email not yet confirmed"
    AWAITING_IDENTITY = "awaiting_identity", "Awaiting identity evidence"
    IN_PROGRESS = "in_progress", "In progress"
    AWAITING_REQUESTER = "awaiting_requester", "Paused: awaiting requester"
    READY_FOR_REVIEW = "ready_for_review", "Ready for review"
    CLOSED = "closed", "Closed"
    WITHDRAWN = "withdrawn", "Withdrawn"
    REFUSED = "refused", "Refused"


OPEN_STATUSES = frozenset(
    {
        Status.UNCONFIRMED,
        Status.AWAITING_IDENTITY,
        Status.IN_PROGRESS,
        Status.AWAITING_REQUESTER,
        Status.READY_FOR_REVIEW,
    }
)
# Statuses in which the statutory clock is running (confirmed and not paused).
CLOCK_RUNNING_STATUSES = frozenset({Status.IN_PROGRESS, Status.READY_FOR_REVIEW})


class Outcome(models.TextChoices):
    FULFILLED = "fulfilled", "Fulfilled"
    PARTLY_FULFILLED = "partly_fulfilled", "Partly fulfilled (exemptions applied)"
    NO_DATA_HELD = "no_data_held", "No data held"


class RefusalGround(models.TextChoices):
    MANIFESTLY_UNFOUNDED = "manifestly_unfounded", "Manifestly unfounded"
    MANIFESTLY_EXCESSIVE = "manifestly_excessive", "Manifestly excessive"
    IDENTITY_NOT_VERIFIED = "identity_not_verified", "Identity not verified"


class ExtensionGround(models.TextChoices):
    """Why the period was extended: Art 12(3) allows it for complexity or number only."""

    COMPLEX = "complex", "The request is complex"
    NUMEROUS = "numerous", "They have made numerous requests"
    BOTH = "both", "Both: complex, and numerous requests"


class Relationship(models.TextChoices):
    SELF = "self", "I am asking for my own data"
    PARENT = "parent", "Parent or guardian"
    SOLICITOR = "solicitor", "Solicitor or legal representative"
    POWER_OF_ATTORNEY = "power_of_attorney", "Holder of a power of attorney"
    OTHER = "other", "Someone else acting with their authority"


class ReplyChannel(models.TextChoices):
    EMAIL = "email", "Email"
    POST = "post", "Post"


class PortabilityDestination(models.TextChoices):
    REQUESTER = "requester", "Send it to me"
    ORGANISATION = "organisation", "Send it to another organisation"


class ActorKind(models.TextChoices):
    OFFICER = "officer", "Officer"
    REQUESTER = "requester", "Requester"
    SYSTEM = "system", "System"


class ClockStart(models.TextChoices):
    SUBMITTED = "submitted", "When the web form is submitted"
    CONFIRMED = "confirmed", "When the requester confirms their email"


class Role(models.TextChoices):
    OFFICER = "officer", "Privacy officer"
    AUDITOR = "auditor", "Auditor (read only)"
    ADMIN = "admin", "Administrator"
