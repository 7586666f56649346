"""Officer forms for the case page's "Personal data" panel. They only shape input; every
change goes through a service in ``exports.data``."""

from __future__ import annotations

from typing import Any

from django import forms

from dsar.forms.common import ServiceErrorMixin, needs
from dsar.models import Case

from .casework import DownloadLink, Exemption, ExemptionReason, Export, ObjectionDecision
from .delivery import MAX_DAYS
from .models import DataCategory, SourceAction


def _categories(case: Case):
    return DataCategory.objects.filter(controller=case.controller).order_by("order", "name")


class NoteForm(ServiceErrorMixin, forms.Form):
    note = forms.CharField(
        label="Note",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Goes on the case record. Needed when a source failed.",
    )


class ManualUploadForm(ServiceErrorMixin, forms.Form):
    """What an officer found by hand in one manual source."""

    file = forms.FileField(
        label="File of records",
        required=False,
        help_text="CSV (UTF-8, header row) or JSON. Leave empty if nothing was found.",
    )
    category = forms.ChoiceField(label="Category", required=False)
    note = forms.CharField(
        label="Where you looked",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Required when nothing was found.",
    )

    def __init__(self, *args: Any, case: Case, prefix_id: int, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"id_manual{prefix_id}_%s")
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", "From the file (JSON keyed by category)")] + [
            (c.name, c.name) for c in _categories(case)
        ]


class ExportForm(ServiceErrorMixin, forms.Form):
    purpose = forms.ChoiceField(
        label="Export",
        choices=Export.Purpose.choices,
        widget=forms.RadioSelect,
        error_messages=needs("Choose access or portability."),
    )


class LinkForm(ServiceErrorMixin, forms.Form):
    audience = forms.ChoiceField(
        label="Send the link to",
        choices=DownloadLink.Audience.choices,
        widget=forms.RadioSelect,
        initial=DownloadLink.Audience.REQUESTER,
        error_messages=needs("Choose who the link is for."),
    )
    days = forms.IntegerField(
        label="Days the link works", min_value=1, max_value=MAX_DAYS, initial=14
    )
    recipient_email = forms.EmailField(
        label="Recipient's email address",
        required=False,
        help_text="Only for another organisation; blank: the address in the request.",
    )

    def __init__(self, *args: Any, document_id: int, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"id_link{document_id}_%s")
        super().__init__(*args, **kwargs)


class ExemptionForm(ServiceErrorMixin, forms.Form):
    category = forms.ModelChoiceField(
        label="Category kept",
        queryset=DataCategory.objects.none(),
        error_messages=needs("Choose the category."),
    )
    reason = forms.ChoiceField(
        label="Reason", choices=ExemptionReason.choices, error_messages=needs("Choose the reason.")
    )
    detail = forms.CharField(
        label="What it rests on",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="e.g. HMRC requires invoices to be kept for six years. Shown in the letter.",
        error_messages=needs("Say what the exemption rests on."),
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        taken = Exemption.objects.filter(case=case).values("category_id")
        self.fields["category"].queryset = _categories(case).exclude(pk__in=taken)


class RunForm(ServiceErrorMixin, forms.Form):
    """Start erasure, rectification or restriction; corrected values for update steps."""

    recipients_to_tell = forms.CharField(
        label="Recipients to tell (Art 19)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Blank: the recipients the data map lists for the categories changed.",
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        columns = sorted(
            {
                column
                for action in SourceAction.objects.filter(
                    source__controller=case.controller,
                    right=case.right,
                    operation=SourceAction.Operation.UPDATE,
                )
                for column in action.input_columns or []
            }
        )
        self.value_columns = columns
        for column in columns:
            self.fields[f"value_{column}"] = forms.CharField(
                label=f"Corrected value: {column}",
                max_length=500,
                error_messages=needs(f"Give the corrected value for {column}."),
            )
        self.order_fields([*(f"value_{c}" for c in columns), "recipients_to_tell"])

    def values(self) -> dict[str, str]:
        return {c: self.cleaned_data[f"value_{c}"] for c in self.value_columns}


class StepDoneForm(ServiceErrorMixin, forms.Form):
    note = forms.CharField(
        label="What you did",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages=needs("Say what you did."),
    )
    rows_affected = forms.IntegerField(label="Records changed", min_value=0, required=False)

    def __init__(self, *args: Any, step_id: int, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"id_step{step_id}_%s")
        super().__init__(*args, **kwargs)


class ObjectionDecisionForm(ServiceErrorMixin, forms.Form):
    decision = forms.ChoiceField(
        label="Decision",
        choices=ObjectionDecision.Decision.choices,
        widget=forms.RadioSelect,
        error_messages=needs("Choose the decision."),
    )
    processing = forms.CharField(
        label="Processing objected to",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Blank: as the requester described it.",
    )
    reasons = forms.CharField(
        label="Reasons",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=needs("Give the reasons: they go in the letter."),
    )
