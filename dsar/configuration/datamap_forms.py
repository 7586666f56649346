"""Forms of the data map and sources pages: every choice limited to this controller."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

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


# --- sources ------------------------------------------------------------------------------

MATCH_KINDS = (
    ("email", "Column holding the email address"),
    ("phone", "Column holding the phone number"),
    ("customer_number", "Column holding the customer number"),
    ("postcode", "Column holding the postcode"),
)


def _names(text: str) -> list[str]:
    """ "id, email name" as a list of column names, each checked."""
    from exports.data.models import validate_column

    names = [n for n in re.split(r"[\s,;]+", (text or "").strip()) if n]
    for name in names:
        validate_column(name)
    return names


def _column(text: str) -> str:
    from exports.data.models import validate_column

    text = (text or "").strip()
    if text:
        validate_column(text)
    return text


class SourceForm(forms.Form):
    name = forms.CharField(label="Name of the source", max_length=200)
    kind = forms.ChoiceField(label="Kind of source", widget=forms.RadioSelect, choices=[])
    system = forms.ModelChoiceField(
        label="The system it searches", queryset=None, required=False,
        empty_label="Not one of the systems on the data map",
    )  # fmt: skip
    database_alias = forms.ChoiceField(
        label="Database (SQL sources)", required=False, choices=[],
        help_text="A connection set up in the deployment's settings; ask your developer "
        "for another.",
    )  # fmt: skip
    instructions = forms.CharField(
        label="Instructions (manual sources)", required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Where to look and what to gather, for the officer who does it by hand.",
    )  # fmt: skip
    is_active = forms.BooleanField(label="Searched for every request", required=False)

    def __init__(self, *args: Any, controller: Controller, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from django.conf import settings

        m = _models()
        self.fields["kind"].choices = m.DataSource.Kind.choices
        self.fields["system"].queryset = m.DataSystem.objects.filter(controller=controller)
        aliases = list(getattr(settings, "SUBJECT_DATA_ALIASES", []))
        self.fields["database_alias"].choices = [
            ("", "Choose a database"),
            *((a, a) for a in aliases),
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        kind = data.get("kind")
        if kind == "sql" and not data.get("database_alias"):
            self.add_error("database_alias", "Choose the database this source searches.")
        if kind == "manual":
            data["database_alias"] = ""
            if not (data.get("instructions") or "").strip():
                self.add_error("instructions", "Say where to look and what to gather.")
        return data


class _MatchMixin:
    """The four identifier columns as plain fields, one dict in and out."""

    def _setup_match(self, current: dict[str, str]) -> None:
        for kind, label in MATCH_KINDS:
            self.fields[f"match_{kind}"] = forms.CharField(
                label=label, required=False, max_length=63
            )
            if not self.is_bound:
                self.initial[f"match_{kind}"] = (current or {}).get(kind, "")

    def _clean_match(self, data: dict[str, Any], *, required: bool = True) -> dict[str, str]:
        match = {}
        for kind, _ in MATCH_KINDS:
            try:
                column = _column(data.get(f"match_{kind}", ""))
            except ValidationError as exc:
                self.add_error(f"match_{kind}", exc)
                continue
            if column:
                match[kind] = column
        bad = any(f"match_{kind}" in self.errors for kind, _ in MATCH_KINDS)
        if required and not match and not bad:
            self.add_error(
                "match_email", "Name at least one column that holds the person's identifiers."
            )
        return match


class QueryForm(_MatchMixin, forms.Form):
    category = forms.ModelChoiceField(label="Category of data it finds", queryset=None)
    table = forms.CharField(
        label="Table", max_length=130, help_text="For example customers, or crm.customers."
    )
    columns = forms.CharField(
        label="Columns to export", required=False, max_length=2000,
        help_text="Separated by commas, in order. Empty: every column.",
    )  # fmt: skip
    order_by = forms.CharField(label="Sort by column", required=False, max_length=63)

    def __init__(self, *args: Any, controller: Controller, query: Any = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = _models().DataCategory.objects.filter(
            controller=controller
        )
        if query is not None and not self.is_bound:
            self.initial.update(
                category=query.category,
                table=query.table,
                columns=", ".join(query.columns or []),
                order_by=query.order_by,
            )
        self._setup_match(query.match_columns if query else {})

    def clean_table(self) -> str:
        from exports.data.models import validate_table

        table = self.cleaned_data["table"].strip()
        validate_table(table)
        return table

    def clean_columns(self) -> list[str]:
        return _names(self.cleaned_data.get("columns", ""))

    def clean_order_by(self) -> str:
        return _column(self.cleaned_data.get("order_by", ""))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        data["match_columns"] = self._clean_match(data)
        return data

    def values(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {n: d[n] for n in ("category", "table", "columns", "match_columns", "order_by")}


class ActionForm(_MatchMixin, forms.Form):
    right = forms.ChoiceField(label="For requests for", widget=forms.RadioSelect, choices=[])
    category = forms.ModelChoiceField(label="Category of data", queryset=None)
    operation = forms.ChoiceField(label="What to do", widget=forms.RadioSelect, choices=[])
    table = forms.CharField(label="Table", required=False, max_length=130)
    assignments = forms.CharField(
        label="Columns to overwrite (anonymise, restrict)", required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One a line, as column = value, for example first_name = Erased. "
        "“null” empties the column.",
    )  # fmt: skip
    input_columns = forms.CharField(
        label="Columns the officer corrects (update)", required=False, max_length=2000,
        help_text="Separated by commas; the officer gives the new values when running it.",
    )  # fmt: skip
    instructions = forms.CharField(
        label="Instructions (manual task)", required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip
    order = forms.IntegerField(label="Order", min_value=0, max_value=999, initial=100)

    def __init__(
        self, *args: Any, controller: Controller, source: Any, action: Any = None, **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        m = _models()
        self.source = source
        self.fields["right"].choices = m.ActionRight.choices
        operations = m.SourceAction.Operation.choices
        if source.kind != m.DataSource.Kind.SQL:
            operations = [c for c in operations if c[0] == m.SourceAction.Operation.MANUAL]
        self.fields["operation"].choices = operations
        self.fields["category"].queryset = m.DataCategory.objects.filter(controller=controller)
        if action is not None and not self.is_bound:
            self.initial.update(
                right=action.right,
                category=action.category,
                operation=action.operation,
                table=action.table,
                assignments="\n".join(
                    f"{k} = {'null' if v is None else v}" for k, v in action.assignments.items()
                ),
                input_columns=", ".join(action.input_columns or []),
                instructions=action.instructions,
                order=action.order,
            )
        self._setup_match(action.match_columns if action else {})

    def clean_table(self) -> str:
        from exports.data.models import validate_table

        table = self.cleaned_data.get("table", "").strip()
        if table:
            validate_table(table)
        return table

    def clean_assignments(self) -> dict[str, Any]:
        found: dict[str, Any] = {}
        for line in (self.cleaned_data.get("assignments") or "").splitlines():
            if not line.strip():
                continue
            if "=" not in line:
                raise ValidationError(f"“{line.strip()}” is not column = value.")
            column, value = (part.strip() for part in line.split("=", 1))
            found[_column(column)] = None if value.lower() == "null" else value
        return found

    def clean_input_columns(self) -> list[str]:
        return _names(self.cleaned_data.get("input_columns", ""))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        manual = data.get("operation") == "manual"
        data["match_columns"] = self._clean_match(data, required=not manual)
        return data

    def values(self) -> dict[str, Any]:
        d = self.cleaned_data
        names = ("right", "category", "operation", "table", "match_columns", "assignments",
                 "input_columns", "instructions", "order")  # fmt: skip
        return {n: d[n] for n in names}


class SourceTestForm(forms.Form):
    kind = forms.ChoiceField(
        label="Kind of identifier",
        choices=[(k, k.replace("_", " ").capitalize()) for k, _ in MATCH_KINDS],
    )
    value = forms.CharField(
        label="Sample identifier",
        max_length=254,
        help_text="Someone whose records you may look at, such as a test customer. It is "
        "not stored.",
    )
