"""Formats for the reports' figures: a rate as a percentage, days with one decimal."""

from __future__ import annotations

from django import template

register = template.Library()

NONE = "\u2013"  # an en dash: no responses in the period, so no rate to give


@register.filter
def percent(value: float | None) -> str:
    if value is None:
        return NONE
    return f"{value * 100:.1f}%".replace(".0%", "%")


@register.filter
def days(value: float | None) -> str:
    if value is None:
        return NONE
    return f"{value:g}"
