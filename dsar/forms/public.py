"""The public request form at /r/<controller-slug>/.

One form for every right, and for several at once (one case per right ticked, linked as
the same person: see ``services.case_create_many``). Questions that belong to one right are
only required (and only saved on that right's case) when that right is chosen, so a
requester who changes their mind half way never sends answers to questions they no longer
meant to answer. `case_fields()` turns a valid
form into the `fields` of `services.case_create`.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils import timezone

from ..choices import PortabilityDestination, Relationship, ReplyChannel, Right
from ..models import Controller
from ..validation import validate_request_fields

HONEYPOT_FIELD = "company_website"

# Plain-English hints shown under each right.
RIGHT_HINTS = {
    Right.ACCESS: "Get a copy of the personal data we hold about you, and find out how we use it.",
    Right.ERASURE: "Ask us to delete personal data we hold about you.",
    Right.RECTIFICATION: "Ask us to correct personal data about you that is wrong or incomplete.",
    Right.PORTABILITY: (
        "Get the data you gave us in a file a computer can read, or have us send it to "
        "another organisation."
    ),
    Right.OBJECTION: (
        "Ask us to stop using your data for a purpose, such as sending you direct marketing."
    ),
    Right.RESTRICTION: (
        "Ask us to keep your data but limit how we use it, for example while we check "
        "whether it is accurate."
    ),
    Right.AUTOMATED_DECISION: (
        "Ask for a person to review a decision about you that was made by a computer alone."
    ),
}

# Which rights use the free-text description, and which must give one.
DESCRIPTION_RIGHTS = frozenset(
    {Right.ACCESS, Right.ERASURE, Right.RESTRICTION, Right.AUTOMATED_DECISION, Right.PORTABILITY}
)
DESCRIPTION_REQUIRED = {
    Right.ERASURE: "Tell us what you want us to delete (you can say “everything”)",
    Right.RESTRICTION: "Tell us which data you want us to limit the use of, and why",
    Right.AUTOMATED_DECISION: "Tell us which decision you want a person to review",
}

RELATIONSHIP_CHOICES = [
    (Relationship.SELF.value, "For myself"),
    (Relationship.PARENT.value, "For my child, or someone I am the guardian of"),
    (Relationship.SOLICITOR.value, "For a client: I am their solicitor or legal representative"),
    (Relationship.POWER_OF_ATTORNEY.value, "For someone I hold a power of attorney for"),
    (Relationship.OTHER.value, "For someone else who has asked me to act for them"),
]
YES_NO = [("no", "No"), ("yes", "Yes")]

# A UK postcode anywhere in an address (used only to help find the subject's records).
POSTCODE_RE = re.compile(r"\b([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9][A-Z]{2})\b", re.IGNORECASE)

NAME_REQUIRED = "Enter your full name"
EMAIL_REQUIRED = "Enter your email address: we will send a link to it to confirm your request"
EMAIL_INVALID = "Enter an email address in the correct format, like name@example.com"


def _text(
    label: str, *, required: bool = False, max_length: int = 200, **kwargs: Any
) -> forms.CharField:
    return forms.CharField(label=label, required=required, max_length=max_length, **kwargs)


def _area(
    label: str, *, required: bool = False, rows: int = 4, max_length: int = 5000, **kwargs: Any
) -> forms.CharField:
    kwargs.setdefault("widget", forms.Textarea(attrs={"rows": rows}))
    return forms.CharField(label=label, required=required, max_length=max_length, **kwargs)


def _radios(label: str, choices: Any, **kwargs: Any) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, choices=choices, widget=forms.RadioSelect, **kwargs)


class PublicRequestForm(forms.Form):
    """What a member of the public tells a controller when they use a data protection right."""

    right = forms.MultipleChoiceField(
        label="What would you like to do?",
        choices=Right.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose what you would like us to do"},
    )

    # About the requester.
    requester_name = _text(
        "Full name",
        required=True,
        widget=forms.TextInput(attrs={"autocomplete": "name", "spellcheck": "false"}),
        error_messages={"required": NAME_REQUIRED},
    )
    requester_email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="We will email you a link to confirm your request.",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={"required": EMAIL_REQUIRED, "invalid": EMAIL_INVALID},
    )
    requester_phone = _text(
        "Phone number",
        max_length=40,
        help_text="Only if you are happy for us to call you about this request.",
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    requester_address = _area(
        "Postal address",
        help_text="Needed if you want our reply by post.",
        widget=forms.Textarea(attrs={"rows": 4, "autocomplete": "street-address"}),
    )

    # For whom.
    relationship = _radios(
        "Who is the request about?",
        RELATIONSHIP_CHOICES,
        initial=Relationship.SELF.value,
        error_messages={"required": "Tell us who the request is about"},
    )
    subject_name = _text("Their full name")
    subject_email = forms.EmailField(
        label="Their email address",
        required=False,
        max_length=254,
        help_text="The one they use with us, if you know it.",
        error_messages={"invalid": EMAIL_INVALID},
    )
    subject_phone = _text(
        "Their phone number", max_length=40, widget=forms.TextInput(attrs={"type": "tel"})
    )
    subject_address = _area("Their postal address", rows=4)

    # For an organisation.
    for_organisation = _radios(
        "Are you making this request on behalf of an organisation?",
        YES_NO,
        initial="no",
        help_text="For example a law firm, a charity or a company acting for someone.",
        error_messages={"required": "Tell us whether you are acting for an organisation"},
    )
    organisation_name = _text("Name of the organisation")

    # Per right.
    description = _area(
        "Tell us what you are asking for",
        rows=5,
        help_text=(
            "Access: which information you want, or “everything”. Erasure: what to delete. "
            "Restriction: what to limit, and why. Automated decision: which decision, and "
            "when it was made. Portability: which data, if not all of it."
        ),
    )
    rectification_inaccurate = _area(
        "What is wrong or incomplete?",
        help_text="For example “my date of birth” or “my address on my account”.",
    )
    rectification_correction = _area(
        "What should it say instead?",
        help_text="Give the correct details. We may ask for evidence, such as a bill.",
    )
    objection_processing = _area(
        "Which use of your data do you object to?",
        help_text=(
            "Tell us what we do with your data that you want us to stop, and why if you can. "
            "You do not need a reason to object to direct marketing."
        ),
    )
    objection_direct_marketing = forms.BooleanField(
        label=(
            "This includes direct marketing "
            "(adverts or offers sent to me by email, text, post or phone)"
        ),
        required=False,
        help_text=(
            "We must stop direct marketing when you ask. "
            "We will add you to our do-not-contact list."
        ),
    )
    portability_destination = _radios(
        "Where should we send your data?",
        PortabilityDestination.choices,
        required=False,
    )
    portability_recipient_name = _text("Name of the organisation to send it to", max_length=120)
    portability_recipient_email = forms.EmailField(
        label="Email address of that organisation",
        required=False,
        max_length=170,
        help_text="Usually their data protection or privacy team.",
        error_messages={"invalid": EMAIL_INVALID},
    )

    # Finding the data.
    customer_number = _text(
        "Customer, account or membership number",
        max_length=100,
        widget=forms.TextInput(attrs={"spellcheck": "false"}),
    )
    other_identifiers = _area(
        "Anything else that will help us find the data",
        rows=3,
        max_length=1000,
        help_text="For example a previous address or name, a username or an order number.",
    )

    # The reply and the declaration.
    preferred_reply = _radios(
        "How should we send our reply?",
        [(ReplyChannel.EMAIL.value, "By email"), (ReplyChannel.POST.value, "By post")],
        initial=ReplyChannel.EMAIL.value,
        help_text="If you choose post, give your postal address above.",
        error_messages={"required": "Choose how we should send our reply"},
    )
    declaration = forms.BooleanField(
        label="The information I have given is true.",
        error_messages={
            "required": "Confirm that the information you have given is true to send your request"
        },
    )

    # Spam trap: people never see it; naive bots fill every field.
    company_website = _text(
        "Leave this empty",
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args: Any, controller: Controller, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.controller = controller
        self.fields["declaration"].help_text = (
            f"I understand that {controller.name} may ask me to prove my identity, or my "
            "authority to act for someone else, before answering."
        )

    # --- for the template -------------------------------------------------------------

    def right_options(self) -> list[dict[str, Any]]:
        """The right checkboxes with their hints, for a list the template can lay out."""
        return [
            {"radio": radio, "hint": RIGHT_HINTS[Right(radio.data["value"])]}
            for radio in self["right"]
        ]

    def error_links(self) -> list[tuple[str, str]]:
        """(element id, message) for the error summary, in the order the fields appear."""
        links = [("", str(message)) for message in self.non_field_errors()]
        for name in self.fields:
            for message in self.errors.get(name, []):
                bound = self[name]
                anchor = (
                    f"{bound.auto_id}_0"
                    if isinstance(bound.field.widget, forms.RadioSelect)
                    else bound.auto_id
                )
                links.append((anchor, str(message)))
        return links

    def is_bot(self) -> bool:
        return bool(self.is_bound and self.data.get(HONEYPOT_FIELD, "").strip())

    # --- validation ---------------------------------------------------------------------

    @property
    def rights(self) -> list[str]:
        """The rights ticked, in the order the form lists them (valid forms only)."""
        chosen = set(self.cleaned_data.get("right") or [])
        return [r for r in Right.values if r in chosen]

    def _error_once(self, field: str, message: str) -> None:
        # Two rights may need the same answer: say so once in the error summary.
        if message not in self.errors.get(field, []):
            self.add_error(field, message)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        rights = self.rights
        # Every right ticked is validated by the rule the API shares, one right at a time.
        for right in rights:
            shared = validate_request_fields(right, data)
            # This form asks for the receiving organisation's name and email separately.
            shared.pop("portability_recipient", None)
            for field, message in shared.items():
                self._error_once(field, message)
        if data.get("for_organisation") == "yes" and not data.get("organisation_name"):
            self.add_error(
                "organisation_name", "Enter the name of the organisation you are acting for"
            )
        if not data.get("description"):
            needing = [r for r in rights if r in DESCRIPTION_REQUIRED]
            if needing:
                self._error_once("description", DESCRIPTION_REQUIRED[needing[0]])
        if Right.PORTABILITY in rights:
            destination = data.get("portability_destination")
            if not destination:
                self.add_error("portability_destination", "Choose where we should send your data")
            elif destination == PortabilityDestination.ORGANISATION:
                if not data.get("portability_recipient_name"):
                    self.add_error(
                        "portability_recipient_name",
                        "Enter the name of the organisation to send it to",
                    )
                if (
                    not data.get("portability_recipient_email")
                    and "portability_recipient_email" not in self.errors
                ):
                    self.add_error(
                        "portability_recipient_email",
                        "Enter the email address of that organisation",
                    )
        return data

    # --- to the case --------------------------------------------------------------------

    def case_fields(self, right: str | None = None) -> dict[str, Any]:
        """The `fields` for services.case_create, keeping only answers for ``right``.

        ``right`` defaults to the first right ticked (the only one, usually).
        """
        d = self.cleaned_data
        right = right or self.rights[0]
        for_other = d["relationship"] != Relationship.SELF
        fields: dict[str, Any] = {
            "requester_name": d["requester_name"],
            "requester_email": d["requester_email"],
            "requester_phone": d["requester_phone"],
            "requester_address": d["requester_address"],
            "relationship": d["relationship"],
            "preferred_reply": d["preferred_reply"],
            "declaration_at": timezone.now(),
            "subject_identifiers": self.subject_identifiers(),
        }
        if for_other:
            fields["subject_name"] = d["subject_name"]
            fields["subject_email"] = d["subject_email"]
            fields["subject_address"] = d["subject_address"]
        if d["for_organisation"] == "yes":
            fields["organisation_name"] = d["organisation_name"]
        if right in DESCRIPTION_RIGHTS:
            fields["description"] = d["description"]
        if right == Right.RECTIFICATION:
            fields["rectification_inaccurate"] = d["rectification_inaccurate"]
            fields["rectification_correction"] = d["rectification_correction"]
        if right == Right.OBJECTION:
            fields["objection_processing"] = d["objection_processing"]
            fields["objection_direct_marketing"] = d["objection_direct_marketing"]
        if right == Right.PORTABILITY:
            fields["portability_destination"] = d["portability_destination"]
            if d["portability_destination"] == PortabilityDestination.ORGANISATION:
                fields["portability_recipient"] = (
                    f"{d['portability_recipient_name']} <{d['portability_recipient_email']}>"
                )
        return fields

    def subject_identifiers(self) -> list[dict[str, str]]:
        """How to find the data subject's records: their email, phone, numbers, postcode."""
        d = self.cleaned_data
        if d["relationship"] == Relationship.SELF:
            email, phone, address = (
                d["requester_email"],
                d["requester_phone"],
                d["requester_address"],
            )
        else:
            email, phone, address = d["subject_email"], d["subject_phone"], d["subject_address"]
        found = [
            ("email", email.lower()),
            ("phone", phone),
            ("customer_number", d["customer_number"]),
            ("postcode", _postcode(address)),
            ("other", d["other_identifiers"]),
        ]
        identifiers: list[dict[str, str]] = []
        for kind, value in found:
            item = {"kind": kind, "value": value}
            if value and item not in identifiers:
                identifiers.append(item)
        return identifiers


def _postcode(address: str) -> str:
    match = POSTCODE_RE.search(address or "")
    return f"{match.group(1)} {match.group(2)}".upper() if match else ""
