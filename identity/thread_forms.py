"""The requester's message form on the status page: text and files, files checked by
content in the view (identity.evidence, as evidence is)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile

MAX_FILES = 5


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Django's documented pattern for several files in one field."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png", "multiple": True})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class RequesterMessageForm(forms.Form):
    body = forms.CharField(
        label="Your message",
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Plain text. Quote nothing you do not need to: we can see your request.",
    )
    files = MultipleFileField(
        label="Files (optional)",
        required=False,
        help_text=f"Up to {MAX_FILES} PDF, JPEG or PNG files.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "id_message_%s")
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not (data.get("body") or "").strip() and not data.get("files") and not self.errors:
            self.add_error("body", "Write your message or choose a file to send.")
        if len(data.get("files") or []) > MAX_FILES:
            self.add_error("files", f"Send at most {MAX_FILES} files at a time.")
        return data
