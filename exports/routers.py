"""Keeps the product's own tables off the subject-data databases.

Those aliases (``settings.SUBJECT_DATA_ALIASES``) are other organisations' systems, or the
demo stand-in for them: SQL sources read (and, for erasure, change) them with their own
parameterised statements, and nothing ever migrates there. Every model of this project
reads and writes ``default``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings


class SubjectDataRouter:
    def db_for_read(self, model: type, **hints: Any) -> str:
        return "default"

    def db_for_write(self, model: type, **hints: Any) -> str:
        return "default"

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        return None

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        if db in getattr(settings, "SUBJECT_DATA_ALIASES", ()):
            return False
        return None
