"""Rate limits for the public intake endpoint: per client address and per requester email.

Rates come from ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]``: ``intake`` (per address) and
``intake_email`` (per email; falls back to the ``intake`` rate when not set). They are read
on every request rather than once at import, so a settings change takes effect at once.
"""

from __future__ import annotations

from django.utils.crypto import salted_hmac
from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle
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
