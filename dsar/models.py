"""Controllers, cases, pauses and the append-only event trail."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone

from . import clock, deadlines
from .choices import (
    OPEN_STATUSES,
    ActorKind,
    Channel,
    ClockStart,
    ExtensionGround,
    Outcome,
    PortabilityDestination,
    RefusalGround,
    Relationship,
    ReplyChannel,
    Right,
    Role,
    Status,
)
from .formats import local_time, person_name


def default_reminder_days() -> list[int]:
    return [7, 3, 1]


class Controller(models.Model):
    """The organisation answering requests, and how it chooses to handle them."""

    name = models.CharField(max_length=200, help_text="Name shown to requesters.")
    slug = models.SlugField(
        unique=True, help_text="The public form is at /r/ followed by this, e.g. /r/acme-retail/"
    )
    legal_name = models.CharField(max_length=200, blank=True)
    company_number = models.CharField(max_length=20, blank=True)
    ico_registration = models.CharField("ICO registration number", max_length=20, blank=True)
    dpo_name = models.CharField("DPO or privacy contact name", max_length=200, blank=True)
    dpo_email = models.EmailField("DPO email", blank=True)
    dpo_phone = models.CharField("DPO phone", max_length=40, blank=True)
    postal_address = models.TextField(blank=True)
    team_email = models.EmailField(
        blank=True, help_text="Where reminders go when a case has no assignee."
    )
    website = models.URLField(blank=True)

    time_zone = models.CharField(max_length=64, default="Europe/London")
    holiday_region = models.CharField(
        max_length=20,
        choices=[(r.value, r.label) for r in deadlines.Region],
        default=deadlines.Region.ENGLAND,
    )
    deadline_rule = models.CharField(
        max_length=20,
        choices=[
            (deadlines.Rule.CALENDAR_MONTH.value, "One calendar month"),
            (deadlines.Rule.DAYS.value, "A fixed number of days"),
        ],
        default=deadlines.Rule.CALENDAR_MONTH,
    )
    deadline_days = models.PositiveSmallIntegerField(
        default=28,
        help_text="Used by the fixed-days rule: at most 28 (the law gives one calendar month).",
    )
    extension_months = models.PositiveSmallIntegerField(
        default=2,
        help_text="At most two further months (UK GDPR Art 12A).",
    )
    clock_starts = models.CharField(
        max_length=20,
        choices=ClockStart.choices,
        default=ClockStart.SUBMITTED,
        help_text="For web requests: which day counts as the day of receipt.",
    )

    accepted_identity_documents = models.JSONField(
        default=list, blank=True, help_text="Documents accepted as proof of identity."
    )
    letterhead_required_for_organisations = models.BooleanField(
        default=False,
        help_text="Tell organisations acting for someone that a request on their letterhead "
        "helps. Never a condition: the law sets no form for a request.",
    )
    accepts_post = models.BooleanField(default=True)
    accepts_phone = models.BooleanField(default=False)
    # Issue 19: the other ways to make a request, shown on the public page.
    accepts_email = models.BooleanField(
        default=True, help_text="Requests by email to the DPO address are accepted."
    )
    accepts_web = models.BooleanField(
        default=True, help_text="The public web form is offered (when the minimum is set)."
    )
    reminder_days = models.JSONField(
        default=default_reminder_days,
        help_text="Working days before due to remind, e.g. [7, 3, 1].",
    )
    # Not set (None) until an admin sets it: nothing is purged on an invented period.
    closed_case_retention_days = models.PositiveIntegerField(
        null=True,
        blank=True,
        default=None,
        help_text="Days a closed case is kept before it is deleted. Empty: not set, and "
        "closed cases are kept until a period is set.",
    )
    # Scheduled work (dsar.reminders).
    digest_hour = models.PositiveSmallIntegerField(
        default=8,
        validators=[MaxValueValidator(23)],
        help_text="Hour (0-23, the controller's time) after which the DPO's overdue digest goes.",
    )
    unconfirmed_chase_after_days = models.PositiveSmallIntegerField(
        default=3,
        validators=[MinValueValidator(1)],
        help_text="Days after an unconfirmed web request to remind the requester, once.",
    )
    unconfirmed_discard_after_days = models.PositiveSmallIntegerField(
        default=14,
        validators=[MinValueValidator(2)],
        help_text="Days after which an unconfirmed web request is discarded, its personal "
        "data removed.",
    )
    letterhead = models.TextField(blank=True, help_text="Lines printed at the top of letters.")
    is_active = models.BooleanField(default=True)
    # Second pair of eyes (issue 14, exports.data.services.approvals): which actions another officer
    # of the controller must approve. On by default; shown on the settings page.
    approve_release = models.BooleanField(
        "Second officer approves releasing data",
        default=True,
        help_text="Data found for a request is released only when a second officer approves.",
    )
    approve_responses = models.BooleanField(
        "Second officer approves access and portability responses",
        default=True,
        help_text="An access or portability response is issued only when a second officer "
        "approves it.",
    )
    approve_erasure = models.BooleanField(
        "Second officer approves erasure",
        default=True,
        help_text="An erasure runs only when a second officer approves it.",
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(digest_hour__lte=23), name="controller_digest_hour_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(
                    unconfirmed_discard_after_days__gt=models.F("unconfirmed_chase_after_days")
                ),
                name="controller_discard_after_chase",
                violation_error_message="Discard unconfirmed requests only after chasing them.",
            ),
            # The rule is one the law allows (dsar.deadlines.rule_problems says why not).
            models.CheckConstraint(
                condition=models.Q(
                    deadline_days__gte=1,
                    deadline_days__lte=deadlines.MAX_DAYS,
                    extension_months__lte=deadlines.MAX_EXTENSION_MONTHS,
                    deadline_rule__in=[r.value for r in deadlines.Rule],
                ),
                name="controller_rule_within_the_law",
                violation_error_message="A deadline rule is one calendar month or at most 28 "
                "days, and an extension at most two further months.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("dsar:request_form", args=[self.slug])

    def clean(self) -> None:
        # The deadline rule is checked here (not by field validators), so settings, admin
        # and API give the one clear message of dsar.deadlines.rule_problems.
        try:
            ZoneInfo(self.time_zone)
        except Exception as exc:
            raise ValidationError({"time_zone": "Not a known time zone."}) from exc
        if not isinstance(self.reminder_days, list) or not all(
            isinstance(d, int) and d >= 0 for d in self.reminder_days
        ):
            raise ValidationError(
                {"reminder_days": "A list of whole numbers of days, e.g. [7, 3, 1]."}
            )
        problems = deadlines.rule_problems(
            self.deadline_rule, self.deadline_days, self.extension_months
        )
        if problems:
            raise ValidationError(problems)

    def deadline_options(self) -> dict[str, object]:
        """This controller's rule, as keyword arguments for deadlines.DeadlineInput."""
        return {
            "rule": self.deadline_rule,
            "days": self.deadline_days,
            "extension_months": self.extension_months,
            "region": self.holiday_region,
        }

    def today(self) -> dt.date:
        """Today in the controller's time zone: deadlines end at midnight there."""
        return local_time(timezone.now(), self.time_zone).date()


class Membership(models.Model):
    """Grants a user a role on one controller; officers see only what they are granted."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    controller = models.ForeignKey(Controller, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.OFFICER)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "controller"], name="membership_unique_user_controller"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}) at {self.controller}"


class ReferenceCounter(models.Model):
    """One row per year; incremented under a row lock so references never collide."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class CaseQuerySet(models.QuerySet):
    def open(self) -> CaseQuerySet:
        return self.filter(status__in=OPEN_STATUSES)


class Case(models.Model):
    controller = models.ForeignKey(Controller, on_delete=models.PROTECT, related_name="cases")
    reference = models.CharField(max_length=20, unique=True, editable=False)
    right = models.CharField(max_length=20, choices=Right.choices)
    channel = models.CharField(max_length=20, choices=Channel.choices, default=Channel.WEB)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.UNCONFIRMED)
    version = models.PositiveIntegerField(default=1, help_text="Bumped on every change.")

    # Who is asking, and for whom.
    requester_name = models.CharField(max_length=200)
    requester_email = models.EmailField(blank=True)
    requester_phone = models.CharField(max_length=40, blank=True)
    requester_address = models.TextField(blank=True)
    relationship = models.CharField(
        max_length=20, choices=Relationship.choices, default=Relationship.SELF
    )
    subject_name = models.CharField(max_length=200, blank=True)
    subject_email = models.EmailField(blank=True)
    subject_address = models.TextField(blank=True)
    organisation_name = models.CharField(
        max_length=200, blank=True, help_text="Set when an organisation makes the request."
    )
    subject_identifiers = models.JSONField(
        default=list,
        blank=True,
        help_text='Used to find their data: [{"kind": "email", "value": "..."}]',
    )

    # What is asked.
    description = models.TextField(blank=True)
    rectification_inaccurate = models.TextField(blank=True)
    rectification_correction = models.TextField(blank=True)
    objection_processing = models.TextField(blank=True)
    objection_direct_marketing = models.BooleanField(default=False)
    portability_destination = models.CharField(
        max_length=20, choices=PortabilityDestination.choices, blank=True
    )
    portability_recipient = models.CharField(max_length=300, blank=True)
    preferred_reply = models.CharField(
        max_length=10, choices=ReplyChannel.choices, default=ReplyChannel.EMAIL
    )
    declaration_at = models.DateTimeField(null=True, blank=True)

    # The clock.
    received_on = models.DateField()
    identity_received_on = models.DateField(null=True, blank=True)
    # Set only by dsar.services (case_request_fee / case_fee_received): a fee stops the
    # clock, and the day it arrives becomes the start.
    fee_received_on = models.DateField(null=True, blank=True)
    fee_requested_on = models.DateField(null=True, blank=True)
    fee_ground = models.CharField(
        max_length=30, blank=True, choices=[(g.value, g.label) for g in clock.FeeGround]
    )
    fee_amount = models.CharField(max_length=100, blank=True)
    original_due_date = models.DateField()
    due_date = models.DateField(db_index=True)
    extended = models.BooleanField(default=False)
    extension_reason = models.TextField(blank=True)
    # The officer's choice since it was asked; blank for extensions recorded before, or
    # through the API without it (reports then read the reason's words).
    extension_ground = models.CharField(max_length=20, choices=ExtensionGround, blank=True)

    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cases",
    )
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    refusal_ground = models.CharField(max_length=30, choices=RefusalGround.choices, blank=True)
    outcome_reasons = models.TextField(blank=True)

    created_at = models.DateTimeField(default=timezone.now, editable=False)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Issue 15: set when the requester writes on the thread, cleared when an officer answers
    # (the queue's "Requester replied").
    requester_replied_at = models.DateTimeField(null=True, blank=True)
    # Lower-case reference, names, emails, phone digits and identifiers: the queue search
    # (trigram-indexed on PostgreSQL, migration 0004). Rebuilt by save().
    search_text = models.TextField(blank=True, default="", editable=False)

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "id"]
        indexes = [
            # The queue: open cases by due date, per controller. Partial so closed years of
            # history cost nothing; also serves the reminder sweep.
            models.Index(
                fields=["due_date", "id"],
                condition=models.Q(status__in=sorted(OPEN_STATUSES)),
                name="case_open_due_idx",
            ),
            models.Index(
                fields=["controller", "status", "due_date"], name="case_ctrl_status_due_idx"
            ),
            models.Index(fields=["requester_email"], name="case_requester_email_idx"),
            # Used by the unconfirmed-request chaser and discard sweeps only (dsar.reminders).
            models.Index(
                fields=["created_at"],
                condition=models.Q(status=Status.UNCONFIRMED),
                name="case_unconfirmed_idx",
            ),
            # Used by the purge of closed cases past retention only (dsar.reminders.purge).
            models.Index(
                fields=["closed_at"],
                condition=models.Q(
                    status__in=sorted({Status.CLOSED, Status.WITHDRAWN, Status.REFUSED})
                ),
                name="case_closed_at_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    def save(self, *args, **kwargs):
        """Keeps the derived search text and person keys in step with the fields, whoever
        writes the row (services, admin, other apps, factories); see dsar.people.keys."""
        from .people import keys

        update_fields = kwargs.get("update_fields")
        touched = update_fields is None or bool(keys.SOURCE_FIELDS & set(update_fields))
        if touched:
            self.search_text = keys.search_text(self)
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)
        if touched:
            from .people.models import PersonKey

            pairs = keys.identifiers(self)
            if pairs:
                PersonKey.objects.bulk_create(
                    [PersonKey(case=self, kind=k, digest=keys.digest(k, v)) for k, v in pairs],
                    ignore_conflicts=True,
                )

    def get_absolute_url(self) -> str:
        return reverse("dsar:case_detail", args=[self.reference])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_paused(self) -> bool:
        return self.status == Status.AWAITING_REQUESTER

    @property
    def acting_for_other(self) -> bool:
        return self.relationship != Relationship.SELF

    @property
    def data_subject_name(self) -> str:
        return self.subject_name or self.requester_name

    def days_left(self, today: dt.date | None = None) -> int:
        """Calendar days until the end of the due day (negative when overdue)."""
        return (self.due_date - (today or self.controller.today())).days


class Pause(models.Model):
    """A clarification pause: from the day we ask to the day the answer arrives, inclusive."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="pauses")
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    reason = models.TextField(help_text="The question sent to the requester.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # How the question went ("email" or "post"), and the answer when it came.
    sent_by = models.CharField(max_length=10, blank=True)
    answer = models.TextField(blank=True)
    answered_by = models.CharField(max_length=20, choices=ActorKind.choices, blank=True)

    class Meta:
        ordering = ["started_on", "id"]

    def __str__(self) -> str:
        return f"{self.started_on} to {self.ended_on or 'now'}"

    def as_deadline_pause(self) -> deadlines.Pause:
        return deadlines.Pause(start=self.started_on, end=self.ended_on)


class AppendOnlyError(Exception):
    pass


class CaseEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Case events are append-only.")

    def delete(self):
        raise AppendOnlyError("Case events are append-only.")


class CaseEvent(models.Model):
    """Append-only audit trail: who did what to a case, when, and what changed."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now, editable=False)
    actor_kind = models.CharField(max_length=20, choices=ActorKind.choices)
    # PROTECT: an officer named in an audit trail is deactivated, never deleted.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=40)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    message = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    objects = CaseEventQuerySet.as_manager()

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["case", "at", "id"], name="event_case_at_idx")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} at {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("Case events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Case events are append-only.")

    @property
    def actor_label(self) -> str:
        if self.actor_kind == ActorKind.OFFICER and self.actor:
            return person_name(self.actor)
        return self.get_actor_kind_display()


class OutgoingEmail(models.Model):
    """An email written in the same transaction as the change that caused it.

    Sending happens later (a task, queued on commit); a pending row is retried by a beat
    sweep, so an unreachable broker or mail server never loses a message. A send is
    claimed (state ``sending``, ``claimed_at``); a claim older than the send timeout was
    lost with its worker and is tried again (dsar.emails.reclaim_lost_sends).
    """

    class State(models.TextChoices):
        PENDING = "pending", "Pending"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.CASCADE, related_name="emails"
    )
    template = models.CharField(max_length=100)
    to = models.EmailField()
    subject = models.CharField(max_length=300)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    # Files sent with it, by reference: [{"file": storage name, "name", "content_type"}]
    # (dsar.emails.Attachment); a letter's email carries its PDF this way.
    attachments = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True, help_text="When the send began.")
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            # Used by the send_pending_emails sweep only (dsar.emails.due_email_ids).
            models.Index(
                fields=["created_at"], condition=models.Q(state="pending"), name="email_pending_idx"
            ),
            # Used by the same sweep's dsar.emails.reclaim_lost_sends only.
            models.Index(
                fields=["claimed_at"], condition=models.Q(state="sending"), name="email_sending_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.template} ({self.get_state_display()})"


class Notice(models.Model):
    """A reminder, prompt, chaser or digest, claimed before it is sent.

    The unique constraints are what make each one go at most once: a sweep inserts the row
    (INSERT ... ON CONFLICT DO NOTHING), and writes the email only for the rows its own
    insert won (read back by ``claim_token``), in the same transaction. A due date that
    moves is a different key, so what is owed for the new date starts afresh.
    """

    class Kind(models.TextChoices):
        REMINDER = "reminder", "Deadline reminder"
        OVERDUE = "overdue", "Overdue reminder"
        EXTENSION_PROMPT = "extension_prompt", "Extension prompt"
        UNCONFIRMED_CHASER = "unconfirmed_chaser", "Chaser: confirm your request"
        OVERDUE_DIGEST = "overdue_digest", "Overdue digest"
        # Issue 16: the DPO's summary of the previous month (dsar.reports.monthly); its
        # due_date is the first day of the month reported on.
        MONTHLY_REPORT = "monthly_report", "Monthly report"

    controller = models.ForeignKey(Controller, on_delete=models.CASCADE, related_name="notices")
    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.CASCADE, related_name="notices"
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    threshold = models.PositiveSmallIntegerField(
        default=0, help_text="Working days before the due date (reminders, prompts)."
    )
    due_date = models.DateField(help_text="The due date it was about; a digest's local day.")
    recipient = models.CharField(max_length=20, blank=True, help_text="assignee, team, dpo...")
    claim_token = models.UUIDField(editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            # Its index also serves the sweeps' "not yet claimed" subqueries.
            models.UniqueConstraint(
                fields=["case", "kind", "threshold", "due_date"], name="notice_once_per_case"
            ),
            models.UniqueConstraint(
                fields=["controller", "kind", "due_date"],
                condition=models.Q(case__isnull=True),
                name="notice_once_per_controller",
            ),
        ]
        # Used by dsar.reminders.claims only: a sweep reads back the rows its insert won.
        indexes = [models.Index(fields=["claim_token"], name="notice_claim_token_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.due_date}"


class PurgedCase(models.Model):
    """A closed case deleted after its controller's retention period.

    Proof that the request existed and was disposed of on schedule (the register stays
    complete), holding no personal data: reference, right, final status and dates only.
    """

    controller = models.ForeignKey(
        Controller, on_delete=models.CASCADE, related_name="purged_cases"
    )
    reference = models.CharField(max_length=20, unique=True)
    right = models.CharField(max_length=20, choices=Right.choices)
    status = models.CharField(max_length=20, choices=Status.choices)
    received_on = models.DateField()
    closed_at = models.DateTimeField()
    purged_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-purged_at", "reference"]

    def __str__(self) -> str:
        return f"{self.reference} (purged {self.purged_at:%Y-%m-%d})"


# Webhook models live in their own package; imported here so Django registers them.
# Rate-limit counts used while the cache is down (dsar.ratelimit); registered here.
from .abuse.models import RateCounter  # noqa: E402, F401

# Issue 19: the record of changes to a controller's settings (dsar.configuration).
from .configuration.models import ControllerEvent  # noqa: E402, F401

# Issue 15: the person behind cases (dsar.people).
from .mailbox.models import InboundEmail, InboundFile, Mailbox  # noqa: E402, F401
from .people.models import PersonKey, PersonLink  # noqa: E402, F401

# Issue 16: who looked at what (dsar.reports).
from .reports.models import AccessLog  # noqa: E402, F401
from .thread.models import Message, MessageFile  # noqa: E402, F401
from .webhooks.models import WebhookDelivery, WebhookEndpoint, WebhookMessage  # noqa: E402, F401
