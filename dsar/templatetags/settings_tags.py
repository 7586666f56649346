"""The officer menu's "Settings" link, for admins of at least one controller (issue 19)."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.simple_tag
def administers_any(user: Any) -> bool:
    from dsar.configuration.access import administered_by

    return administered_by(user).exists()
