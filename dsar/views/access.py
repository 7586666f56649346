"""The one way the HTML views of dsar, exports and identity find a case for the signed-in
user: a case they may not see does not exist for them (404, never a 403 that would say it
does); one they may see but not change gets the read-only page (403)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from dsar import selectors
from dsar.models import Case


def visible_case(request: HttpRequest, reference: str, *, detail: bool = False) -> Case:
    """The case, if visible to the user; ``detail`` adds its pauses and timeline."""
    try:
        if detail:
            return selectors.case_for_detail(request.user, reference)
        return selectors.visible_cases(request.user).get(reference=reference)
    except Case.DoesNotExist:
        raise Http404("No case with that reference is visible to you.") from None


def forbidden(request: HttpRequest, case: Case) -> HttpResponse:
    """A visible case the user may not act on (an auditor, say)."""
    return render(request, "officer/forbidden.html", {"case": case}, status=403)
