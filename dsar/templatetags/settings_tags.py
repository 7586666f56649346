"""The officer menu's links that depend on the user's roles, in one query (issue 19)."""

from __future__ import annotations

from typing import Any

from django import template

from dsar.choices import Role

register = template.Library()


@register.simple_tag
def officer_menu(user: Any) -> dict[str, bool]:
    """Which links to offer: "Log a request" (not to auditors, who cannot use it) and
    "Settings" (to admins of a controller). One query, whatever the page."""
    from dsar.models import Controller, Membership

    if not (user.is_authenticated and user.is_active):
        return {"log": False, "settings": False, "audit": False}
    if user.is_superuser:
        anything = Controller.objects.exists()
        return {"log": anything, "settings": anything, "audit": anything}
    roles = set(Membership.objects.filter(user=user).values_list("role", flat=True).distinct())
    return {
        "log": bool(roles & {Role.OFFICER, Role.ADMIN}),
        # Staff may add organisations there (settings:new_controller).
        "settings": Role.ADMIN in roles or user.is_staff,
        # Issue 16: the access log, for auditors and admins (dsar.reports.audit).
        "audit": bool(roles & {Role.AUDITOR, Role.ADMIN}),
    }
