"""The clock on the requester's status page (issue 13): the question we asked and the
form to answer it, why the date moved (extension), what a fee is for, and whether the
clock is running while we wait for identity. Answering goes through
``dsar.services.answer_clarification``; the requester's answer restarts the clock today.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from dsar import clock
from dsar import services as case_services
from dsar.choices import Status
from dsar.errors import CaseActionError
from dsar.formats import full_date
from dsar.forms.common import needs
from dsar.models import Case


class AnswerForm(forms.Form):
    text = forms.CharField(
        label="Your answer",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages=needs("Write your answer."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "id_answer_%s")
        super().__init__(*args, **kwargs)


def clock_context(case: Case, answer_form: AnswerForm | None = None) -> dict[str, Any]:
    """What the status page says about the clock, beyond the status words."""
    pause = None
    if case.status == Status.AWAITING_REQUESTER:
        pause = case.pauses.filter(ended_on__isnull=True).order_by("-started_on", "-id").first()
    from dsar.clock_services import awaiting_fee

    fee_waiting = case.status == Status.AWAITING_REQUESTER and awaiting_fee(case)
    answered = [p for p in case.pauses.all() if p.ended_on]
    return {
        "open_pause": pause,
        "answer_form": (answer_form or AnswerForm()) if pause else None,
        "answered_pauses": answered,
        "fee_waiting": fee_waiting,
        "fee_ground_label": clock.FeeGround(case.fee_ground).label if case.fee_ground else "",
        # Asked for identity again after it was verified: the clock keeps running.
        "identity_while_running": case.status == Status.IN_PROGRESS,
    }


@never_cache
@require_POST
def answer(request: HttpRequest, token: str) -> HttpResponse:
    """The requester answers our clarification question: the clock restarts today."""
    from .status_views import _case_or_response, _render

    found = _case_or_response(request, token)
    if isinstance(found, HttpResponse):
        return found
    case = found
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            case = case_services.answer_clarification(case=case, text=form.cleaned_data["text"])
        except CaseActionError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                "Thank you: we have your answer. The time limit runs again from today; "
                f"we must now reply by {full_date(case.due_date)}.",
            )
            return redirect("identity:status", token=token)
    return _render(request, token, case, answer_form=form, status=400)
