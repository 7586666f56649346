"""Triage of requests that arrived by email: make a case, or say it is not a request."""

from __future__ import annotations

from django import forms

from ..choices import Right
from .common import DATE_WIDGET, ServiceErrorMixin, needs


class ConvertForm(ServiceErrorMixin, forms.Form):
    right = forms.ChoiceField(
        label="Which right are they using?",
        choices=Right.choices,
        widget=forms.RadioSelect,
        error_messages=needs("Choose the right being asked for."),
    )
    received_on = forms.DateField(
        label="Received on",
        widget=DATE_WIDGET,
        help_text="Day one of the time limit: the day the email arrived (filled in from it).",
        error_messages=needs("Give the day the email arrived."),
    )
    requester_name = forms.CharField(
        label="Requester's name",
        max_length=200,
        error_messages=needs("Give the requester's name."),
    )

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("auto_id", "id_convert_%s")
        super().__init__(*args, **kwargs)


class DiscardForm(ServiceErrorMixin, forms.Form):
    reason = forms.CharField(
        label="Why is it not a request?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="For example: a newsletter, spam, a complaint about something else. "
        "The message is kept for the record with your reason.",
        error_messages=needs("Say why it is not a request."),
    )

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("auto_id", "id_discard_%s")
        super().__init__(*args, **kwargs)
