"""Forms of the team and webhooks pages."""

from __future__ import annotations

from typing import Any

from django import forms

from dsar.choices import Role


class InviteForm(forms.Form):
    first_name = forms.CharField(label="First name", max_length=150)
    last_name = forms.CharField(label="Last name", max_length=150)
    email = forms.EmailField(label="Email address", help_text="The invitation goes here.")
    role = forms.ChoiceField(
        label="Role", widget=forms.RadioSelect, choices=Role.choices, initial=Role.OFFICER
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(label="Role", choices=Role.choices)


class WebhookForm(forms.Form):
    url = forms.URLField(
        label="Address (HTTPS)",
        max_length=500,
        assume_scheme="https",
        help_text="Where your system receives events, for example https://crm.example.com/hooks.",
    )
    description = forms.CharField(label="What it is for", required=False, max_length=200)
    event_types = forms.MultipleChoiceField(
        label="Events to send",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[],
        help_text="None ticked: all of them.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from dsar.webhooks.models import EventType

        self.fields["event_types"].choices = EventType.choices
