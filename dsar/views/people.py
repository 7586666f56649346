"""Officer actions on the person panel: link or unlink another case as the same person."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from .. import selectors
from ..errors import CaseActionError
from ..models import Case
from ..people import services
from .access import forbidden


def _pair(request: HttpRequest, reference: str) -> tuple[Case, Case | None]:
    cases = selectors.visible_cases(request.user)
    try:
        case = cases.get(reference=reference)
    except Case.DoesNotExist:
        raise Http404("No case with that reference is visible to you.") from None
    other_ref = (request.POST.get("other") or "").strip().upper()
    return case, cases.filter(reference=other_ref).first()


def _act(request: HttpRequest, reference: str, *, same_person: bool) -> HttpResponse:
    case, other = _pair(request, reference)
    if not selectors.can_act(request.user, case.controller) or (
        other and not selectors.can_act(request.user, other.controller)
    ):
        return forbidden(request, case)
    if other is None:
        messages.error(request, "No case with that reference is visible to you.")
        return redirect(case)
    try:
        services.person_link(case=case, other=other, by=request.user, same_person=same_person)
    except CaseActionError as exc:
        messages.error(request, exc.message)
    else:
        words = "the same person as" if same_person else "not the same person as"
        messages.success(request, f"Marked as {words} {other.reference}.")
    return redirect(case)


@login_required
@require_POST
def person_link(request: HttpRequest, reference: str) -> HttpResponse:
    return _act(request, reference, same_person=True)


@login_required
@require_POST
def person_unlink(request: HttpRequest, reference: str) -> HttpResponse:
    return _act(request, reference, same_person=False)
