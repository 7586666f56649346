"""Officer pages: the queue, the case page with its actions, and logging a request.

Thin views: reads through ``dsar.selectors``, every change through ``dsar.services``.
A refused action (``CaseActionError``) is shown to the officer next to the form, never
raised as a 500; a stale form (``ConflictError``) sends them back to the fresh page.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from .. import actions, clock, deadlines, panels, selectors, services
from ..errors import CaseActionError, ConflictError
from ..filters import CaseFilter
from ..formats import full_date, person_name, plural
from ..forms.actions import CaseActionForm
from ..forms.officer import LogRequestForm, QueueFilterForm
from ..models import Case
from ..people.selectors import likely_duplicates
from ..queue import SORTS, queue_counts, sort_key
from ..reports.access import record_access
from ..reports.models import AccessKind
from ..rows import queue_cases, queue_rows, timeline_rows
from .access import forbidden, visible_case

QUEUE_PAGE_SIZE = 50


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    """The day's work: counts that filter, sortable columns, not-started cases apart.

    A fixed number of queries, whatever the number of cases.
    """
    user = request.user
    controllers = list(selectors.controllers_for(user))
    officers = list(selectors.assignable_officers_for(user))
    visible = selectors.visible_cases(user)
    case_filter = CaseFilter(request.GET, queryset=visible, request=request)
    sort = sort_key(request.GET.get("sort"))
    page = Paginator(queue_cases(case_filter.qs, sort), QUEUE_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    form = QueueFilterForm(request.GET or None, controllers=controllers, officers=officers)
    if form.is_bound:
        form.is_valid()  # so a value the filter ignored is flagged next to its field
    rows = queue_rows(page.object_list)
    return render(
        request,
        "officer/queue.html",
        {
            "page": page,
            "running_rows": [r for r in rows if not r.not_started],
            "not_started_rows": [r for r in rows if r.not_started],
            "rows": rows,
            "closed_matches": sum(1 for r in rows if r.closed),
            "form": form,
            "counts": queue_counts(visible, user),
            "show": request.GET.get("show", ""),
            "sort": sort,
            "sort_links": _sort_links(sort),
            "can_assign": selectors.controllers_user_can_act_for(user).exists(),
            "officers": officers,
            "show_controller": len(controllers) > 1,
            "status_chosen": bool(request.GET.getlist("status")),
        },
    )


def _sort_links(current: str) -> dict[str, dict[str, str]]:
    """Per column: the ?sort= value its header links to, and aria-sort for the current one."""
    links = {}
    for key in SORTS:
        if current == key:
            links[key] = {"next": f"-{key}", "aria": "ascending"}
        elif current == f"-{key}":
            links[key] = {"next": key, "aria": "descending"}
        else:
            links[key] = {"next": key, "aria": ""}
    return links


@login_required
@require_POST
def queue_assign(request: HttpRequest) -> HttpResponse:
    """Bulk assign from the queue: all the ticked cases or none of them."""
    references = request.POST.getlist("cases")
    cases = list(
        selectors.visible_cases(request.user).filter(reference__in=references).order_by("id")
    )
    back = request.POST.get("next") or ""
    queue_path = reverse("dsar:queue")
    safe = url_has_allowed_host_and_scheme(back, None) and back.startswith(queue_path)
    target = back if safe else queue_path
    if not cases:
        messages.error(request, "Tick at least one case to assign.")
        return redirect(target)
    for case in cases:
        if not selectors.can_act(request.user, case.controller):
            messages.error(request, f"{case.reference}: you may only read this controller's cases.")
            return redirect(target)
    choice = request.POST.get("assignee", "")
    assignee = None
    if choice and choice != "none":
        assignee = next(
            (o for o in selectors.assignable_officers_for(request.user) if str(o.pk) == choice),
            None,
        )
        if assignee is None:
            messages.error(request, "Choose one of your controllers' officers.")
            return redirect(target)
    try:
        done = services.case_assign_many(cases=cases, assignee=assignee, by=request.user)
    except CaseActionError as exc:
        messages.error(request, exc.message)
    else:
        who = person_name(assignee) if assignee else "nobody"
        messages.success(request, f"Assigned {plural(len(done), 'case')} to {who}.")
    return redirect(target)


def _extended_due(case: Case) -> dt.date:
    """The due date an extension would give now (shown before the officer commits)."""
    inp = dataclasses.replace(services.deadline_input(case), extended=True)
    return deadlines.compute_deadline(inp, as_of=case.controller.today()).due


def _render_case(
    request: HttpRequest, case: Case, *, bound: CaseActionForm | None = None, status: int = 200
) -> HttpResponse:
    can_act = selectors.can_act(request.user, case.controller)
    forms = [
        bound
        if bound is not None and bound.slug == action.slug
        else action.form(case=case, slug=action.slug)
        for action in actions.offered(request.user, case)
    ]
    shown = {form.slug for form in forms}
    deadline = services.compute_case_deadline(case)
    today = case.controller.today()
    pauses = [
        {"pause": p, "days": ((p.ended_on or today) - p.started_on).days + 1}
        for p in case.pauses.all()
    ]
    return render(
        request,
        "officer/case_detail.html",
        {
            "case": case,
            "deadline": deadline,
            "pauses": pauses,
            "can_act": can_act,
            "action_forms": forms,
            "bound": bound,
            "bound_shown": bound is not None and bound.slug in shown,
            "extended_due": _extended_due(case) if "extend" in shown else None,
            "last_day_to_extend": (
                clock.last_day_to_extend(services.deadline_input(case), as_of=today)
                if "extend" in shown
                else None
            ),
            "events": timeline_rows(case.events.all(), case.controller.time_zone),
            "panels": panels.case_panels(request, case, can_act),
        },
        status=status,
    )


@login_required
def case_detail(request: HttpRequest, reference: str) -> HttpResponse:
    case = visible_case(request, reference, detail=True)
    # Issue 16: who looked at what (dsar.reports.access), shown to auditors.
    record_access(user=request.user, kind=AccessKind.CASE, case=case, what="Case page")
    return _render_case(request, case)


@login_required
def case_panel(request: HttpRequest, reference: str, key: str) -> HttpResponse:
    """One section of the case page, fetched again by the page while work runs behind it."""
    case = visible_case(request, reference, detail=True)
    can_act = selectors.can_act(request.user, case.controller)
    panel = panels.case_panel(request, case, can_act, key)
    if panel is None:
        raise Http404("No such section.")
    response = render(
        request, panel["template"], {"case": case, "panel": panel["context"], "can_act": can_act}
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def case_action(request: HttpRequest, reference: str, action: str) -> HttpResponse:
    entry = actions.installed().get(action)
    if entry is None:
        raise Http404("No such action.")
    case = visible_case(request, reference, detail=True)
    if not entry.may(request.user, case):
        return forbidden(request, case)

    form = entry.form(request.POST, case=case, slug=action)
    if form.is_valid():
        try:
            updated = entry.service(
                case=case,
                by=request.user,
                expected_version=form.cleaned_data["version"],
                **form.service_kwargs(),
            )
        except ConflictError as exc:
            messages.error(request, exc.message)
            return redirect(case)
        except CaseActionError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, form.success_message(updated))
            return redirect(updated)
    # Nothing changed (the service's transaction rolled back): show why, keep their input.
    return _render_case(request, case, bound=form, status=400)


@login_required
def log_request(request: HttpRequest) -> HttpResponse:
    """A request taken by post, phone, email or in person, with the day it really arrived."""
    controllers = selectors.controllers_user_can_act_for(request.user)
    form = LogRequestForm(request.POST or None, controllers=controllers)
    duplicates: list[Case] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if not request.POST.get("duplicate_ok"):
            draft = Case(controller=data["controller"], right=data["right"], **form.case_fields())
            duplicates = likely_duplicates(request.user, draft)
    if request.method == "POST" and form.is_valid() and not duplicates:
        data = form.cleaned_data
        try:
            case = services.case_create(
                controller=data["controller"],
                right=data["right"],
                channel=data["channel"],
                fields=form.case_fields(),
                received_on=data["received_on"],
                by=request.user,
            )
        except CaseActionError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, f"Logged {case.reference}: due {full_date(case.due_date)}.")
            return redirect(case)
    return render(
        request,
        "officer/log_request.html",
        {"form": form, "has_controllers": controllers.exists(), "duplicates": duplicates},
        status=400 if form.errors else 200,
    )
