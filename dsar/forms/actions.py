"""Case action forms: what the service is told (``service_kwargs``) and what the officer
is told afterwards (``success_message``).

Forms only shape input. When an action is offered, and who may take it, is in the table
of :mod:`dsar.actions`; every rule is checked by the service in ``dsar.services``.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms

from .. import clock
from ..choices import ExtensionGround, Outcome, RefusalGround, Status
from ..formats import full_date, person_name
from ..models import Case
from ..selectors import assignable_officers
from .common import DATE_WIDGET, STALE_PAGE, ServiceErrorMixin, needs

# --- case actions --------------------------------------------------------------------


class CaseActionForm(ServiceErrorMixin, forms.Form):
    """A case action. ``version`` is the case version the officer saw (no silent overwrites)."""

    title: ClassVar[str] = ""
    submit: ClassVar[str] = ""
    danger: ClassVar[bool] = False

    version = forms.IntegerField(
        widget=forms.HiddenInput, min_value=1,
        error_messages={"required": STALE_PAGE, "invalid": STALE_PAGE, "min_value": STALE_PAGE},
    )  # fmt: skip

    def __init__(self, *args: Any, case: Case, slug: str, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"id_{slug.replace('-', '_')}_%s")
        kwargs.setdefault("initial", {"version": case.version})
        super().__init__(*args, **kwargs)
        self.case = case
        self.slug = slug

    def service_kwargs(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}

    def success_message(self, case: Case) -> str:
        raise NotImplementedError


class AssignForm(CaseActionForm):
    title = "Assign"
    submit = "Assign"

    assignee = forms.ModelChoiceField(
        label="Officer", queryset=None, required=False, empty_label="Nobody (unassign)",
        error_messages={"invalid_choice": "Choose one of this controller's officers."},
    )  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = assignable_officers(self.case.controller)
        self.fields["assignee"].label_from_instance = person_name
        if not self.is_bound:
            self.initial["assignee"] = self.case.assignee_id

    def success_message(self, case: Case) -> str:
        if case.assignee is None:
            return "Unassigned: nobody is working on this case now."
        return f"Assigned to {person_name(case.assignee)}."


class PauseForm(CaseActionForm):
    title = "Ask the requester to clarify (stops the clock)"
    submit = "Send the question and pause"

    reason = forms.CharField(
        label="What do you need to know?", widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=needs("Write the question: it is sent to the requester now."),
        help_text="Sent to the requester now (by email with their status link, or by post). "
        "The clock stops today and restarts the day their answer arrives. Ask only what you "
        "need to find the information asked for.",
    )  # fmt: skip

    def success_message(self, case: Case) -> str:
        return "Question sent: the clock is stopped until the requester answers."


class ResumeForm(CaseActionForm):
    title = "Record the requester's answer"
    submit = "Record the answer and restart the clock"

    ended_on = forms.DateField(
        label="Answer received on", required=False, widget=DATE_WIDGET,
        help_text="Leave blank for today. The paused days, both ends included, are added.",
    )  # fmt: skip
    answer = forms.CharField(
        label="Their answer, in short", required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text="For an answer that came by post, phone or email. It goes on the case record.",
    )  # fmt: skip

    def success_message(self, case: Case) -> str:
        return f"Answer recorded: the clock runs again, now due {full_date(case.due_date)}."


class ExtendForm(CaseActionForm):
    title = "Extend the deadline"
    submit = "Extend and tell the requester"

    ground = forms.ChoiceField(
        label="Why an extension is allowed", choices=ExtensionGround.choices,
        widget=forms.RadioSelect, error_messages=needs("Choose why the request needs longer."),
        help_text="Nothing else allows one (Art 12(3)). The reports count these.",
    )  # fmt: skip

    reason = forms.CharField(
        label="Why is this request complex or numerous?",
        error_messages=needs("Give the reason for extending: the requester must be told it."),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Sent to the requester now with the new date and their right to complain "
        "(Art 12A): allowed only within the original period.",
    )

    def success_message(self, case: Case) -> str:
        return f"Extended and the requester told: now due {full_date(case.due_date)}."


class RequestFeeForm(CaseActionForm):
    title = "Ask for a fee (stops the clock)"
    submit = "Send the fee request"

    ground = forms.ChoiceField(
        label="Why a fee may be charged",
        choices=[(g.value, g.label) for g in clock.FeeGround], widget=forms.RadioSelect,
        error_messages=needs("Choose why a fee may be charged."),
        help_text="Nothing else allows a fee (UK GDPR Art 12(5), 15(3)).",
    )  # fmt: skip
    amount = forms.CharField(
        label="The fee", max_length=100, error_messages=needs("Say how much the fee is."),
        help_text="A reasonable amount based on the administrative cost, e.g. £25.00.",
    )  # fmt: skip
    reason = forms.CharField(
        label="Why, and how the fee was worked out", widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=needs("Give the reasons: the requester is told them."),
    )  # fmt: skip
    how_to_pay = forms.CharField(
        label="How to pay", widget=forms.Textarea(attrs={"rows": 2}),
        error_messages=needs("Say how the requester can pay."),
    )  # fmt: skip

    def success_message(self, case: Case) -> str:
        return "Fee request sent: the clock is stopped until the fee arrives."


class FeeReceivedForm(CaseActionForm):
    title = "Record the fee received"
    submit = "Record the fee and restart the clock"

    received_on = forms.DateField(
        label="Fee received on", required=False, widget=DATE_WIDGET,
        help_text="Leave blank for today. The time limit runs again from this day.",
    )  # fmt: skip

    def success_message(self, case: Case) -> str:
        return f"Fee recorded: now due {full_date(case.due_date)}."


class RequestIdentityForm(CaseActionForm):
    title = "Request identity evidence"
    submit = "Request identity evidence"

    note = forms.CharField(
        label="Note for the record", required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Until identity is verified, the clock waits for the evidence. Once it has "
        "been verified, the case stays started: the clock keeps running.",
    )  # fmt: skip

    def success_message(self, case: Case) -> str:
        if case.status == Status.IN_PROGRESS:
            return "Identity evidence requested: identity was verified, so the clock runs on."
        return "Identity evidence requested: the clock starts from the day it arrives."


class IdentityReceivedForm(CaseActionForm):
    title = "Record identity evidence received"
    submit = "Record evidence received"

    received_on = forms.DateField(
        label="Evidence received on", required=False, widget=DATE_WIDGET,
        help_text="Leave blank for today. The one-month period runs from this day.",
    )  # fmt: skip

    def success_message(self, case: Case) -> str:
        return f"Identity evidence recorded: now due {full_date(case.due_date)}."


class SubmitForReviewForm(CaseActionForm):
    title = "Send for review"
    submit = "Send for review"

    note = forms.CharField(
        label="Note for the reviewer", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def success_message(self, case: Case) -> str:
        return "Sent for review."


class ReturnForWorkForm(CaseActionForm):
    title = "Send back for more work"
    submit = "Send back"

    note = forms.CharField(
        label="What needs doing?", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def success_message(self, case: Case) -> str:
        return "Sent back for more work."


class CloseForm(CaseActionForm):
    title = "Close with an outcome"
    submit = "Close the case"

    outcome = forms.ChoiceField(
        label="Outcome", choices=Outcome.choices, widget=forms.RadioSelect,
        error_messages=needs("Choose an outcome."),
    )  # fmt: skip
    reasons = forms.CharField(
        label="Reasons", required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Required when partly fulfilled: name the exemptions applied.",
    )  # fmt: skip

    def success_message(self, case: Case) -> str:
        return f"Closed: {case.get_outcome_display().lower()}."


class RefuseForm(CaseActionForm):
    title = "Refuse"
    submit = "Refuse the request"
    danger = True

    ground = forms.ChoiceField(
        label="Ground for refusal", choices=RefusalGround.choices, widget=forms.RadioSelect,
        error_messages=needs("Choose the ground for refusal."),
    )  # fmt: skip
    reasons = forms.CharField(
        label="Reasons", widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=needs("Give the reasons: the requester is told them."),
        help_text="The requester is told these, with their right to complain to the ICO.",
    )  # fmt: skip

    def success_message(self, case: Case) -> str:
        return f"Refused: {case.get_refusal_ground_display().lower()}."


class WithdrawForm(CaseActionForm):
    title = "Withdraw"
    submit = "Mark as withdrawn"
    danger = True

    reason = forms.CharField(
        label="How did the requester withdraw?", widget=forms.Textarea(attrs={"rows": 2}),
        error_messages=needs("Say how the requester withdrew: it goes on the case record."),
        help_text="For example: phoned on 3 March to say the matter is settled.",
    )  # fmt: skip

    def success_message(self, case: Case) -> str:
        return "Withdrawn: the case is closed."
