"""The data map (systems, categories, purposes) and the data sources that search it.

Everything here is a controller's configuration, edited in the admin (and by controller
admins through the API): what the notice says about each category of data, and how to
find, export and erase a person's records in each system. Table and column names are
officer configuration too: they are checked against a strict pattern here and quoted by
the database connection when a statement is built (``exports.data.sql``); values are only
ever passed as query parameters.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from dsar.models import Controller

# An SQL identifier as configured: letters, digits and underscores, optionally one schema
# qualifier ("crm.customers"). Anything else is refused before it reaches a statement.
IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}(\.[A-Za-z_][A-Za-z0-9_]{0,62})?$")
COLUMN = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")
# Kinds of subject identifier a query can match on (Case.subject_identifiers "kind").
IDENTIFIER_KINDS = ("email", "phone", "customer_number", "postcode")

STANDARD_CATEGORIES = (
    "Identity",
    "Contact",
    "Marketing & Communications",
    "Profile",
    "Technical",
    "Usage & Tracking",
    "Special Category",
)


def validate_table(value: str) -> None:
    if not IDENTIFIER.match(value or ""):
        raise ValidationError(
            f"“{value}” is not a table name: use letters, digits and underscores "
            "(optionally schema.table)."
        )


def validate_column(value: str) -> None:
    if not isinstance(value, str) or not COLUMN.match(value):
        raise ValidationError(
            f"“{value}” is not a column name: use letters, digits and underscores."
        )


def validate_column_list(value: object) -> None:
    if not isinstance(value, list):
        raise ValidationError('A list of column names, e.g. ["id", "email"].')
    for column in value:
        validate_column(column)


def validate_match_columns(value: object) -> None:
    """{identifier kind: column}: which column holds which of the subject's identifiers."""
    if not isinstance(value, dict) or not value:
        raise ValidationError('Map at least one identifier to a column, e.g. {"email": "email"}.')
    for kind, column in value.items():
        if kind not in IDENTIFIER_KINDS:
            raise ValidationError(
                f"“{kind}” is not an identifier kind: use {', '.join(IDENTIFIER_KINDS)}."
            )
        validate_column(column)


def validate_assignments(value: object) -> None:
    """{column: new value}: what an anonymise or update statement sets."""
    if not isinstance(value, dict):
        raise ValidationError('A mapping of column to value, e.g. {"first_name": "Erased"}.')
    for column, new in value.items():
        validate_column(column)
        if isinstance(new, dict | list):
            raise ValidationError(f"The value for “{column}” must be text, a number or null.")


class LawfulBasis(models.TextChoices):
    CONSENT = "consent", "Consent (Art 6(1)(a))"
    CONTRACT = "contract", "Performance of a contract (Art 6(1)(b))"
    LEGAL_OBLIGATION = "legal_obligation", "Legal obligation (Art 6(1)(c))"
    VITAL_INTERESTS = "vital_interests", "Vital interests (Art 6(1)(d))"
    PUBLIC_TASK = "public_task", "Public task (Art 6(1)(e))"
    LEGITIMATE_INTERESTS = "legitimate_interests", "Legitimate interests (Art 6(1)(f))"


# Art 20(1)(a): processing based on consent (Art 6(1)(a), 9(2)(a)) or a contract (6(1)(b)).
PORTABLE_BASES = frozenset({LawfulBasis.CONSENT, LawfulBasis.CONTRACT})


class DataMapSettings(models.Model):
    """Statements that apply to the whole controller rather than to one category."""

    controller = models.OneToOneField(Controller, on_delete=models.CASCADE, related_name="data_map")
    automated_decisions = models.TextField(
        blank=True,
        help_text="Art 15(1)(h): decisions made solely by automated means, including "
        "profiling; the logic involved and the consequences. Say so if there are none.",
    )
    transfers = models.TextField(
        blank=True,
        help_text="Art 15(2): transfers outside the UK and their safeguards, or that there "
        "are none. Systems hosted outside the UK are added to this.",
    )

    class Meta:
        verbose_name = "data map statement"
        verbose_name_plural = "data map statements"

    def __str__(self) -> str:
        return f"Data map of {self.controller}"


class DataSystem(models.Model):
    """A system that holds personal data (CRM, mailing platform, call recorder...)."""

    controller = models.ForeignKey(
        Controller, on_delete=models.CASCADE, related_name="data_systems"
    )
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    hosted_in = models.CharField(max_length=100, blank=True, help_text="e.g. United Kingdom")
    outside_uk = models.BooleanField(
        "Transfers data outside the UK", default=False, help_text="Hosted or processed abroad."
    )
    transfer_safeguard = models.CharField(
        max_length=300,
        blank=True,
        help_text="Adequacy regulations, the IDTA or the Addendum to the EU SCCs...",
    )

    class Meta:
        ordering = ["controller", "name"]
        constraints = [
            models.UniqueConstraint(fields=["controller", "name"], name="datasystem_unique_name")
        ]

    def __str__(self) -> str:
        return self.name

    def require_safeguard(self) -> None:
        """Asked of every system an admin adds or changes (settings page, API). Not a model
        rule: a map may be silent where the notice is (the access letter then makes the
        officer write it), and an imported configuration is restored as it was exported."""
        if self.outside_uk and not self.transfer_safeguard.strip():
            raise ValidationError(
                {"transfer_safeguard": "Name the safeguard for data leaving the UK."}
            )


class DataCategory(models.Model):
    """One category of personal data, as the privacy notice describes it (Art 13/15)."""

    controller = models.ForeignKey(
        Controller, on_delete=models.CASCADE, related_name="data_categories"
    )
    name = models.CharField(max_length=100)
    description = models.TextField(blank=True, help_text="What it includes.")
    order = models.PositiveSmallIntegerField(default=100)
    special_category = models.BooleanField(
        default=False, help_text="Art 9 data: health, ethnicity, beliefs..."
    )
    recipients = models.TextField(
        blank=True, help_text="Recipients or categories of recipient, one a line."
    )
    retention = models.TextField(
        blank=True, help_text="How long it is kept, or the criteria used to decide."
    )
    source = models.TextField(
        blank=True,
        help_text="Where it comes from (the person, their use of a service, third parties).",
    )
    provided_by_subject = models.BooleanField(
        default=False,
        help_text="Provided by the person (directly or by using the service): in scope for "
        "portability (Art 20).",
    )
    automated_means = models.BooleanField(
        "Processed by automated means",
        default=True,
        help_text="Held and processed electronically. Portability needs this too.",
    )
    systems = models.ManyToManyField(DataSystem, blank=True, related_name="categories")

    class Meta:
        ordering = ["controller", "order", "name"]
        verbose_name_plural = "data categories"
        constraints = [
            models.UniqueConstraint(fields=["controller", "name"], name="datacategory_unique_name")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def portable(self) -> bool:
        """Art 20(1): provided by the subject, processed by automated means, and processed
        on consent or a contract (a purpose with either basis; the data map decides)."""
        return (
            self.provided_by_subject
            and self.automated_means
            and any(p.lawful_basis in PORTABLE_BASES for p in self.purposes.all())
        )

    def recipient_lines(self) -> list[str]:
        return [line.strip() for line in self.recipients.splitlines() if line.strip()]


class ProcessingPurpose(models.Model):
    """Why one category is used, and the lawful basis for that use."""

    category = models.ForeignKey(DataCategory, on_delete=models.CASCADE, related_name="purposes")
    purpose = models.CharField(max_length=300)
    lawful_basis = models.CharField(max_length=30, choices=LawfulBasis.choices)
    basis_detail = models.CharField(
        max_length=300, blank=True, help_text="e.g. the legitimate interest relied on."
    )
    order = models.PositiveSmallIntegerField(default=100)

    class Meta:
        ordering = ["category", "order", "id"]

    def __str__(self) -> str:
        return f"{self.purpose} ({self.get_lawful_basis_display()})"


# --- data sources ------------------------------------------------------------------------


class DataSource(models.Model):
    """Where a subject's records are looked for: a database, or an officer's hand search."""

    class Kind(models.TextChoices):
        SQL = "sql", "SQL database"
        MANUAL = "manual", "Manual (an officer uploads what they found)"

    controller = models.ForeignKey(
        Controller, on_delete=models.CASCADE, related_name="data_sources"
    )
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    system = models.ForeignKey(
        DataSystem, null=True, blank=True, on_delete=models.SET_NULL, related_name="sources"
    )
    database_alias = models.CharField(
        max_length=50,
        blank=True,
        help_text="SQL sources: the database alias in settings (e.g. subject_data).",
    )
    instructions = models.TextField(
        blank=True, help_text="Manual sources: where to look and what to gather."
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["controller", "name"]
        constraints = [
            models.UniqueConstraint(fields=["controller", "name"], name="datasource_unique_name")
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        aliases = getattr(settings, "SUBJECT_DATA_ALIASES", [])
        if self.kind == self.Kind.SQL and self.database_alias not in aliases:
            raise ValidationError(
                {"database_alias": f"Choose one of the configured databases: {', '.join(aliases)}."}
            )
        if self.kind == self.Kind.MANUAL:
            self.database_alias = ""


class SourceQuery(models.Model):
    """How one category is found in an SQL source: a table and the identifier columns.

    The statement is built as ``SELECT <columns> FROM <table> WHERE <col> = %s OR ...``
    with quoted names and the case's identifiers as parameters.
    """

    source = models.ForeignKey(DataSource, on_delete=models.CASCADE, related_name="queries")
    category = models.ForeignKey(DataCategory, on_delete=models.PROTECT, related_name="queries")
    table = models.CharField(max_length=130, validators=[validate_table])
    columns = models.JSONField(
        default=list,
        blank=True,
        validators=[validate_column_list],
        help_text="Columns to export, in order; empty for every column.",
    )
    match_columns = models.JSONField(
        validators=[validate_match_columns],
        help_text='Identifier kind to column, e.g. {"email": "email", "phone": "mobile"}.',
    )
    order_by = models.CharField(max_length=63, blank=True, validators=[validate_column])

    class Meta:
        ordering = ["source", "category__order", "id"]
        verbose_name_plural = "source queries"

    def __str__(self) -> str:
        return f"{self.category} from {self.table}"

    def clean(self) -> None:
        if self.category_id and self.source_id:
            if self.category.controller_id != self.source.controller_id:
                raise ValidationError({"category": "A category of the source's controller."})
            if self.source.kind != DataSource.Kind.SQL:
                raise ValidationError({"source": "Queries belong to SQL sources."})


class ActionRight(models.TextChoices):
    ERASURE = "erasure", "Erasure"
    RECTIFICATION = "rectification", "Rectification"
    RESTRICTION = "restriction", "Restriction"


class SourceAction(models.Model):
    """What carrying out erasure, rectification or restriction means in one source.

    Automated operations are statements built from this configuration (quoted names,
    parameter values); ``manual`` is a task an officer does by hand and ticks off.
    """

    class Operation(models.TextChoices):
        DELETE = "delete", "Delete the rows"
        ANONYMISE = "anonymise", "Anonymise the rows (set columns to fixed values)"
        UPDATE = "update", "Update the rows (values given when run)"
        MANUAL = "manual", "Manual task for an officer"

    source = models.ForeignKey(DataSource, on_delete=models.CASCADE, related_name="actions")
    right = models.CharField(max_length=20, choices=ActionRight.choices)
    category = models.ForeignKey(DataCategory, on_delete=models.PROTECT, related_name="actions")
    operation = models.CharField(max_length=10, choices=Operation.choices)
    table = models.CharField(max_length=130, blank=True, validators=[validate_table])
    match_columns = models.JSONField(
        default=dict, blank=True, help_text='As for queries, e.g. {"email": "email"}.'
    )
    assignments = models.JSONField(
        default=dict,
        blank=True,
        validators=[validate_assignments],
        help_text='Anonymise and restriction: {column: value}, e.g. {"first_name": "Erased"}.',
    )
    input_columns = models.JSONField(
        default=list,
        blank=True,
        validators=[validate_column_list],
        help_text="Update: the columns whose new values the officer gives when running it.",
    )
    instructions = models.TextField(blank=True, help_text="Manual: what the officer must do.")
    order = models.PositiveSmallIntegerField(default=100)

    class Meta:
        ordering = ["source", "order", "id"]

    def __str__(self) -> str:
        return f"{self.get_right_display()}: {self.get_operation_display()} ({self.category})"

    @property
    def is_manual(self) -> bool:
        return self.operation == self.Operation.MANUAL or self.source.kind != DataSource.Kind.SQL

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if (
            self.category_id
            and self.source_id
            and self.category.controller_id != self.source.controller_id
        ):
            errors["category"] = "A category of the source's controller."
        if self.operation == self.Operation.MANUAL:
            if not self.instructions.strip():
                errors["instructions"] = "Say what the officer must do."
        else:
            if self.source_id and self.source.kind != DataSource.Kind.SQL:
                errors["operation"] = "Manual sources take manual tasks only."
            if not self.table:
                errors["table"] = "Name the table the statement changes."
            try:
                validate_match_columns(self.match_columns)
            except ValidationError as exc:
                errors["match_columns"] = exc.messages[0]
            if self.operation == self.Operation.ANONYMISE and not self.assignments:
                errors["assignments"] = "Say which columns to overwrite, and with what."
            if self.operation == self.Operation.UPDATE and not (
                self.input_columns or self.assignments
            ):
                errors["input_columns"] = "Name the columns to update."
        if errors:
            raise ValidationError(errors)
