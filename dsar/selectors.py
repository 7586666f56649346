"""Read queries for cases. Views and the API call these; they decide the joins."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Prefetch, QuerySet

from .choices import Role
from .models import Case, CaseEvent, Controller, Membership


def controllers_for(user: AbstractBaseUser) -> QuerySet[Controller]:
    """Controllers whose cases the user may see (superusers see all)."""
    if not user.is_authenticated or not user.is_active:
        return Controller.objects.none()
    if user.is_superuser:
        return Controller.objects.all()
    return Controller.objects.filter(memberships__user=user)


def can_act(user: AbstractBaseUser, controller: Controller) -> bool:
    """Officers and admins act; auditors only read."""
    if user.is_superuser:
        return True
    return Membership.objects.filter(
        user=user, controller=controller, role__in=[Role.OFFICER, Role.ADMIN]
    ).exists()


def administered_by(user: AbstractBaseUser) -> QuerySet[Controller]:
    """Controllers the user administers: by the membership role ``admin`` (superusers:
    all). The staff flag alone grants nothing on a controller."""
    if not (user.is_authenticated and user.is_active):
        return Controller.objects.none()
    if user.is_superuser:
        return Controller.objects.all()
    return Controller.objects.filter(memberships__user=user, memberships__role=Role.ADMIN)


def is_controller_admin(user: AbstractBaseUser, controller: Controller) -> bool:
    """May change the controller's settings, team and webhooks (see ``administered_by``)."""
    return administered_by(user).filter(pk=controller.pk).exists()


def visible_cases(user: AbstractBaseUser) -> QuerySet[Case]:
    qs = Case.objects.select_related("controller", "assignee")
    if user.is_superuser:
        return qs
    return qs.filter(controller__in=controllers_for(user).values("pk"))


def case_for_detail(user: AbstractBaseUser, reference: str) -> Case:
    """The case with its pauses and timeline; DoesNotExist (a 404) when not visible."""
    return (
        visible_cases(user)
        .prefetch_related(
            "pauses",
            Prefetch(
                "events", queryset=CaseEvent.objects.select_related("actor").order_by("at", "id")
            ),
        )
        .get(reference=reference)
    )


def assignable_officers(controller: Controller) -> QuerySet:
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            memberships__controller=controller,
            memberships__role__in=[Role.OFFICER, Role.ADMIN],
        )
        .order_by("first_name", "last_name", "username")
    )


def controllers_user_can_act_for(user: AbstractBaseUser) -> QuerySet[Controller]:
    """Controllers where the user may change cases or log requests (not as an auditor)."""
    if not user.is_authenticated or not user.is_active:
        return Controller.objects.none()
    if user.is_superuser:
        return Controller.objects.all()
    # One filter() call: user and role must match on the same membership row.
    return Controller.objects.filter(
        memberships__user=user, memberships__role__in=[Role.OFFICER, Role.ADMIN]
    )


def assignable_officers_for(user: AbstractBaseUser) -> QuerySet:
    """Officers of any controller the user sees, in one query (the queue's assignee filter)."""
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            memberships__controller__in=controllers_for(user).values("pk"),
            memberships__role__in=[Role.OFFICER, Role.ADMIN],
        )
        .distinct()
        .order_by("first_name", "last_name", "username")
    )
