"""Session limits and the second-factor requirement, for every signed-in page and API call.

Only session sign-ins are concerned: API tokens are checked by DRF after this runs, so a
system calling with ``Authorization: Token`` is never asked for a second factor.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import LogoutView
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

SIGNED_IN_AT = "_signed_in_at"
LAST_SEEN = "_last_seen"
# Set at sign-in for a user who has an authenticator even where REQUIRE_2FA is off.
SECOND_FACTOR_ENROLLED = "_second_factor_enrolled"
# Write the last-seen time at most this often: not a session save on every request.
LAST_SEEN_RESOLUTION = 60


@receiver(user_logged_in, dispatch_uid="dsar.accounts.session_start")
def _session_start(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if request is None or not hasattr(request, "session"):
        return
    from .services import has_second_factor

    now = int(time.time())
    request.session[SIGNED_IN_AT] = request.session[LAST_SEEN] = now
    request.session[SECOND_FACTOR_ENROLLED] = has_second_factor(user)


class SessionLimitsMiddleware:
    """End a session SESSION_MAX_HOURS after sign-in or SESSION_IDLE_MINUTES after its
    last request, whichever comes first."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            session = request.session
            now = int(time.time())
            started = session.setdefault(SIGNED_IN_AT, now)
            last = session.get(LAST_SEEN, now)
            too_old = now - started > settings.SESSION_MAX_HOURS * 3600
            idle = now - last > settings.SESSION_IDLE_MINUTES * 60
            if too_old or idle:
                logout(request)
                if not request.path.startswith("/api/"):
                    messages.info(request, "Your session ended. Sign in again to go on.")
                    return redirect(f"{reverse('login')}?{urlencode({'next': request.path})}")
            elif now - last >= LAST_SEEN_RESOLUTION or LAST_SEEN not in session:
                session[LAST_SEEN] = now
        return self.get_response(request)


def second_factor_exempt(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Mark a view a signed-in user may open before giving their second factor."""
    view.second_factor_exempt = True  # type: ignore[attr-defined]
    return view


class RequireSecondFactorMiddleware:
    """Send a signed-in user who has not given a second factor this session to enrol or
    verify, when REQUIRE_2FA is on (production's default) or they have enrolled anyway."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        required = settings.REQUIRE_2FA or request.session.get(SECOND_FACTOR_ENROLLED, False)
        if not required or user.is_verified():
            return None
        if getattr(view_func, "second_factor_exempt", False):
            return None
        if getattr(view_func, "view_class", None) is LogoutView:
            return None
        if request.path.startswith("/api/"):
            return JsonResponse(
                {"detail": "Give your second factor first: sign in on the website."}, status=403
            )
        from .services import has_second_factor

        name = "accounts:verify" if has_second_factor(user) else "accounts:setup"
        return redirect(f"{reverse(name)}?{urlencode({'next': request.get_full_path()})}")
