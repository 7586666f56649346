"""Forms for the officer pages: the queue's filters and logging a request."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone

from ..choices import (
    Channel,
    PortabilityDestination,
    Relationship,
    ReplyChannel,
    Right,
    Status,
)
from ..filters import DUE_WINDOWS, REPORT_FILTERS
from ..formats import person_name
from ..models import Controller
from .common import DATE_WIDGET, NOT_YOURS, ServiceErrorMixin, needs

# --- the queue's filters -------------------------------------------------------------


class QueueFilterForm(forms.Form):
    """Renders the queue's filters; ``dsar.filters.CaseFilter`` applies them.

    Field names and values match CaseFilter's, so one query string serves both. Choices
    come from lists the view has already loaded: building this form runs no query.
    """

    q = forms.CharField(
        label="Search", required=False, widget=forms.TextInput(attrs={"type": "search"}),
        help_text="Reference, name, email, phone or customer number; every status",
    )  # fmt: skip
    status = forms.MultipleChoiceField(
        label="Status", required=False, choices=Status.choices,
        widget=forms.CheckboxSelectMultiple, help_text="None ticked: open cases only.",
    )  # fmt: skip
    right = forms.ChoiceField(
        label="Right", required=False, choices=[("", "Any right"), *Right.choices]
    )
    controller = forms.ChoiceField(label="Controller", required=False)
    assignee = forms.ChoiceField(label="Assignee", required=False)
    due = forms.ChoiceField(label="Due", required=False, choices=[("", "Any time"), *DUE_WINDOWS])

    def __init__(
        self,
        *args: Any,
        controllers: list[Controller],
        officers: list[AbstractBaseUser],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["controller"].choices = [("", "All my controllers")] + [
            (c.slug, c.name) for c in controllers
        ]
        self.fields["assignee"].choices = [
            ("", "Anyone"),
            ("me", "Me"),
            ("none", "Unassigned"),
            *[(str(u.pk), person_name(u)) for u in officers],
        ]
        # Issue 16: a report's filters ride along (hidden) when other filters change.
        for name in REPORT_FILTERS:
            self.fields[name] = forms.CharField(required=False, widget=forms.HiddenInput)

    @property
    def from_report(self) -> bool:
        return self.is_bound and any(self.data.get(name) for name in REPORT_FILTERS)

    @property
    def is_filtered(self) -> bool:
        return self.is_bound and any(self.data.get(name) for name in self.fields)


# --- logging a request taken by post, phone, email or in person ----------------------

LOGGED_CHANNELS = [
    (c.value, c.label) for c in (Channel.POST, Channel.PHONE, Channel.EMAIL, Channel.IN_PERSON)
]
OFFICER_RELATIONSHIPS = [
    (Relationship.SELF.value, "The requester is the data subject"),
    *[(r.value, r.label) for r in Relationship if r != Relationship.SELF],
]


def parse_identifiers(text: str) -> list[dict[str, str]]:
    """One identifier a line as "kind: value" ("Customer number: 12345"); bare lines: "other"."""
    found = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        kind, sep, value = line.partition(":")
        if sep and kind.strip() and value.strip():
            found.append({"kind": kind.strip().lower().replace(" ", "_"), "value": value.strip()})
        else:
            found.append({"kind": "other", "value": line})
    return found


class LogRequestForm(ServiceErrorMixin, forms.Form):
    # How and when it arrived.
    controller = forms.ModelChoiceField(
        label="Controller", queryset=None, empty_label=None,
        error_messages={**needs("Choose the controller."), "invalid_choice": NOT_YOURS},
    )  # fmt: skip
    channel = forms.ChoiceField(
        label="How it arrived", choices=LOGGED_CHANNELS, widget=forms.RadioSelect,
        error_messages=needs("Choose how the request arrived."),
    )  # fmt: skip
    received_on = forms.DateField(
        label="Received on", widget=DATE_WIDGET,
        error_messages={
            **needs("Give the date the request arrived."),
            "invalid": "Give a real date, such as 2026-03-02.",
        },
        help_text="The day it really arrived, even weeks ago: the deadline runs from it.",
    )  # fmt: skip
    # What is asked.
    right = forms.ChoiceField(
        label="Right", choices=Right.choices, widget=forms.RadioSelect,
        error_messages=needs("Choose the right they are using."),
    )  # fmt: skip
    description = forms.CharField(
        label="What they asked for", required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text="In their words where possible.",
    )  # fmt: skip
    rectification_inaccurate = forms.CharField(
        label="What is inaccurate (rectification)", required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip
    rectification_correction = forms.CharField(
        label="The correction they want (rectification)", required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip
    objection_processing = forms.CharField(
        label="Processing objected to (objection)", required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip
    objection_direct_marketing = forms.BooleanField(
        label="They object to direct marketing", required=False
    )
    portability_destination = forms.ChoiceField(
        label="Where the data goes (portability)", required=False,
        choices=[("", "Not a portability request"), *PortabilityDestination.choices],
    )  # fmt: skip
    portability_recipient = forms.CharField(
        label="Receiving organisation (portability)", required=False, max_length=300
    )
    # Who is asking.
    requester_name = forms.CharField(
        label="Requester's full name", max_length=200,
        error_messages=needs("Give the requester's name."),
    )  # fmt: skip
    organisation_name = forms.CharField(
        label="Organisation", required=False, max_length=200,
        help_text="Only if an organisation (such as a law firm) is making the request.",
    )  # fmt: skip
    requester_email = forms.EmailField(label="Email", required=False)
    requester_phone = forms.CharField(label="Phone", required=False, max_length=40)
    requester_address = forms.CharField(
        label="Postal address", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    preferred_reply = forms.ChoiceField(
        label="Reply by", choices=ReplyChannel.choices, widget=forms.RadioSelect,
        error_messages=needs("Choose how to reply."),
        initial=ReplyChannel.EMAIL,
    )  # fmt: skip
    # Whose data.
    relationship = forms.ChoiceField(
        label="Whose data is it?", choices=OFFICER_RELATIONSHIPS, widget=forms.RadioSelect,
        error_messages=needs("Choose whose data it is."),
        initial=Relationship.SELF,
    )  # fmt: skip
    subject_name = forms.CharField(
        label="Data subject's full name", required=False, max_length=200,
        help_text="When someone asks on another person's behalf.",
    )  # fmt: skip
    subject_email = forms.EmailField(label="Data subject's email", required=False)
    subject_address = forms.CharField(
        label="Data subject's postal address", required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip
    subject_identifiers = forms.CharField(
        label="Identifiers to search for", required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text='One a line, such as "Customer number: 12345" or "Postcode: SW1A 1AA".',
    )  # fmt: skip

    def __init__(self, *args: Any, controllers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["controller"]
        field.queryset = controllers
        options = list(controllers[:2])
        if len(options) == 1 and not self.is_bound:
            self.initial["controller"] = options[0].pk

    def clean_subject_identifiers(self) -> list[dict[str, str]]:
        return parse_identifiers(self.cleaned_data["subject_identifiers"])

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        controller = data.get("controller")
        today = controller.today() if controller else timezone.localdate()
        received = data.get("received_on")
        if received and received > today:
            self.add_error("received_on", "The received date cannot be in the future.")
        if data.get("preferred_reply") == ReplyChannel.EMAIL and not data.get("requester_email"):
            self.add_error("requester_email", "Give an email address, or choose to reply by post.")
        if data.get("preferred_reply") == ReplyChannel.POST and not data.get("requester_address"):
            self.add_error(
                "requester_address", "Give a postal address, or choose to reply by email."
            )
        if data.get("relationship", Relationship.SELF) != Relationship.SELF and not data.get(
            "subject_name"
        ):
            self.add_error("subject_name", "Give the name of the person whose data it is.")
        if (
            data.get("portability_destination") == PortabilityDestination.ORGANISATION
            and not data.get("portability_recipient", "").strip()
        ):
            self.add_error("portability_recipient", "Name the organisation to send the data to.")
        return data

    def case_fields(self) -> dict[str, Any]:
        """The case details, as ``services.case_create(fields=...)`` takes them."""
        skip = {"controller", "channel", "received_on", "right"}
        return {k: v for k, v in self.cleaned_data.items() if k not in skip}
