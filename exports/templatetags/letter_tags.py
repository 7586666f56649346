"""Filters for letter templates."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.filter
def css_string(value: object) -> SafeString:
    """Text as a double-quoted CSS string (for @page margin boxes), safe inside <style>."""
    out = []
    for ch in str(value):
        if ch in '\\"<>&' or ord(ch) < 0x20:
            out.append(f"\\{ord(ch):x} ")
        else:
            out.append(ch)
    return mark_safe(f'"{"".join(out)}"')  # noqa: S308 - every special character is escaped


@register.filter
def part(text: dict, name: str) -> object:
    """One written part of a letter by name: ``{{ text|part:section.key }}``."""
    return text.get(name, "")
