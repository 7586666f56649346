"""Forms of the identity app: officer review on the case page, and the requester's status
page. Forms only validate and shape input; every change goes through identity.services."""

from __future__ import annotations

from typing import Any

from django import forms

from dsar.forms.common import DATE_WIDGET, ServiceErrorMixin, needs
from dsar.models import Case, Controller

from .choices import METHOD_ORDER, Method, StepStatus
from .models import VerificationStep

# --- officer -------------------------------------------------------------------------


class StepReviewForm(ServiceErrorMixin, forms.Form):
    """Pass, fail or waive one pending step."""

    decision = forms.ChoiceField(
        label="Decision",
        widget=forms.RadioSelect,
        choices=[
            (StepStatus.PASSED.value, "Passed: the evidence checks out"),
            (StepStatus.FAILED.value, "Failed: it does not verify them"),
            (StepStatus.WAIVED.value, "Waived: not needed for this case"),
        ],
        error_messages=needs("Choose passed, failed or waived."),
    )
    note = forms.CharField(
        label="Reason or notes",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Required when failed or waived. It goes on the case record.",
    )
    evidence_received_on = forms.DateField(
        label="Evidence received on",
        required=False,
        widget=DATE_WIDGET,
        help_text="Only if it came by post or phone. Blank: the day of the last upload, "
        "else today. When every check is done, the time limit runs from this day.",
    )
    refuse = forms.BooleanField(
        label="Also refuse the request as identity not verified",
        required=False,
        help_text="Only with failed. The requester is emailed the reasons above.",
    )

    def __init__(self, *args: Any, step: VerificationStep, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"id_step{step.pk}_%s")
        super().__init__(*args, **kwargs)
        self.step = step

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        decision = data.get("decision")
        if decision in (StepStatus.FAILED, StepStatus.WAIVED) and not data.get("note", "").strip():
            self.add_error("note", "Give the reason: it goes on the case record.")
        if data.get("refuse") and decision != StepStatus.FAILED:
            self.add_error("refuse", "Refuse only together with a failed check.")
        if data.get("evidence_received_on") and decision != StepStatus.PASSED:
            self.add_error("evidence_received_on", "Give a date only when the check passed.")
        return data


class AddStepForm(ServiceErrorMixin, forms.Form):
    method = forms.ChoiceField(
        label="What to ask for",
        choices=[(m.value, Method(m).label) for m in METHOD_ORDER],
        error_messages=needs("Choose what to ask for."),
    )
    note = forms.CharField(
        label="Message to the requester",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Included in the email, e.g. what was wrong with the last copy.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "id_addstep_%s")
        super().__init__(*args, **kwargs)


class RequestMoreForm(ServiceErrorMixin, forms.Form):
    message = forms.CharField(
        label="Message to the requester",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="We email them their status link and what is still needed.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "id_more_%s")
        super().__init__(*args, **kwargs)


class CloseUnverifiedForm(ServiceErrorMixin, forms.Form):
    reasons = forms.CharField(
        label="Reasons",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=needs("Give the reasons: the requester is told them."),
        help_text="The requester is emailed these, with their right to complain to the ICO.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "id_unverified_%s")
        super().__init__(*args, **kwargs)


# --- requester -----------------------------------------------------------------------


class EvidenceUploadForm(forms.Form):
    """One file for one step; which document it is, where the controller lists them."""

    file = forms.FileField(
        label="Choose a file",
        help_text="A PDF, JPEG or PNG: a scan or a clear photo.",
        error_messages={
            "required": "Choose a file to send.",
            "empty": "The file is empty. Choose the file again.",
            "invalid": "Choose a file to send.",
        },
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )

    def __init__(self, *args: Any, step: VerificationStep, documents: list[str], **kwargs: Any):
        kwargs.setdefault("auto_id", f"id_step{step.pk}_%s")
        super().__init__(*args, **kwargs)
        self.step = step
        if step.method == Method.IDENTITY_DOCUMENT and documents:
            self.fields["document_kind"] = forms.ChoiceField(
                label="Which document is it?",
                choices=[(d, d) for d in documents],
                widget=forms.RadioSelect,
                error_messages=needs("Say which document you are sending."),
            )
            self.order_fields(["document_kind", "file"])


class WithdrawForm(forms.Form):
    confirm = forms.BooleanField(
        label="I want to withdraw this request",
        error_messages=needs("Tick the box to confirm you want to withdraw the request."),
    )
    reason = forms.CharField(
        label="Why are you withdrawing it?",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="You do not have to say.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "id_withdraw_%s")
        super().__init__(*args, **kwargs)


class StatusLinkForm(forms.Form):
    controller = forms.ModelChoiceField(
        label="Organisation you made the request to",
        queryset=Controller.objects.none(),
        to_field_name="slug",
        empty_label="Choose the organisation",
        error_messages=needs("Choose the organisation you made the request to."),
    )
    email = forms.EmailField(
        label="Email address",
        help_text="The address you gave when you made the request.",
        error_messages={
            **needs("Enter your email address."),
            "invalid": "Enter an email address like name@example.com.",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["controller"].queryset = Controller.objects.filter(is_active=True).order_by(
            "name"
        )


def review_forms(case: Case, steps: list[VerificationStep]) -> dict[int, StepReviewForm]:
    return {s.pk: StepReviewForm(step=s) for s in steps if s.is_pending and case.is_open}
