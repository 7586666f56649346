"""Policies are edited here; steps are shown read-only (they change on the case page, so
every change is audited). Evidence files are deliberately not linked from the admin: the
only way to see one is identity.views.evidence_view, which records each viewing."""

from django.contrib import admin

from dsar.admin_scope import ControllerScopedAdmin

from .models import IdentityPolicy, VerificationStep


@admin.register(IdentityPolicy)
class IdentityPolicyAdmin(ControllerScopedAdmin):
    list_display = [
        "controller",
        "right",
        "require_email_ownership",
        "require_identity_document",
        "require_knowledge_check",
        "require_authority",
        "evidence_retention_days",
    ]
    list_filter = ["controller", "right"]
    list_select_related = ["controller"]
    fieldsets = [
        (None, {"fields": ["controller", "right"]}),
        (
            "Checks asked for",
            {
                "fields": [
                    "require_email_ownership",
                    "require_identity_document",
                    "accepted_documents",
                    "require_knowledge_check",
                    "require_authority",
                ],
                "description": "Ask only what is proportionate to the request. Organisations "
                "are asked for letterhead when the controller's settings require it.",
            },
        ),
        (
            "Timings",
            {
                "fields": [
                    "evidence_retention_days",
                    "chase_after_days",
                    "close_unverified_after_days",
                ]
            },
        ),
    ]


@admin.register(VerificationStep)
class VerificationStepAdmin(ControllerScopedAdmin):
    controller_path = "case__controller"
    list_display = ["case", "method", "status", "requested_at", "reviewed_by", "reviewed_at"]
    list_filter = ["method", "status", "case__controller"]
    list_select_related = ["case", "reviewed_by"]
    search_fields = ["case__reference"]
    fields = [
        "case",
        "method",
        "status",
        "request_note",
        "requested_at",
        "evidence_received_on",
        "decision_note",
        "reviewed_by",
        "reviewed_at",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
