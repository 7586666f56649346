"""Forms of the data map and sources pages: every choice limited to this controller."""

from __future__ import annotations

from typing import Any

from django import forms

from dsar.models import Controller


def _models():
    from exports.data import models

    return models


class SystemForm(forms.Form):
    name = forms.CharField(label="Name of the system", max_length=200)
    description = forms.CharField(
        label="What it is used for",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    hosted_in = forms.CharField(
        label="Where it is hosted", required=False, max_length=100,
        help_text="For example United Kingdom, or Ireland (AWS eu-west-1).",
    )  # fmt: skip
    outside_uk = forms.BooleanField(
        label="Data is hosted or processed outside the UK", required=False
    )
    transfer_safeguard = forms.CharField(
        label="Safeguard for the transfer",
        required=False,
        max_length=300,
        help_text="Adequacy regulations, the IDTA, or the Addendum to the EU SCCs.",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("outside_uk") and not (data.get("transfer_safeguard") or "").strip():
            self.add_error("transfer_safeguard", "Name the safeguard for data leaving the UK.")
        return data


class CategoryForm(forms.Form):
    name = forms.CharField(
        label="Name of the category", max_length=100,
        help_text="As your privacy notice calls it, for example Contact or Usage & Tracking.",
    )  # fmt: skip
    description = forms.CharField(
        label="What it includes", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    systems = forms.ModelMultipleChoiceField(
        label="Systems that hold it",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    recipients = forms.CharField(
        label="Recipients", required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Who it is shared with, or the kinds of recipient: one a line.",
    )  # fmt: skip
    retention = forms.CharField(
        label="How long it is kept", required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text="A period, or the criteria used to decide it.",
    )  # fmt: skip
    source = forms.CharField(
        label="Where it comes from", required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text="The person, their use of the service, or third parties (name them).",
    )  # fmt: skip
    provided_by_subject = forms.BooleanField(
        label="Provided by the person (directly or by using the service)", required=False,
        help_text="With automated means, this puts the category in scope for portability.",
    )  # fmt: skip
    automated_means = forms.BooleanField(
        label="Processed by automated means", required=False,
        help_text="Held and processed electronically.",
    )  # fmt: skip
    special_category = forms.BooleanField(
        label="Special category data (health, ethnicity, beliefs...)", required=False
    )
    order = forms.IntegerField(
        label="Position in letters", min_value=0, max_value=999, initial=100,
        help_text="Lower numbers come first.",
    )  # fmt: skip

    def __init__(self, *args: Any, controller: Controller, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["systems"].queryset = (
            _models().DataSystem.objects.filter(controller=controller).order_by("name")
        )


class PurposeForm(forms.Form):
    purpose = forms.CharField(label="Purpose", max_length=300, required=False)
    lawful_basis = forms.ChoiceField(label="Lawful basis", required=False, choices=[])
    basis_detail = forms.CharField(
        label="Detail of the basis", max_length=300, required=False,
        help_text="For example the legitimate interest relied on.",
    )  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lawful_basis"].choices = [
            ("", "Choose a lawful basis"),
            *_models().LawfulBasis.choices,
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("purpose") and not data.get("lawful_basis"):
            self.add_error("lawful_basis", "Choose the lawful basis for this purpose.")
        if data.get("lawful_basis") and not data.get("purpose"):
            self.add_error("purpose", "Say what the data is used for, or clear the basis.")
        return data


PurposeFormSet = forms.formset_factory(PurposeForm, extra=2, max_num=30)


def purposes_of(formset: Any) -> list[dict[str, str]]:
    return [
        {
            "purpose": f.cleaned_data["purpose"].strip(),
            "lawful_basis": f.cleaned_data["lawful_basis"],
            "basis_detail": f.cleaned_data.get("basis_detail", "").strip(),
        }
        for f in formset.forms
        if f.cleaned_data.get("purpose")
    ]


class StatementsForm(forms.Form):
    automated_decisions = forms.CharField(
        label="Decisions made solely by automated means (Art 15(1)(h))",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Including profiling: the logic involved and the consequences. Say so if "
        "there are none.",
    )
    transfers = forms.CharField(
        label="Transfers outside the UK (Art 15(2))",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Their safeguards, or that there are none. Systems marked as outside the "
        "UK are added to this in letters.",
    )
