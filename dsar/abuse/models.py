"""Where rate-limit counts go while the cache (Redis) is unreachable (dsar.ratelimit)."""

from __future__ import annotations

from django.db import models


class RateCounter(models.Model):
    """One rate-limit window's count, kept in the database only while the cache is down.

    The key already names the window, so a row is never reset: it is incremented by an
    upsert and deleted once `expires_at` has passed.
    """

    key = models.CharField(max_length=200, unique=True)
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["expires_at"], name="ratecounter_expires_idx")]

    def __str__(self) -> str:
        return f"{self.key}: {self.count}"
