"""Officer actions on verification steps, and viewing evidence files.

Thin views: reads through identity.selectors and dsar.selectors, changes through
identity.services. Cases another controller's officer cannot see are 404; auditors, who
may read a case, get 403 on every action here. A refused action is shown on a small page
with the officer's input kept (status 400); nothing was changed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import Form
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from dsar import selectors as case_selectors
from dsar.choices import Status
from dsar.errors import CaseActionError
from dsar.formats import full_date
from dsar.models import Case
from dsar.uploads import sandboxed
from dsar.views.access import forbidden, visible_case

from . import evidence_services, selectors, services
from .choices import Method, StepStatus
from .forms import AddStepForm, CloseUnverifiedForm, RequestMoreForm, StepReviewForm
from .models import EvidenceFile

log = logging.getLogger(__name__)


def _panel_url(case: Case) -> str:
    return f"{case.get_absolute_url()}#identity"


def _act(
    request: HttpRequest,
    case: Case,
    form: Form,
    title: str,
    perform: Callable[[dict[str, Any]], str],
) -> HttpResponse:
    """Validate, perform, then back to the case page; or show why nothing changed."""
    if form.is_valid():
        try:
            message = perform(form.cleaned_data)
        except CaseActionError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, message)
            return redirect(_panel_url(case))
    return render(
        request,
        "identity/action_error.html",
        {"case": case, "form": form, "title": title},
        status=400,
    )


@login_required
@require_POST
def step_review(request: HttpRequest, reference: str, step_id: int) -> HttpResponse:
    case = visible_case(request, reference, detail=True)
    if not case_selectors.can_act(request.user, case.controller):
        return forbidden(request, case)
    step = selectors.step_of_case(case, step_id)
    if step is None:
        raise Http404("No such check on this case.")
    form = StepReviewForm(request.POST, step=step)
    label = Method(step.method).label

    def perform(data: dict[str, Any]) -> str:
        decision = data["decision"]
        if decision == StepStatus.PASSED:
            services.step_pass(
                step=step,
                by=request.user,
                note=data["note"],
                evidence_received_on=data["evidence_received_on"],
            )
        elif decision == StepStatus.FAILED:
            services.step_fail(
                step=step, by=request.user, reason=data["note"], refuse=data["refuse"]
            )
        else:
            services.step_waive(step=step, by=request.user, reason=data["note"])
        case.refresh_from_db()
        message = f"{label}: {StepStatus(decision).label.lower()}."
        if case.status == Status.IN_PROGRESS and decision != StepStatus.FAILED:
            message += f" Every check is done: now due {full_date(case.due_date)}."
        elif case.status == Status.REFUSED:
            message += " The request is refused as identity not verified."
        return message

    return _act(request, case, form, f"Review: {label.lower()}", perform)


@login_required
@require_POST
def step_add(request: HttpRequest, reference: str) -> HttpResponse:
    case = visible_case(request, reference, detail=True)
    if not case_selectors.can_act(request.user, case.controller):
        return forbidden(request, case)
    form = AddStepForm(request.POST)

    def perform(data: dict[str, Any]) -> str:
        services.step_request(case=case, method=data["method"], by=request.user, note=data["note"])
        told = " and emailed the requester" if case.requester_email else ""
        return f"Asked for: {Method(data['method']).label.lower()}{told}."

    return _act(request, case, form, "Ask for a check", perform)


@login_required
@require_POST
def request_more(request: HttpRequest, reference: str) -> HttpResponse:
    case = visible_case(request, reference, detail=True)
    if not case_selectors.can_act(request.user, case.controller):
        return forbidden(request, case)
    form = RequestMoreForm(request.POST)

    def perform(data: dict[str, Any]) -> str:
        services.evidence_request_more(case=case, by=request.user, message=data["message"])
        return "Emailed the requester their status link and what is still needed."

    return _act(request, case, form, "Ask for more evidence", perform)


@login_required
@require_POST
def close_unverified(request: HttpRequest, reference: str) -> HttpResponse:
    case = visible_case(request, reference, detail=True)
    if not case_selectors.can_act(request.user, case.controller):
        return forbidden(request, case)
    form = CloseUnverifiedForm(request.POST)

    def perform(data: dict[str, Any]) -> str:
        services.case_close_unverified(case=case, by=request.user, reasons=data["reasons"])
        return "Refused: identity not verified. The requester has been told why."

    return _act(request, case, form, "Refuse: identity not verified", perform)


@never_cache
@login_required
@require_GET
def evidence_view(request: HttpRequest, evidence_id: int) -> HttpResponse:
    """Stream one evidence file inline in the officer's browser, and record the viewing.

    Evidence is the most sensitive thing the product holds, so viewing needs the right to
    act on the case (officers and admins): an auditor, who may read the case, gets 403;
    an officer of another controller gets 404, as for the case itself. Every viewing is an
    `evidence_viewed` event. The response is never cached, never sniffed into another
    type, and an image may load nothing else (a content security policy).
    """
    try:
        item = selectors.evidence_for_officer(request.user, evidence_id)
    except EvidenceFile.DoesNotExist:
        raise Http404("No such evidence, or it has been deleted.") from None
    case = item.step.case
    if not case_selectors.can_act(request.user, case.controller):
        return forbidden(request, case)
    try:
        handle = item.file.open("rb")
    except FileNotFoundError:
        log.warning("Evidence %s of case %s is missing from storage.", item.pk, case.pk)
        raise Http404("The file is missing from storage.") from None
    evidence_services.evidence_viewed(evidence_file=item, by=request.user)
    extension = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}[
        item.content_type
    ]
    response = FileResponse(
        handle,
        content_type=item.content_type,
        # Images are shown in the browser; PDFs download, since a sandboxed PDF is not
        # shown by the browser's viewer.
        as_attachment=item.content_type == "application/pdf",
        filename=f"{case.reference}-evidence-{item.pk}.{extension}",
    )
    sandboxed(response)
    response["Cache-Control"] = "private, no-store"
    return response
