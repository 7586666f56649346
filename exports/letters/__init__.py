"""Letters: a registry of kinds (``base``, ``kinds``), their context and the PDF maker.

Import from here: ``LETTER_KINDS``, ``get_kind``, ``register_prefill_provider``,
``resolve_values``, ``missing_fields``, ``render_html`` and ``html_to_pdf``.
"""

from dsar.formats import long_date

from . import kinds  # noqa: F401 - registers every kind
from .base import (
    LETTER_KINDS,
    FieldSpec,
    LetterKind,
    check_issue_guards,
    get_kind,
    initial_values,
    missing_fields,
    prepare_instead,
    register_issue_guard,
    register_issue_preparer,
    register_prefill_provider,
    resolve_values,
    unregister_prefill_provider,
)
from .context import render_html
from .pdf import html_to_pdf

__all__ = [
    "LETTER_KINDS",
    "FieldSpec",
    "LetterKind",
    "check_issue_guards",
    "get_kind",
    "html_to_pdf",
    "initial_values",
    "long_date",
    "missing_fields",
    "prepare_instead",
    "register_issue_guard",
    "register_issue_preparer",
    "register_prefill_provider",
    "render_html",
    "resolve_values",
    "unregister_prefill_provider",
]
