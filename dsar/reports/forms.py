"""The report's scope: which controllers (one, or all the user may see) and which dates.

Shared by the page and the API, so ``?controller=&range=&from=&to=`` means the same in both.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from ..models import Controller
from . import periods
from .periods import Period, PeriodError


class ReportScopeForm(forms.Form):
    controller = forms.ChoiceField(label="Controller", required=False)
    range = forms.ChoiceField(
        label="Period",
        required=False,
        choices=periods.RANGE_CHOICES,
        widget=forms.RadioSelect,
    )
    # "from" is a keyword: the fields are named in __init__.
    error_css_class = "field-error"

    def __init__(self, *args: Any, controllers: list[Controller], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.controllers = controllers
        self.fields["controller"].choices = [("", "All my controllers")] + [
            (ctrl.slug, ctrl.name) for ctrl in controllers
        ]
        date = {"required": False, "widget": forms.DateInput(attrs={"type": "date"})}
        self.fields["from"] = forms.DateField(
            label="From", help_text="Custom dates: the first day, as 2026-03-01", **date
        )
        self.fields["to"] = forms.DateField(
            label="To", help_text="Custom dates: the last day, included", **date
        )
        self.fields["controller"].error_messages["invalid_choice"] = (
            "No controller with that name is visible to you."
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        key = data.get("range") or ""
        if not key and (data.get("from") or data.get("to")):
            key = periods.CUSTOM  # the API's ?from=&to= alone
        data["range"] = key or periods.THIS_MONTH
        if (
            data["range"] == periods.CUSTOM
            and "from" not in self.errors
            and "to" not in self.errors
        ):
            try:
                data["period"] = periods.custom_period(data.get("from"), data.get("to"))
            except PeriodError as exc:
                self.add_error(exc.field, exc.message)
        return data

    def scope(self, today: dt.date) -> tuple[list[Controller], Period]:
        """The chosen controllers and period; call after is_valid()."""
        data = self.cleaned_data
        slug = data.get("controller")
        chosen = (
            [ctrl for ctrl in self.controllers if ctrl.slug == slug] if slug else self.controllers
        )
        period = data.get("period") or periods.period_for(data["range"], today)
        return chosen, period
