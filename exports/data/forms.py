"""Officer forms of the data half: the "Personal data" panel, and the review, bundle and
erasure pages. They only shape input; every change goes through a service in
``exports.data.services``."""

from __future__ import annotations

from typing import Any

from django import forms

from dsar.forms.common import ServiceErrorMixin, needs
from dsar.models import Case

from .models import (
    DataCategory,
    DownloadLink,
    Exemption,
    ExemptionReason,
    Export,
    Ground,
    ObjectionDecision,
    SourceAction,
    Withholding,
)
from .services.delivery import MAX_DAYS


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


# Review, bundle and erasure pages (disclosure).

REASON_HELP = (
    "Why the exemption applies here. For another exemption, name its DPA 2018 provision "
    "(e.g. Sch 3 para 5, serious harm in health data)."
)


def _ground() -> forms.ChoiceField:
    return forms.ChoiceField(
        label="Exemption",
        choices=Ground.choices,
        initial=Ground.THIRD_PARTY,
        error_messages=needs("Choose the exemption that applies."),
    )


def _reason() -> forms.CharField:
    return forms.CharField(
        label="Reason",
        help_text=REASON_HELP,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages=needs("Say why the exemption applies."),
    )


class WithholdForm(ServiceErrorMixin, forms.Form):
    scope = forms.ChoiceField(choices=Withholding.Scope.choices, widget=forms.HiddenInput)
    source = forms.CharField(required=False, widget=forms.HiddenInput)
    category = forms.CharField(widget=forms.HiddenInput)
    record = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    field = forms.CharField(label="What to withhold", required=False)
    ground = _ground()
    reason = _reason()

    def __init__(self, *args: Any, fields: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if fields is not None:
            # The record's fields to choose from; the service checks the record has it.
            choices = [("", "The whole record")] + [(f, f"Only its field {f}") for f in fields]
            self.fields["field"].widget = forms.Select(choices=choices)
        else:
            self.fields["field"].widget = forms.HiddenInput()


class BundleAddForm(ServiceErrorMixin, forms.Form):
    title = forms.CharField(
        label="What it is",
        max_length=200,
        help_text="e.g. Email from the branch manager, 3 May 2025",
        error_messages=needs("Say what the document is."),
    )
    file = forms.FileField(
        label="File",
        help_text="PDF, PNG, JPEG or plain text. Checked by its content.",
        error_messages=needs("Choose the file to add."),
    )


class MarkForm(ServiceErrorMixin, forms.Form):
    """A term to redact everywhere, or an area of a page in percent of its size."""

    term = forms.CharField(
        label="Term to redact everywhere",
        required=False,
        max_length=200,
        help_text="A name, email address or phone number, found wherever it appears.",
    )
    page = forms.IntegerField(label="Page", required=False, min_value=1)
    left = forms.FloatField(label="Left edge (% of the width)", required=False)
    top = forms.FloatField(label="Top edge (% of the height)", required=False)
    right = forms.FloatField(label="Right edge (% of the width)", required=False)
    bottom = forms.FloatField(label="Bottom edge (% of the height)", required=False)
    ground = _ground()
    reason = _reason()

    def box(self) -> tuple[float, float, float, float] | None:
        data = self.cleaned_data
        values = [data.get(k) for k in ("left", "top", "right", "bottom")]
        if all(v is None for v in values):
            return None
        if any(v is None for v in values):
            self.add_error("left", "Give all four edges of the area, in percent of the page.")
            return None
        return tuple(v / 100 for v in values)  # type: ignore[return-value]


class SuggestionForm(ServiceErrorMixin, forms.Form):
    term = forms.CharField(max_length=200, widget=forms.HiddenInput)
    ground = _ground()
    reason = forms.CharField(
        label="Reason",
        initial="Another person's contact details, not the requester's.",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages=needs("Say why the exemption applies."),
    )


class ErasureForm(ServiceErrorMixin, forms.Form):
    confirmation = forms.CharField(
        label="Type the subject's name to confirm",
        max_length=200,
        error_messages=needs("Type the subject's name to confirm the erasure."),
    )
    recipients_to_tell = forms.CharField(
        label="Recipients to tell (Art 19)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One a line. Leave empty to use the data map's recipients.",
    )
