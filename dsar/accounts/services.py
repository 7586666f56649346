"""Second factors and API tokens for staff users: the only writes of this package.

A TOTP device is created unconfirmed and only counts once the user has typed a code from
it; confirming it issues a fresh set of one-time recovery codes (django-otp's static
tokens, each deleted when used). A user's API token is theirs to revoke or replace.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

RECOVERY_DEVICE_NAME = "Recovery codes"


class SecondFactorError(Exception):
    """A code that does not match; the message is shown to the user."""


def has_second_factor(user: Any) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def totp_pending(*, user: Any) -> TOTPDevice:
    """The user's unconfirmed authenticator, created on first call and reused after,
    so reloading the enrolment page keeps showing the same QR code."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    return device


@transaction.atomic
def totp_confirm(*, user: Any, device: TOTPDevice, code: str) -> list[str]:
    """Confirm the authenticator with a code it shows now; returns new recovery codes."""
    if device.user_id != user.pk or device.confirmed:
        raise SecondFactorError("Start the set-up again: this authenticator is not pending.")
    if not device.verify_token(code.strip().replace(" ", "")):
        raise SecondFactorError("That code does not match. Enter the 6 digits your app shows now.")
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    # One authenticator at a time: an older one stops working when a new one is confirmed.
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    return recovery_codes_renew(user=user)


@transaction.atomic
def recovery_codes_renew(*, user: Any) -> list[str]:
    """Replace the user's recovery codes with a fresh set (the old ones stop working)."""
    device, _ = StaticDevice.objects.get_or_create(user=user, name=RECOVERY_DEVICE_NAME)
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(settings.RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    return codes


def recovery_codes_left(user: Any) -> int:
    return StaticToken.objects.filter(device__user=user).count()


def token_create(*, user: Any) -> Token:
    """A new API token for the user, replacing any they had (DRF keeps one per user)."""
    with transaction.atomic():
        Token.objects.filter(user=user).delete()
        return Token.objects.create(user=user)


def token_revoke(*, user: Any) -> bool:
    """Revoke the user's API token; systems using it get 401 from now on."""
    deleted, _ = Token.objects.filter(user=user).delete()
    return bool(deleted)
