"""Rate limits: the public intake per client address and per requester email; officer
endpoints per API token.

Rates come from ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]``: ``intake`` (per address),
``intake_email`` (per email; falls back to the ``intake`` rate when not set) and
``officer`` (per token, or per user for a session). They are read on every request rather
than once at import, so a settings change takes effect at once. A throttled call is a 429
``{"detail": "Request was throttled. Expected available in N seconds."}`` with a
``Retry-After`` header.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.crypto import salted_hmac
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

if TYPE_CHECKING:  # rest_framework.views imports this module (DEFAULT_THROTTLE_CLASSES)
    from rest_framework.request import Request
    from rest_framework.views import APIView


class _IntakeThrottle(SimpleRateThrottle):
    fallback_scope = "intake"

    def get_rate(self) -> str | None:
        rates = api_settings.DEFAULT_THROTTLE_RATES
        return rates.get(self.scope) or rates.get(self.fallback_scope)


class IntakeAddressThrottle(_IntakeThrottle):
    """Requests per client address.

    Behind a reverse proxy set ``REST_FRAMEWORK["NUM_PROXIES"]`` so the address is taken
    from ``X-Forwarded-For``; without it only ``REMOTE_ADDR`` is trusted, because a client
    can write any ``X-Forwarded-For`` it likes.
    """

    scope = "intake"

    def get_ident(self, request: Request) -> str | None:
        if api_settings.NUM_PROXIES is None:
            return request.META.get("REMOTE_ADDR")
        return super().get_ident(request)

    def get_cache_key(self, request: Request, view: APIView) -> str | None:
        ident = self.get_ident(request)
        if not ident:
            return None
        return self.cache_format % {"scope": self.scope, "ident": ident}


class IntakeEmailThrottle(_IntakeThrottle):
    """Requests per requester email, so changing address does not get round the limit.

    The cache key is a keyed hash of the lower-cased address: no email in the cache.
    """

    scope = "intake_email"

    def get_cache_key(self, request: Request, view: APIView) -> str | None:
        data = request.data
        email = data.get("requester_email") if hasattr(data, "get") else None
        if not isinstance(email, str) or not email.strip():
            return None  # nothing to key on; the request fails validation anyway
        digest = salted_hmac("dsar.api.intake_email", email.strip().lower()).hexdigest()
        return self.cache_format % {"scope": self.scope, "ident": digest}


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
