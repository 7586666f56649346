"""The team of a controller: invitations, roles, removals and API tokens.

An invitation creates the person's account without a usable password and emails them a
signed link (``InviteTokens``: valid for PASSWORD_RESET_TIMEOUT, and spent once the
password is set) to choose a password and then enrol their second factor. Someone who
already has an account is simply added and told. A controller always keeps at least one
admin: the last one cannot be removed or demoted.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from dsar.choices import Role
from dsar.formats import person_name
from dsar.models import Controller, Membership

from .services import lock_controller, record_change


class InviteTokens(PasswordResetTokenGenerator):
    """Like password reset tokens, but not interchangeable with them."""

    key_salt = "dsar.configuration.team.InviteTokens"


invite_tokens = InviteTokens()


def join_url(user: Any) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    path = reverse("settings:join", args=[uid, invite_tokens.make_token(user)])
    return settings.SITE_URL.rstrip("/") + path


def _admins_left(controller: Controller, *, without: Membership) -> int:
    return (
        Membership.objects.filter(controller=controller, role=Role.ADMIN)
        .exclude(pk=without.pk)
        .count()
    )


def member_invite(
    *, controller: Controller, by: Any, email: str, first_name: str, last_name: str, role: str
) -> Membership:
    from dsar.emails import queue_email

    Role(role)
    email = email.strip().lower()
    User = get_user_model()
    with transaction.atomic():
        fresh = lock_controller(controller)
        user = User.objects.filter(email__iexact=email).first()
        new_account = user is None
        if new_account:
            user = User(username=email, email=email, first_name=first_name, last_name=last_name)
            user.set_unusable_password()
            user.save()
        elif Membership.objects.filter(controller=fresh, user=user).exists():
            raise ValidationError({"email": f"{email} is already in the team."})
        membership = Membership.objects.create(controller=fresh, user=user, role=role)
        link = join_url(user) if new_account or not user.has_usable_password() else ""
        queue_email(
            template="team_invite",
            to=email,
            context={
                "controller": fresh,
                "by": person_name(by),
                "role": Role(role).label,
                "join_url": link,
                "sign_in_url": settings.SITE_URL.rstrip("/") + reverse("login"),
                "days": settings.PASSWORD_RESET_TIMEOUT // 86400,
                "name": first_name or person_name(user),
            },
        )
        record_change(
            controller=fresh,
            by=by,
            kind="member_invited" if link else "member_added",
            target=person_name(user),
            after={"email": email, "role": role},
        )
    return membership


def member_role_change(
    *, controller: Controller, by: Any, membership: Membership, role: str
) -> None:
    Role(role)
    with transaction.atomic():
        fresh = lock_controller(controller)
        row = Membership.objects.select_for_update().get(pk=membership.pk, controller=fresh)
        if row.role == role:
            return
        if row.role == Role.ADMIN and not _admins_left(fresh, without=row):
            raise ValidationError(
                "This is the only administrator: make someone else an administrator first."
            )
        before = row.role
        row.role = role
        row.save(update_fields=["role"])
        record_change(
            controller=fresh,
            by=by,
            kind="member_role_changed",
            target=person_name(row.user),
            before={"role": before},
            after={"role": role},
        )


def member_remove(*, controller: Controller, by: Any, membership: Membership) -> None:
    """They lose access to this controller's cases at once; their account stays (the
    audit trails name them), and so do their other controllers."""
    with transaction.atomic():
        fresh = lock_controller(controller)
        row = Membership.objects.select_for_update().get(pk=membership.pk, controller=fresh)
        if row.role == Role.ADMIN and not _admins_left(fresh, without=row):
            raise ValidationError(
                "This is the only administrator: make someone else an administrator first."
            )
        before = {"email": row.user.email, "role": row.role}
        label = person_name(row.user)
        row.delete()
        record_change(controller=fresh, by=by, kind="member_removed", target=label, before=before)


def token_revoke(*, controller: Controller, by: Any, user: Any) -> bool:
    """Revoke a member's API token (systems using it get 401 from now on)."""
    from rest_framework.authtoken.models import Token

    with transaction.atomic():
        fresh = lock_controller(controller)
        if not Membership.objects.filter(controller=fresh, user=user).exists():
            raise ValidationError("Not a member of this team.")
        token = Token.objects.filter(user=user).first()
        if token is None:
            return False
        created = token.created
        token.delete()
        record_change(
            controller=fresh,
            by=by,
            kind="api_token_revoked",
            target=f"API token of {person_name(user)}",
            before={"created": created},
        )
    return True


def invite_accept(*, user: Any, password: str) -> None:
    """The invited person chose their password: the link is spent (the token depends on
    the password hash)."""
    user.set_password(password)
    user.save(update_fields=["password"])
