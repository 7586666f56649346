from django import forms
from django.contrib import admin
from django.db import models

from .admin_scope import ControllerScopedAdmin, ScopedInline
from .mailbox.models import Mailbox
from .models import Case, CaseEvent, Controller, Membership, OutgoingEmail, PurgedCase
from .webhooks.models import WebhookDelivery, WebhookEndpoint, WebhookMessage


class MembershipInline(ScopedInline, admin.TabularInline):
    """Who may work on the controller. Only superusers grant or change roles here."""

    model = Membership
    extra = 1
    autocomplete_fields = ["user"]

    def has_add_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_delete_permission(request, obj)


@admin.register(Controller)
class ControllerAdmin(ControllerScopedAdmin):
    controller_path = ""
    superuser_only_add = superuser_only_delete = True
    list_display = ["name", "slug", "deadline_rule", "deadline_days", "holiday_region", "is_active"]
    list_filter = ["deadline_rule", "holiday_region", "is_active"]
    search_fields = ["name", "legal_name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    inlines = [MembershipInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "name",
                    "slug",
                    "legal_name",
                    "company_number",
                    "ico_registration",
                    "website",
                    "is_active",
                ]
            },
        ),
        (
            "Privacy contact",
            {"fields": ["dpo_name", "dpo_email", "dpo_phone", "postal_address", "team_email"]},
        ),
        (
            "Deadlines",
            {
                "fields": [
                    "deadline_rule",
                    "deadline_days",
                    "extension_months",
                    "clock_starts",
                    "holiday_region",
                    "time_zone",
                    "reminder_days",
                ]
            },
        ),
        (
            "Requests",
            {
                "fields": [
                    "accepted_identity_documents",
                    "letterhead_required_for_organisations",
                    "accepts_post",
                    "accepts_phone",
                    "closed_case_retention_days",
                    "letterhead",
                ]
            },
        ),
        (
            "Reminders and chasers",
            {
                "fields": [
                    "digest_hour",
                    "unconfirmed_chase_after_days",
                    "unconfirmed_discard_after_days",
                ]
            },
        ),
    ]


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class EventInline(ReadOnlyInline):
    model = CaseEvent
    fields = ["at", "actor_kind", "actor", "kind", "from_status", "to_status", "message"]
    readonly_fields = fields


@admin.register(Case)
class CaseAdmin(ControllerScopedAdmin):
    """Read-only here: every change to a case goes through the services (the case page)."""

    list_display = ["reference", "controller", "right", "status", "due_date", "assignee"]
    list_filter = ["status", "right", "channel", "controller"]
    search_fields = ["reference", "requester_name", "requester_email"]
    list_select_related = ["controller", "assignee"]
    inlines = [EventInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(ControllerScopedAdmin):
    controller_path = "case__controller"
    list_display = ["template", "case", "state", "attempts", "created_at", "sent_at"]
    list_filter = ["state", "template"]
    fields = ["case", "template", "state", "attempts", "created_at", "sent_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(PurgedCase)
class PurgedCaseAdmin(ControllerScopedAdmin):
    """The record of closed cases deleted after retention: read only."""

    list_display = ["reference", "controller", "right", "status", "closed_at", "purged_at"]
    list_filter = ["controller", "status"]
    search_fields = ["reference"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# --- webhooks (dsar.webhooks) ----------------------------------------------------------


class WebhookDeliveryInline(ReadOnlyInline):
    model = WebhookDelivery
    fields = ["attempt", "at", "status_code", "ok", "error", "duration_ms"]
    ordering = ["attempt"]


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(ControllerScopedAdmin):
    """Register or switch off receivers. The secret is never shown here: the API returns
    it once, when the endpoint is registered (delete and register again to rotate it)."""

    list_display = ["url", "controller", "is_active", "created_at"]
    list_filter = ["is_active", "controller"]
    search_fields = ["url", "description"]
    fields = ["controller", "url", "description", "event_types", "is_active", "created_by"]
    readonly_fields = ["created_by"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(WebhookMessage)
class WebhookMessageAdmin(ControllerScopedAdmin):
    controller_path = "endpoint__controller"
    """The delivery log: each event per endpoint, with one row per attempt."""

    list_display = ["event_type", "endpoint", "state", "attempts", "created_at", "delivered_at"]
    list_filter = ["state", "event_type"]
    search_fields = ["event_id", "dedupe_key"]
    readonly_fields = [
        "endpoint", "event_id", "event_type", "dedupe_key", "payload", "state", "attempts",
        "created_at", "next_attempt_at", "delivered_at",
    ]  # fmt: skip
    inlines = [WebhookDeliveryInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


# --- issue 15: controllers' privacy mailboxes ---------------------------------------------


class MailboxForm(forms.ModelForm):
    """The password is written, never shown: stored encrypted (dsar.mailbox.crypto)."""

    password = forms.CharField(
        widget=forms.PasswordInput(render_value=False),
        required=False,
        help_text="Leave blank to keep the stored password.",
    )

    class Meta:
        model = Mailbox
        fields = ["controller", "name", "host", "port", "username", "folder", "is_active"]

    def clean(self):
        data = super().clean()
        if not self.instance.password_encrypted and not data.get("password"):
            self.add_error("password", "Give the mailbox's password.")
        return data

    def save(self, commit: bool = True):
        if self.cleaned_data.get("password"):
            self.instance.set_password(self.cleaned_data["password"])
        return super().save(commit)


@admin.register(Mailbox)
class MailboxAdmin(ControllerScopedAdmin):
    form = MailboxForm
    list_display = ["name", "controller", "host", "is_active", "last_polled_at", "last_error"]
    readonly_fields = ["last_polled_at", "last_ok_at", "last_error", "failing_since"]
