"""Forms of the review, bundle and erasure pages. They shape input; services decide."""

from __future__ import annotations

from typing import Any

from django import forms

from dsar.forms.common import ServiceErrorMixin, needs

from .disclosure import Ground, Withholding

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
