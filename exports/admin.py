"""The admin: letterheads, and each controller's data map and data sources.

The data map is configuration, edited here (and by controller admins through the API).
What was done on cases (searches, exports, erasure runs) is changed only on the case page,
where every change is audited; the suppression list shows hashes only.
"""

from django.contrib import admin

from .data.models import (
    DataCategory,
    DataMapSettings,
    DataSource,
    DataSystem,
    ProcessingPurpose,
    SourceAction,
    SourceQuery,
)
from .models import Letterhead, SuppressionEntry


@admin.register(Letterhead)
class LetterheadAdmin(admin.ModelAdmin):
    """The logo printed on a controller's letters; the other lines come from the controller."""

    list_display = ["controller", "logo", "logo_description"]
    autocomplete_fields = ["controller"]


@admin.register(DataMapSettings)
class DataMapSettingsAdmin(admin.ModelAdmin):
    list_display = ["controller"]
    list_select_related = ["controller"]


@admin.register(DataSystem)
class DataSystemAdmin(admin.ModelAdmin):
    list_display = ["name", "controller", "hosted_in", "outside_uk"]
    list_filter = ["controller", "outside_uk"]
    list_select_related = ["controller"]
    search_fields = ["name"]


class ProcessingPurposeInline(admin.TabularInline):
    model = ProcessingPurpose
    extra = 1


@admin.register(DataCategory)
class DataCategoryAdmin(admin.ModelAdmin):
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


class SourceQueryInline(admin.StackedInline):
    model = SourceQuery
    extra = 0


class SourceActionInline(admin.StackedInline):
    model = SourceAction
    extra = 0


@admin.register(DataSource)
class DataSourceAdmin(admin.ModelAdmin):
    list_display = ["name", "controller", "kind", "database_alias", "is_active"]
    list_filter = ["controller", "kind", "is_active"]
    list_select_related = ["controller"]
    inlines = [SourceQueryInline, SourceActionInline]


@admin.register(SuppressionEntry)
class SuppressionEntryAdmin(admin.ModelAdmin):
    """Read-only: entries are added by objections; the hashes cannot be read back."""

    list_display = ["controller", "kind", "digest", "created_at"]
    list_filter = ["controller", "kind"]
    readonly_fields = ["controller", "kind", "digest", "case", "created_at"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        # Never deleted, not even by a superuser (issue 18): a person who objected to
        # marketing stays on the list.
        return False
