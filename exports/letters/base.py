"""The registry of letter kinds and the free-text fields each one takes.

A letter kind is data: its template in ``templates/letters/``, its title, the parts an
officer may write (``FieldSpec``), which cases it suits, an optional rule that refuses to
issue it, and an optional function adding context. ``kinds.py`` registers one entry per
kind.

Free-text values are resolved, weakest first: the field's own default, then any
registered *prefill provider* (the data map, issue 5, plugs in here to fill the access
response's Art 15 sections), then the officer's saved draft, then what they just typed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from dsar.models import Case

Default = str | Callable[[Case], str]


@dataclass(frozen=True)
class FieldSpec:
    """One part of a letter the officer writes or checks before issuing."""

    name: str
    label: str
    help: str = ""
    # Required parts must be filled before the letter can be issued; the preview marks an
    # empty one "To be completed". A callable decides per case.
    required: bool | Callable[[Case], bool] = False
    default: Default = ""
    rows: int = 4

    def default_for(self, case: Case) -> str:
        return self.default(case) if callable(self.default) else self.default

    def required_for(self, case: Case) -> bool:
        return self.required(case) if callable(self.required) else self.required


@dataclass(frozen=True)
class LetterKind:
    key: str
    title: str
    summary: str  # one line: when to send it
    fields: tuple[FieldSpec, ...] = ()
    # Does this letter suit the case as it stands? Suggested first on the case page.
    suits: Callable[[Case], bool] = lambda case: True
    # Offered under "Other letters" although it does not suit (a rare letter such as a fee
    # request). Kinds that neither suit nor say so are not offered (issue 15).
    offer_anyway: Callable[[Case], bool] = lambda case: False
    # Returns why the letter may not be issued now (None when it may).
    refuse_issue: Callable[[Case, dt.date], str | None] = lambda case, today: None
    # Extra template context for this kind, from the case and the resolved field values.
    context: Callable[[Case, Mapping[str, str]], dict[str, Any]] = lambda case, values: {}
    template: str = ""
    order: int = 100

    def __post_init__(self) -> None:
        if not self.template:
            object.__setattr__(self, "template", f"letters/{self.key}.html")

    def field(self, name: str) -> FieldSpec:
        return next(f for f in self.fields if f.name == name)


# key -> kind, in registration order (the order --help and the case page list them).
LETTER_KINDS: dict[str, LetterKind] = {}

PrefillProvider = Callable[[Case, str], Mapping[str, str]]
_prefill_providers: list[PrefillProvider] = []


def register_letter_kind(kind: LetterKind) -> LetterKind:
    LETTER_KINDS[kind.key] = kind
    return kind


def get_kind(key: str) -> LetterKind:
    """KeyError for an unknown kind: callers turn it into a 404 or a CommandError."""
    return LETTER_KINDS[key]


def register_prefill_provider(provider: PrefillProvider) -> PrefillProvider:
    """Add a source of default text: ``provider(case, kind_key) -> {field name: text}``.

    Later providers win over earlier ones; empty strings are ignored, so a provider only
    fills what it knows. The data map (issue 5) registers one in its AppConfig.ready().
    """
    if provider not in _prefill_providers:
        _prefill_providers.append(provider)
    return provider


def unregister_prefill_provider(provider: PrefillProvider) -> None:
    if provider in _prefill_providers:
        _prefill_providers.remove(provider)


# Checks run before a letter is issued (the second pair of eyes, exports.data.services.approvals):
# ``guard(case, kind_key, approval)`` raises CaseActionError to refuse.
IssueGuard = Callable[[Case, str, object], None]
_issue_guards: list[IssueGuard] = []


def register_issue_guard(guard: IssueGuard) -> IssueGuard:
    if guard not in _issue_guards:
        _issue_guards.append(guard)
    return guard


def check_issue_guards(case: Case, kind: str, approval: object) -> None:
    for guard in _issue_guards:
        guard(case, kind, approval)


# Where a guard would refuse, a preparer takes the letter instead (to be approved later):
# ``preparer(case=, kind=, by=, fields=, delivery=)`` returns a message, or None when the
# letter can be issued directly.
IssuePreparer = Callable[..., "str | None"]
_issue_preparers: list[IssuePreparer] = []


def register_issue_preparer(preparer: IssuePreparer) -> IssuePreparer:
    if preparer not in _issue_preparers:
        _issue_preparers.append(preparer)
    return preparer


def prepare_instead(**kwargs: object) -> str | None:
    for preparer in _issue_preparers:
        message = preparer(**kwargs)
        if message:
            return message
    return None


def initial_values(case: Case, kind: LetterKind) -> dict[str, str]:
    """Defaults, then prefill providers: what a new letter of this kind starts with."""
    values = {f.name: f.default_for(case) for f in kind.fields}
    for provider in _prefill_providers:
        for name, text in (provider(case, kind.key) or {}).items():
            if name in values and text and text.strip():
                values[name] = text
    return values


def resolve_values(
    case: Case, kind: LetterKind, *layers: Mapping[str, Any] | None
) -> dict[str, str]:
    """Initial values overlaid by each layer in turn (a saved draft, then form input).

    Only the kind's own fields are taken; anything else in a layer is ignored.
    """
    values = initial_values(case, kind)
    for layer in layers:
        for name in values:
            if layer and name in layer and layer[name] is not None:
                values[name] = str(layer[name]).strip()
    return values


def missing_fields(case: Case, kind: LetterKind, values: Mapping[str, str]) -> list[FieldSpec]:
    return [
        f for f in kind.fields if f.required_for(case) and not (values.get(f.name) or "").strip()
    ]
