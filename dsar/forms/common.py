"""Small pieces the officer forms share."""

from __future__ import annotations

from django import forms

from ..errors import CaseActionError

NOT_YOURS = "Choose one of the controllers you are an officer of."
STALE_PAGE = "This page is out of date: reload it and try again."
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def needs(message: str) -> dict[str, str]:
    """Error messages for a required field that say what to do, not "This field is required"."""
    return {"required": message}


class ServiceErrorMixin:
    def add_service_error(self, exc: CaseActionError) -> None:
        """Show a domain refusal next to the field it names, or above the form."""
        field = exc.field if exc.field in self.fields else None
        self.add_error(field, exc.message)
