"""Small display helpers for the officer pages: deadline wording and accessible fields."""

from __future__ import annotations

from typing import Any, NamedTuple

from django import forms, template
from django.forms.boundfield import BoundField
from django.utils.html import format_html_join

from ..choices import Status
from ..formats import long_date, person_name, plural
from ..models import Case

register = template.Library()

DUE_SOON_DAYS = 7
CLOCK_NOT_STARTED = {
    Status.UNCONFIRMED: "Clock not started: email not confirmed",
    Status.AWAITING_IDENTITY: "Clock not started: waiting for identity evidence",
}


class DueState(NamedTuple):
    """How close a case is to its deadline: a row class and words (never colour alone)."""

    days_left: int
    css: str  # "overdue", "due-soon" or ""
    label: str  # "Overdue by 3 days", "Due in 2 days", "12 days left"


def due_state_for(case: Case) -> DueState:
    """Uses the controller's today (select_related on lists, so no query per row)."""
    days = case.days_left()
    if not case.is_open:
        return DueState(days, "", "")
    if case.status in CLOCK_NOT_STARTED:
        # The month runs from the day the evidence arrives: the stored date is the earliest.
        return DueState(days, "", CLOCK_NOT_STARTED[case.status])
    if days < 0:
        return DueState(days, "overdue", f"Overdue by {plural(-days, 'day')}")
    if days == 0:
        return DueState(days, "due-soon", "Due today")
    if days == 1:
        return DueState(days, "due-soon", "Due tomorrow")
    if days <= DUE_SOON_DAYS:
        return DueState(days, "due-soon", f"Due in {plural(days, 'day')}")
    return DueState(days, "", f"{plural(days, 'day')} left")


@register.filter
def due_state(case: Case) -> DueState:
    return due_state_for(case)


@register.filter(name="person_name")
def person_name_filter(user: Any) -> str:
    """``{{ user|person_name }}``: the one display name pages and emails share; blank for nobody."""
    return person_name(user) if user else ""


@register.filter
def short_label(label: str) -> str:
    """Drop the requester-facing gloss: "Access (a copy of your data)" -> "Access"."""
    return str(label).split(" (", 1)[0]


@register.filter
def event_title(kind: str) -> str:
    return kind.replace("_", " ").capitalize()


@register.filter
def choice_list(field: BoundField) -> bool:
    """Radios or checkboxes: rendered as a fieldset with a legend."""
    return isinstance(field.field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple)


@register.filter
def checkbox(field: BoundField) -> bool:
    return isinstance(field.field.widget, forms.CheckboxInput)


def _described_by(field: BoundField) -> str:
    ids = []
    if field.help_text:
        ids.append(f"{field.auto_id}_hint")
    if field.errors:
        ids.append(f"{field.auto_id}_error")
    return " ".join(ids)


@register.filter
def described_by(field: BoundField) -> str:
    return _described_by(field)


@register.filter
def widget(field: BoundField) -> str:
    """The field's input, pointing at its hint and error and flagged invalid when it is."""
    attrs = {}
    if described := _described_by(field):
        attrs["aria-describedby"] = described
    if field.errors:
        attrs["aria-invalid"] = "true"
    return field.as_widget(attrs=attrs)


@register.filter
def options(field: BoundField) -> str:
    """Radios or checkboxes as list items, each input followed by its own label."""
    return format_html_join(
        "",
        '<li>{} <label for="{}">{}</label></li>',
        ((opt.tag(), opt.id_for_label, opt.choice_label) for opt in field),
    )


@register.simple_tag
def clock_start(case: Case) -> str:
    """When this case's time limit starts, in one sentence: the acknowledgement and the
    status page both say it from here, so they say the same true thing (issue 13)."""
    from ..choices import ClockStart
    from ..services import compute_case_deadline

    if case.status == Status.AWAITING_IDENTITY:
        return "The time limit starts on the day we receive what we need to confirm your identity."
    if case.status == Status.UNCONFIRMED and case.controller.clock_starts == ClockStart.CONFIRMED:
        return "The time limit starts on the day you confirm your request."
    start = compute_case_deadline(case).start
    if case.fee_received_on == start and start != case.received_on:
        why = "we received the fee"
    elif case.identity_received_on == start and start != case.received_on:
        why = "we received what we needed to confirm your identity"
    elif case.channel == "web" and case.controller.clock_starts == ClockStart.CONFIRMED:
        why = "you confirmed your request"
    elif case.channel == "web":
        why = "you sent your request"
    else:
        why = "we received your request"
    return (
        f"The time limit runs from {long_date(start)}, the day {why}; that day counts as day one."
    )
