"""Who may use the officer endpoints.

Visibility is not a permission here: cases outside the user's controllers are simply not
found (404), because the views read them through ``dsar.selectors``.
"""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.views import APIView

from dsar import selectors
from dsar.models import Case, Controller


class IsOfficer(BasePermission):
    """Signed in and granted at least one controller (any role), or a superuser."""

    message = "Only privacy officers can use this endpoint."

    def has_permission(self, request: Request, view: APIView) -> bool:
        user = request.user
        if not (user and user.is_authenticated and user.is_active):
            return False
        return user.is_superuser or user.memberships.exists()


class IsOfficerOrStaff(IsOfficer):
    """Officers, and staff users (who may create the first controller of a deployment)."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        user = request.user
        staff = bool(user and user.is_authenticated and user.is_active and user.is_staff)
        return staff or super().has_permission(request, view)


class CanActOnCase(BasePermission):
    """Officers and admins of the case's controller may change it; auditors only read."""

    message = "Your role on this controller is read-only: you can see cases but not act on them."

    def has_object_permission(self, request: Request, view: APIView, obj: Any) -> bool:
        controller = obj.controller if isinstance(obj, Case) else obj
        assert isinstance(controller, Controller)
        return selectors.can_act(request.user, controller)
