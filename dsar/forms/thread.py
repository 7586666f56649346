"""The officer's message form on the case page."""

from __future__ import annotations

from typing import Any

from django import forms

from ..thread.hooks import AttachableDocument


class OfficerMessageForm(forms.Form):
    body = forms.CharField(
        label="Message to the requester",
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Plain text. They get an email with a link to read and answer it on their "
        "status page; the message itself is not in the email.",
        error_messages={"required": "Write the message."},
    )
    documents = forms.TypedMultipleChoiceField(
        label="Attach documents (optional)",
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Attach only this case's finished documents."},
    )

    def __init__(self, *args: Any, documents: list[AttachableDocument], **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "id_message_%s")
        super().__init__(*args, **kwargs)
        self.fields["documents"].choices = [(d.id, d.title) for d in documents]
        if not documents:
            del self.fields["documents"]
