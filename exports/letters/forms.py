"""The letter form: one text box per free-text part of the kind, and how to send it."""

from __future__ import annotations

from typing import Any

from django import forms

from dsar.errors import CaseActionError
from dsar.models import Case
from exports.models import Delivery

from . import LetterKind


class LetterForm(forms.Form):
    """Required parts are checked on issue, not here, so a half-written draft can be kept."""

    delivery = forms.ChoiceField(
        label="How to send it", choices=Delivery.choices, widget=forms.RadioSelect
    )
    corrects = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, case: Case, kind: LetterKind, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.case, self.kind = case, kind
        for spec in kind.fields:
            label = spec.label + (" (required)" if spec.required_for(case) else "")
            self.fields[spec.name] = forms.CharField(
                label=label,
                help_text=spec.help,
                required=False,
                strip=True,
                max_length=20_000,
                widget=forms.Textarea(attrs={"rows": spec.rows}),
            )
        # Text boxes first, in the letter's order; then the delivery choice.
        self.order_fields([*(spec.name for spec in kind.fields), "delivery", "corrects"])

    def letter_fields(self) -> dict[str, str]:
        return {spec.name: self.cleaned_data.get(spec.name, "") for spec in self.kind.fields}

    def add_service_error(self, exc: CaseActionError) -> None:
        field = exc.field if exc.field in self.fields else None
        self.add_error(field, exc.message)
