"""The lockout backend: django-axes in front of Django's password check."""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.http import HttpRequest


class LockoutBackend(AxesStandaloneBackend):
    """Axes' lockout for every sign-in that comes with a request.

    Every web path (the officers' page, the admin, password checks in the API) passes its
    request, so the lockout applies there. A call without a request cannot come from a
    client (management commands, the test client's ``login``): there is no address to
    count, so it is left to the password check alone instead of failing.
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
