"""The settings pages' forms: plain fields for everything, never JSON typed by hand.

Forms only check and convert what was typed; the services in ``services`` make the change.
"""

from __future__ import annotations

import json
import re
import zoneinfo
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from dsar import deadlines
from dsar.models import Controller
from dsar.uploads import IMAGES, UnsafeUpload, check_image

from . import portable

# The law's limits (Art 12(3), Art 12A), checked by dsar.deadlines.rule_problems through
# Controller.clean (the model form runs it): the hints here only repeat them.
MAX_DEADLINE_DAYS = deadlines.MAX_DAYS
MAX_EXTENSION_MONTHS = deadlines.MAX_EXTENSION_MONTHS

WAYS = [
    ("web", "The web form"),
    ("email", "Email to the DPO address"),
    ("post", "Post to the postal address"),
    ("phone", "Phone to the DPO number"),
]
WAY_FIELDS = {"web": "accepts_web", "email": "accepts_email", "post": "accepts_post",
              "phone": "accepts_phone"}  # fmt: skip


def _time_zones() -> list[tuple[str, str]]:
    """Region/City zones, the UK's first (most controllers here use it)."""
    zones = sorted(z for z in zoneinfo.available_timezones() if "/" in z and "Etc" not in z)
    ordered = ["Europe/London", *(z for z in zones if z != "Europe/London")]
    return [(z, z.replace("_", " ")) for z in ordered]


def parse_numbers(text: str) -> list[int]:
    """ "7, 3, 1" (commas or spaces) as whole numbers, largest first, each once."""
    parts = [p for p in re.split(r"[\s,;]+", text.strip()) if p]
    numbers = []
    for part in parts:
        if not part.isdigit():
            raise ValidationError(
                f"“{part}” is not a whole number of days. Enter numbers like 7, 3, 1."
            )
        numbers.append(int(part))
    if any(n > 60 for n in numbers):
        raise ValidationError("Reminders can be at most 60 working days before the due date.")
    return sorted(set(numbers), reverse=True)


class OrganisationForm(forms.ModelForm):
    """Names, contacts, the ways to ask, the time limit and the reminders of one controller."""

    ways = forms.MultipleChoiceField(
        label="Ways to make a request",
        choices=WAYS,
        widget=forms.CheckboxSelectMultiple,
        help_text="Shown on the public request page. Each needs its address or number above.",
    )
    time_zone = forms.ChoiceField(
        label="Time zone",
        choices=[],
        help_text="Deadlines end at midnight here; reminders go by this clock.",
    )
    website = forms.URLField(label="Website", required=False, max_length=200, assume_scheme="https")
    reminder_days = forms.CharField(
        label="Remind officers this many working days before the due date",
        help_text="Whole numbers separated by commas, for example 7, 3, 1. Leave empty for "
        "no reminders before the due date (overdue reminders still go).",
        required=False,
        max_length=100,
    )

    GROUPS = [
        ("Names", ["name", "legal_name", "company_number", "ico_registration", "website"]),
        (
            "Contacts",
            ["dpo_name", "dpo_email", "dpo_phone", "postal_address", "team_email"],
        ),
        ("Making a request", ["ways", "clock_starts", "letterhead_required_for_organisations"]),
        (
            "Time limit",
            ["holiday_region", "time_zone", "deadline_rule", "deadline_days", "extension_months"],
        ),
        (
            "Reminders and retention",
            ["reminder_days", "digest_hour", "closed_case_retention_days"],
        ),
        ("Second pair of eyes", ["approve_release", "approve_responses", "approve_erasure"]),
    ]

    class Meta:
        model = Controller
        fields = [
            "name",
            "legal_name",
            "company_number",
            "ico_registration",
            "website",
            "dpo_name",
            "dpo_email",
            "dpo_phone",
            "postal_address",
            "team_email",
            "clock_starts",
            "letterhead_required_for_organisations",
            "holiday_region",
            "time_zone",
            "deadline_rule",
            "deadline_days",
            "extension_months",
            "reminder_days",
            "digest_hour",
            "closed_case_retention_days",
            "approve_release",
            "approve_responses",
            "approve_erasure",
        ]
        labels = {
            "name": "Name shown to requesters",
            "ico_registration": "ICO registration number",
            "postal_address": "Postal address",
            "team_email": "Team email",
            "clock_starts": "For web requests, the day of receipt is",
            "holiday_region": "Bank holidays of",
            "deadline_rule": "The time limit is",
            "deadline_days": "Number of days (fixed-days rule)",
            "extension_months": "Extension, in months",
            "digest_hour": "Hour to send the DPO's overdue digest",
            "closed_case_retention_days": "Keep closed cases for this many days",
            "letterhead_required_for_organisations": "Say that letterhead from organisations helps",
        }
        help_texts = {
            "name": "",
            "deadline_days": f"At most {MAX_DEADLINE_DAYS}: a longer period can end after "
            "the calendar month in February, which the law does not allow.",
            "extension_months": f"At most {MAX_EXTENSION_MONTHS}, as the law allows for "
            "complex or numerous requests.",
            "digest_hour": "0 to 23, in the controller's time zone.",
            "closed_case_retention_days": "Then a closed case is deleted, leaving a record "
            "without personal data. Six years is 2,190 days. Leave empty when not set: "
            "then nothing is deleted.",
        }
        widgets = {
            "postal_address": forms.Textarea(attrs={"rows": 4}),
            "clock_starts": forms.RadioSelect,
            "deadline_rule": forms.RadioSelect,
            "holiday_region": forms.RadioSelect,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = _time_zones()
        self.fields["deadline_days"].min_value = 1
        self.fields["deadline_days"].widget.attrs.update(min=1, max=MAX_DEADLINE_DAYS)
        self.fields["extension_months"].widget.attrs.update(min=0, max=MAX_EXTENSION_MONTHS)
        self.fields["digest_hour"].widget.attrs.update(min=0, max=23)
        for name in ("deadline_rule", "holiday_region", "clock_starts"):
            self.fields[name].choices = [c for c in self.fields[name].choices if c[0]]
        if not self.is_bound and self.instance.pk:
            self.initial["reminder_days"] = ", ".join(
                str(n) for n in self.instance.reminder_days or []
            )
            self.initial["ways"] = [w for w, f in WAY_FIELDS.items() if getattr(self.instance, f)]

    def groups(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [(legend, [self[name] for name in names]) for legend, names in self.GROUPS]

    def clean_reminder_days(self) -> list[int]:
        return parse_numbers(self.cleaned_data.get("reminder_days") or "")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        # The time limit: Controller.clean applies dsar.deadlines.rule_problems (issue 13).
        ways = set(data.get("ways") or [])
        needs = {
            "email": ("dpo_email", "Enter the DPO email address, or untick email."),
            "post": ("postal_address", "Enter the postal address, or untick post."),
            "phone": ("dpo_phone", "Enter the DPO phone number, or untick phone."),
        }
        for way, (field, message) in needs.items():
            if way in ways and field in data and not (data.get(field) or "").strip():
                self.add_error(field, message)
        return data

    def values(self) -> dict[str, Any]:
        """What to hand to ``services.organisation_update``."""
        values = {name: self.cleaned_data[name] for name in self.Meta.fields}
        ways = set(self.cleaned_data["ways"])
        values.update({f: w in ways for w, f in WAY_FIELDS.items()})
        return values


def sniff_image(head: bytes) -> str | None:
    """The image type by its first bytes, whatever the file is called."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    return None


class LetterheadForm(forms.Form):
    """The lines at the top of letters and the logo beside them."""

    LOGO_MAX_BYTES = 512 * 1024

    text = forms.CharField(
        label="Lines printed at the top of letters",
        help_text="One per line, for example the registered office and company number. "
        "The name, address and DPO contact come from the Organisation page.",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
    )
    logo = forms.FileField(
        label="Logo",
        required=False,
        help_text="PNG or JPEG, up to 512 KB; printed at most 45 mm wide and 20 mm high.",
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg"}),
    )
    logo_description = forms.CharField(
        label="Describe the logo",
        required=False,
        max_length=200,
        help_text="Read out by screen readers, for example “Acme Retail logo”.",
    )
    remove_logo = forms.BooleanField(label="Remove the current logo", required=False)

    def __init__(self, *args: Any, has_logo: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.has_logo = has_logo
        if not has_logo:
            del self.fields["remove_logo"]
        self.fields["logo"].widget = forms.FileInput(attrs={"accept": "image/png,image/jpeg"})

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if not logo:
            return None
        if logo.size > self.LOGO_MAX_BYTES:
            raise ValidationError("The logo must be 512 KB or smaller.")
        kind = sniff_image(logo.read(16))
        logo.seek(0)
        if kind not in IMAGES:
            raise ValidationError("The logo must be a PNG or JPEG image.")
        try:
            check_image(logo, kind)
        except UnsafeUpload as exc:
            raise ValidationError(exc.message) from None
        return logo

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        keeps_logo = data.get("logo") or (self.has_logo and not data.get("remove_logo"))
        if keeps_logo and not (data.get("logo_description") or "").strip():
            self.add_error("logo_description", "Describe the logo for people using screen readers.")
        return data


def _document_choices(current: list[str]) -> list[tuple[str, str]]:
    from .policies import DOCUMENTS

    extra = [d for d in current if d not in DOCUMENTS]
    return [(d, d) for d in [*DOCUMENTS, *extra]]


class DocumentsField(forms.MultipleChoiceField):
    """Checkboxes of document names (the usual ones, and any this controller added)."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)


def _other_documents(text: str) -> list[str]:
    lines = [" ".join(line.split()) for line in (text or "").splitlines()]
    if any(len(line) > 200 for line in lines):
        raise ValidationError("Keep each document name under 200 characters.")
    return [line for line in lines if line]


class DocumentsMixin:
    """A documents checkbox list plus a box for others, one a line."""

    documents_field = "documents"

    def _setup_documents(self, current: list[str]) -> None:
        self.fields[self.documents_field].choices = _document_choices(current)
        if not self.is_bound:
            self.initial[self.documents_field] = list(current)

    def clean_other_documents(self) -> list[str]:
        return _other_documents(self.cleaned_data.get("other_documents", ""))

    def documents(self) -> list[str]:
        chosen = list(self.cleaned_data.get(self.documents_field) or [])
        return list(dict.fromkeys([*chosen, *self.cleaned_data.get("other_documents", [])]))


class IdentityPolicyForm(DocumentsMixin, forms.Form):
    """What one kind of request needs before the officers act on it."""

    require_email_ownership = forms.BooleanField(
        label="Email address confirmed by link",
        required=False,
        help_text="Web requests pass when the requester confirms their email.",
    )
    require_identity_document = forms.BooleanField(label="An identity document", required=False)
    require_knowledge_check = forms.BooleanField(
        label="A knowledge check", required=False, help_text="Questions only they could answer."
    )
    require_authority = forms.BooleanField(
        label="Authority, when someone asks for another person",
        required=False,
        help_text="A letter of authority, a power of attorney, or proof of parental "
        "responsibility. Turning this off discloses to anyone who says they act for someone.",
    )
    documents = DocumentsField(
        label="Documents accepted as proof of identity",
        help_text="None ticked: the documents accepted for any request (below the list of "
        "request kinds).",
    )
    other_documents = forms.CharField(
        label="Other documents, one a line",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )
    evidence_retention_days = forms.IntegerField(
        label="Delete evidence files this many days after the check",
        min_value=1,
        max_value=365,
        help_text="Keep them only as long as needed: 30 days is usual.",
    )
    chase_after_days = forms.IntegerField(
        label="Remind the requester every this many days while waiting",
        min_value=0,
        max_value=90,
        help_text="0: never.",
    )
    close_unverified_after_days = forms.IntegerField(
        label="Refuse as not verified after this many days",
        min_value=0,
        max_value=365,
        help_text="0: never. A letter tells the requester.",
    )

    STEPS = (
        "require_email_ownership",
        "require_identity_document",
        "require_knowledge_check",
        "require_authority",
    )

    def __init__(self, *args: Any, policy: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from identity.models import IdentityPolicy

        template = policy or IdentityPolicy()
        current = list(template.accepted_documents or [])
        self._setup_documents(current)
        if not self.is_bound:
            for name in (
                *self.STEPS,
                "evidence_retention_days",
                "chase_after_days",
                "close_unverified_after_days",
            ):
                self.initial[name] = getattr(template, name)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        chase, close = data.get("chase_after_days"), data.get("close_unverified_after_days")
        if chase and close and chase >= close:
            self.add_error(
                "chase_after_days",
                "Remind the requester before the request would be refused as not verified.",
            )
        return data

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            **{name: data[name] for name in self.STEPS},
            "accepted_documents": self.documents(),
            "evidence_retention_days": data["evidence_retention_days"],
            "chase_after_days": data["chase_after_days"],
            "close_unverified_after_days": data["close_unverified_after_days"],
        }


class DefaultDocumentsForm(DocumentsMixin, forms.Form):
    documents = DocumentsField(
        label="Documents accepted for any request",
        help_text="Used for every kind of request whose identity checks list no documents.",
    )
    other_documents = forms.CharField(
        label="Other documents, one a line",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )

    def __init__(self, *args: Any, controller: Controller, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._setup_documents(list(controller.accepted_identity_documents or []))


class NewControllerForm(forms.ModelForm):
    """The least a controller needs to exist; the checklist asks for the rest."""

    class Meta:
        model = Controller
        fields = ["name", "slug", "team_email"]
        labels = {"name": "Name shown to requesters", "slug": "Address of its public form"}
        help_texts = {
            "slug": "Lower-case letters, digits and hyphens: the form will be at /r/<this>/.",
            "team_email": "Where reminders and notices go. The public form is published once "
            "this (or the DPO's email) is set.",
        }


class ConfigurationFileForm(forms.Form):
    """A configuration file to compare with this controller's (nothing is changed yet)."""

    MAX_BYTES = 2 * 1024 * 1024

    document = forms.FileField(
        label="Configuration file",
        help_text="A .json file downloaded from this page, here or in another environment.",
        error_messages={"required": "Choose a configuration file."},
    )

    def clean_document(self) -> dict[str, Any]:
        upload = self.cleaned_data["document"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError("This file is too large to be a configuration (2 MB).")
        try:
            data = json.loads(upload.read().decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise forms.ValidationError(
                "This file is not a configuration: it is not JSON text."
            ) from None
        portable.check_document(data)
        return data
