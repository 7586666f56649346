"""Rate limits for officer endpoints, per API token (the public intake has its own budgets,
shared with the web form: dsar.abuse.budgets).

The rate is ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["officer"]`` (per token, or per user
for a session), read on every request so a settings change takes effect at once. Counting
goes through dsar.ratelimit, so it carries on in the database when the cache is down. A
throttled call is a 429 ``{"detail": "Request was throttled. Expected available in N
seconds."}`` with a ``Retry-After`` header.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.crypto import salted_hmac
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from dsar import ratelimit

if TYPE_CHECKING:  # rest_framework.views imports this module (DEFAULT_THROTTLE_CLASSES)
    from rest_framework.request import Request
    from rest_framework.views import APIView


class OfficerTokenThrottle(SimpleRateThrottle):
    """Requests per API token: each system integrating with us has its own budget, so one
    runaway script cannot starve the others. A session counts per user. Anonymous calls
    are not counted here (they get 401, or have their own throttle, like the intake).

    The cache key is a keyed hash of the token, never the token itself.
    """

    scope = "officer"

    def get_rate(self) -> str | None:
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_cache_key(self, request: Request, view: APIView) -> str | None:
        user = request.user
        if not (user and user.is_authenticated):
            return None
        from rest_framework.authtoken.models import Token

        if isinstance(request.auth, Token):
            ident = "t" + salted_hmac("dsar.api.officer_token", request.auth.key).hexdigest()
        else:
            ident = f"u{user.pk}"
        return self.cache_format % {"scope": self.scope, "ident": ident}

    def allow_request(self, request: Request, view: APIView) -> bool:
        self.rate = self.get_rate()
        if self.rate is None:
            return True
        key = self.get_cache_key(request, view)
        if key is None:
            return True
        limit, self.duration = self.parse_rate(self.rate)
        return ratelimit.allow(key, limit, self.duration)

    def wait(self) -> float | None:
        return ratelimit.retry_after(self.duration)
