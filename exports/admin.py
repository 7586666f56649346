"""The admin: letterheads, and each controller's data map and data sources.

The data map is configuration, edited here (and by controller admins through the API).
What was done on cases (searches, exports, erasure runs) is changed only on the case page,
where every change is audited; the suppression list shows hashes only.
"""

from django import forms
from django.contrib import admin

from dsar.admin_scope import ControllerScopedAdmin, ScopedInline

from .data.models import (
    DataCategory,
    DataMapSettings,
    DataSource,
    DataSystem,
    ProcessingPurpose,
    SourceAction,
    SourceQuery,
    SuppressionEntry,
)
from .data.services import suppression
from .letters.models import Letterhead


@admin.register(Letterhead)
class LetterheadAdmin(ControllerScopedAdmin):
    """The logo printed on a controller's letters; the other lines come from the controller."""

    list_display = ["controller", "logo", "logo_description"]
    autocomplete_fields = ["controller"]


@admin.register(DataMapSettings)
class DataMapSettingsAdmin(ControllerScopedAdmin):
    list_display = ["controller"]
    list_select_related = ["controller"]


class DataSystemForm(forms.ModelForm):
    def clean(self) -> dict:
        data = super().clean()
        self.instance.outside_uk = data.get("outside_uk", False)
        self.instance.transfer_safeguard = data.get("transfer_safeguard", "")
        self.instance.require_safeguard()  # as on the settings page and in the API
        return data


@admin.register(DataSystem)
class DataSystemAdmin(ControllerScopedAdmin):
    form = DataSystemForm
    list_display = ["name", "controller", "hosted_in", "outside_uk"]
    list_filter = ["controller", "outside_uk"]
    list_select_related = ["controller"]
    search_fields = ["name"]


class ProcessingPurposeInline(ScopedInline, admin.TabularInline):
    model = ProcessingPurpose
    extra = 1


@admin.register(DataCategory)
class DataCategoryAdmin(ControllerScopedAdmin):
    list_display = [
        "name",
        "controller",
        "order",
        "provided_by_subject",
        "automated_means",
        "special_category",
    ]
    list_filter = ["controller", "provided_by_subject", "special_category"]
    list_select_related = ["controller"]
    search_fields = ["name", "description"]
    filter_horizontal = ["systems"]
    inlines = [ProcessingPurposeInline]
    fieldsets = [
        (None, {"fields": ["controller", "name", "description", "order", "special_category"]}),
        (
            "What the notice says (Art 13 and 15)",
            {"fields": ["recipients", "retention", "source", "systems"]},
        ),
        (
            "Portability (Art 20)",
            {
                "fields": ["provided_by_subject", "automated_means"],
                "description": "Only categories provided by the person and processed by "
                "automated means go in a portability export.",
            },
        ),
    ]


class SourceQueryInline(ScopedInline, admin.StackedInline):
    model = SourceQuery
    extra = 0


class SourceActionInline(ScopedInline, admin.StackedInline):
    model = SourceAction
    extra = 0


@admin.register(DataSource)
class DataSourceAdmin(ControllerScopedAdmin):
    list_display = ["name", "controller", "kind", "database_alias", "is_active"]
    list_filter = ["controller", "kind", "is_active"]
    list_select_related = ["controller"]
    inlines = [SourceQueryInline, SourceActionInline]


class WithdrawForm(forms.ModelForm):
    """An entry's one change: withdrawing it, with the reason recorded."""

    withdraw_reason = forms.CharField(
        label="Withdraw this entry, because",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Only to take the person off the list (say, they asked to hear from you "
        "again). The entry stays, marked withdrawn, with your name, the time and this reason.",
    )

    class Meta:
        model = SuppressionEntry
        fields: list[str] = []


@admin.register(SuppressionEntry)
class SuppressionEntryAdmin(ControllerScopedAdmin):
    """Entries are added by objections; the hashes cannot be read back. None is ever
    deleted, not even by a superuser (issue 18): withdrawing one is the only change."""

    form = WithdrawForm
    list_display = ["controller", "kind", "digest", "created_at", "withdrawn_at"]
    list_filter = ["controller", "kind", ("withdrawn_at", admin.EmptyFieldListFilter)]
    readonly_fields = [
        "controller", "kind", "digest", "case", "created_at",
        "withdrawn_at", "withdrawn_by", "withdrawn_reason",
    ]  # fmt: skip

    def get_fields(self, request, obj=None):
        fields = list(self.readonly_fields)
        if obj is not None and obj.withdrawn_at is None:
            fields.append("withdraw_reason")
        return fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        if obj is not None and obj.withdrawn_at is not None:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        reason = form.cleaned_data.get("withdraw_reason", "").strip()
        if reason:
            suppression.suppression_withdraw(entry=obj, by=request.user, reason=reason)
