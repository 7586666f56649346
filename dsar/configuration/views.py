"""The settings pages of a controller, for its admins (``access.settings_view``).

Thin: each page shows a form, and a valid form goes to one service in ``services``,
which records the change. Invalid input is shown again as typed, with an error summary.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from csp.decorators import csp_replace
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_http_methods

from dsar import deadlines
from dsar.choices import Channel, Right, Status
from dsar.models import Case, Controller

from . import services
from .access import administered_by, settings_view
from .forms import LetterheadForm, OrganisationForm

# The tabs, in order: (url name, label). Later phases add theirs here.
TABS: list[tuple[str, str]] = [
    ("settings:organisation", "Organisation"),
    ("settings:letterhead", "Letterhead"),
    ("settings:identity", "Identity checks"),
    ("settings:data_map", "Data map"),
    ("settings:sources", "Sources"),
    ("settings:team", "Team"),
    ("settings:webhooks", "Webhooks"),
    ("settings:configuration", "Configuration file"),
    ("settings:changes", "Changes"),
]


def _page(
    request: HttpRequest,
    controller: Controller,
    template: str,
    context: dict[str, Any],
    *,
    tab: str,
    status: int = 200,
) -> HttpResponse:
    tabs = [
        {"url": reverse(name, args=[controller.slug]), "label": label, "current": name == tab}
        for name, label in TABS
    ]
    return render(
        request,
        template,
        {"controller": controller, "tabs": tabs, **context},
        status=status,
    )


def _applied(form: Any, change: Callable[[], object]) -> bool:
    """Run the service; a rule it enforces comes back onto the form, not as a 500."""
    try:
        change()
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for field, errors in exc.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, exc.messages)
        return False
    return True


def _form_page(
    request: HttpRequest,
    controller: Controller,
    form: Any,
    change: Callable[[], object],
    *,
    template: str,
    tab: str,
    success: str,
    context: dict[str, Any] | None = None,
) -> HttpResponse:
    """A settings form: on a valid POST the change and back to the page; else the form
    again, as typed, with its errors (400)."""
    if request.method == "POST":
        if form.is_valid() and _applied(form, change):
            messages.success(request, success)
            return redirect(request.path)
        status = 400
    else:
        status = 200
    return _page(
        request, controller, template, {"form": form, **(context or {})}, tab=tab, status=status
    )


@login_required
def settings_home(request: HttpRequest) -> HttpResponse:
    """The controllers the user administers: straight to the only one, or a list."""
    controllers = list(administered_by(request.user))
    if len(controllers) == 1:
        return redirect("settings:overview", controllers[0].slug)
    return render(request, "settings/home.html", {"controllers": controllers})


@settings_view
def overview(request: HttpRequest, controller: Controller) -> HttpResponse:
    """The start-up checklist: each step, what it is for, and what is missing."""
    from .checklist import checklist, publish_problems

    steps = checklist(controller)
    problems = publish_problems(controller)
    context = {
        "steps": steps,
        "done": sum(step.done for step in steps),
        "total": len(steps),
        "problems": problems,
        "published": not problems,
    }
    return _page(request, controller, "settings/overview.html", context, tab="")


@login_required
@require_http_methods(["GET", "POST"])
def new_controller(request: HttpRequest) -> HttpResponse:
    """Staff add an organisation and land on its checklist as its first admin."""
    from .forms import NewControllerForm

    if not (request.user.is_staff or request.user.is_superuser):
        return render(request, "settings/new_forbidden.html", status=403)
    form = NewControllerForm(request.POST if request.method == "POST" else None)
    created: list[Controller] = []
    if (
        request.method == "POST"
        and form.is_valid()
        and _applied(
            form,
            lambda: created.append(
                services.controller_create(by=request.user, fields=form.cleaned_data)
            ),
        )
    ):
        messages.success(request, f"{created[0].name} was added. Here is what to set up.")
        return redirect("settings:overview", created[0].slug)
    return render(
        request, "settings/new_controller.html", {"form": form}, status=400 if form.errors else 200
    )


@settings_view
@require_http_methods(["GET", "POST"])
def organisation(request: HttpRequest, controller: Controller) -> HttpResponse:
    form = OrganisationForm(
        request.POST if request.method == "POST" else None, instance=copy.copy(controller)
    )
    return _form_page(
        request,
        controller,
        form,
        lambda: services.organisation_update(
            controller=controller, by=request.user, values=form.values()
        ),
        template="settings/organisation.html",
        tab="settings:organisation",
        success="Organisation settings saved.",
    )


def _letterhead(controller: Controller):
    from exports.letters.models import Letterhead

    return Letterhead.objects.filter(controller=controller).first()


@settings_view
@require_http_methods(["GET", "POST"])
def letterhead(request: HttpRequest, controller: Controller) -> HttpResponse:
    """The lines and the logo, with the letter they make beside them.

    "Preview" (a GET of this page with the typed lines) shows the letter with them before
    anything is saved; the logo shown is the saved one until the page is saved.
    """
    head = _letterhead(controller)
    has_logo = bool(head and head.logo)
    initial = {
        "text": controller.letterhead,
        "logo_description": head.logo_description if head else "",
    }
    if request.method == "POST":
        form = LetterheadForm(request.POST, request.FILES, has_logo=has_logo)
        preview_text = request.POST.get("text", "")
    elif "preview" in request.GET:
        form = LetterheadForm(initial={**initial, **request.GET.dict()}, has_logo=has_logo)
        preview_text = request.GET.get("text", "")
    else:
        form = LetterheadForm(initial=initial, has_logo=has_logo)
        preview_text = controller.letterhead
    preview_url = reverse("settings:letterhead_preview", args=[controller.slug])
    if preview_text != controller.letterhead:
        preview_url += "?" + urlencode({"text": preview_text})
    return _form_page(
        request,
        controller,
        form,
        lambda: services.letterhead_update(
            controller=controller,
            by=request.user,
            text=form.cleaned_data["text"].strip(),
            logo_description=form.cleaned_data["logo_description"].strip(),
            logo=form.cleaned_data.get("logo"),
            remove_logo=bool(form.cleaned_data.get("remove_logo")),
        ),
        template="settings/letterhead.html",
        tab="settings:letterhead",
        success="Letterhead saved.",
        context={"head": head, "preview_url": preview_url},
    )


def sample_case(controller: Controller) -> Case:
    """An unsaved access request received today, to show letters without a real person."""
    received = controller.today()
    due = deadlines.compute_deadline(
        deadlines.DeadlineInput(received=received, **controller.deadline_options())
    ).due
    return Case(
        controller=controller,
        reference=f"DSAR-{received.year}-000123",
        right=Right.ACCESS,
        channel=Channel.WEB,
        status=Status.IN_PROGRESS,
        requester_name="Alex Example",
        requester_email="alex@example.org",
        received_on=received,
        original_due_date=due,
        due_date=due,
    )


@settings_view
@xframe_options_sameorigin
# Shown in the letterhead page's frame; like the case page's letter preview it has only
# its own <style> block and runs nothing.
@csp_replace(
    {"frame-ancestors": ["'self'"], "style-src": ["'self'", "'unsafe-inline'"], "sandbox": True}
)
def letterhead_preview(request: HttpRequest, controller: Controller) -> HttpResponse:
    """An acknowledgement letter to a sample requester on this letterhead (nothing saved)."""
    from exports.letters import LETTER_KINDS, render_html
    from exports.letters.base import initial_values

    shown = copy.copy(controller)
    if "text" in request.GET:
        shown.letterhead = request.GET["text"][:2000]
    case = sample_case(shown)
    kind = LETTER_KINDS["acknowledgement"]
    html = render_html(
        case,
        kind,
        initial_values(case, kind),
        letter_date=controller.today(),
        delivery="email",
        for_pdf=False,
    )
    response = HttpResponse(html)
    response["Cache-Control"] = "private, no-store"
    return response


@settings_view
def changes(request: HttpRequest, controller: Controller) -> HttpResponse:
    events = controller.config_events.select_related("actor")
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return _page(
        request, controller, "settings/changes.html", {"page": page}, tab="settings:changes"
    )
