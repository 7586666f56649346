"""The data map page: systems and categories, with purposes, recipients, retention..."""

from __future__ import annotations

from typing import Any

from csp.decorators import csp_replace
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_http_methods, require_POST

from dsar.models import Controller

from . import datamap
from .access import settings_view
from .datamap_forms import CategoryForm, PurposeFormSet, StatementsForm, SystemForm, purposes_of
from .views import _applied, _page, sample_case

TAB = "settings:data_map"


def _models():
    from exports.data import models

    return models


def _own(model: Any, controller: Controller, pk: int | None) -> Any:
    if pk is None:
        return None
    row = model.objects.filter(controller=controller, pk=pk).first()
    if row is None:
        raise Http404("Not part of this organisation's data map.")
    return row


@settings_view
@require_http_methods(["GET", "POST"])
def data_map(request: HttpRequest, controller: Controller) -> HttpResponse:
    m = _models()
    statements = m.DataMapSettings.objects.filter(controller=controller).first()
    form = StatementsForm(
        request.POST if request.method == "POST" else None,
        initial={
            "automated_decisions": statements.automated_decisions if statements else "",
            "transfers": statements.transfers if statements else "",
        },
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and _applied(
            form,
            lambda: datamap.statements_save(
                controller=controller, by=request.user, values=form.cleaned_data
            ),
        )
    ):
        messages.success(request, "Statements saved.")
        return redirect(request.path)
    categories = (
        m.DataCategory.objects.filter(controller=controller)
        .prefetch_related("purposes", "systems")
        .order_by("order", "name")
    )
    systems = m.DataSystem.objects.filter(controller=controller).order_by("name")
    return _page(
        request,
        controller,
        "settings/data_map.html",
        {"categories": categories, "systems": systems, "form": form},
        tab=TAB,
        status=400 if form.errors else 200,
    )


@settings_view
@require_http_methods(["GET", "POST"])
def system_edit(
    request: HttpRequest, controller: Controller, pk: int | None = None
) -> HttpResponse:
    system = _own(_models().DataSystem, controller, pk)
    initial = {n: getattr(system, n) for n in datamap.SYSTEM_FIELDS} if system else {}
    form = SystemForm(request.POST if request.method == "POST" else None, initial=initial)
    if (
        request.method == "POST"
        and form.is_valid()
        and _applied(
            form,
            lambda: datamap.system_save(
                controller=controller, by=request.user, values=form.cleaned_data, system=system
            ),
        )
    ):
        messages.success(request, f"System {form.cleaned_data['name']} saved.")
        return redirect("settings:data_map", controller.slug)
    return _page(
        request,
        controller,
        "settings/system_form.html",
        {"form": form, "system": system},
        tab=TAB,
        status=400 if form.errors else 200,
    )


@settings_view
@require_POST
def system_delete(request: HttpRequest, controller: Controller, pk: int) -> HttpResponse:
    system = _own(_models().DataSystem, controller, pk)
    datamap.system_delete(controller=controller, by=request.user, system=system)
    messages.success(request, f"System {system.name} deleted.")
    return redirect("settings:data_map", controller.slug)


@settings_view
@require_http_methods(["GET", "POST"])
def category_edit(
    request: HttpRequest, controller: Controller, pk: int | None = None
) -> HttpResponse:
    category = _own(_models().DataCategory, controller, pk)
    initial: dict[str, Any] = {"automated_means": True, "order": 100}
    purposes: list[dict[str, str]] = []
    if category:
        initial = {n: getattr(category, n) for n in datamap.CATEGORY_FIELDS}
        initial["systems"] = list(category.systems.all())
        purposes = [
            {n: getattr(p, n) for n in datamap.PURPOSE_FIELDS} for p in category.purposes.all()
        ]
    bound = request.method == "POST"
    form = CategoryForm(request.POST if bound else None, initial=initial, controller=controller)
    formset = PurposeFormSet(request.POST if bound else None, initial=purposes, prefix="purposes")
    if bound and form.is_valid() and formset.is_valid():
        values = {n: form.cleaned_data[n] for n in datamap.CATEGORY_FIELDS}
        if _applied(
            form,
            lambda: datamap.category_save(
                controller=controller,
                by=request.user,
                values=values,
                systems=list(form.cleaned_data["systems"]),
                purposes=purposes_of(formset),
                category=category,
            ),
        ):
            messages.success(request, f"Category {values['name']} saved.")
            return redirect("settings:data_map", controller.slug)
    has_errors = bool(form.errors) or any(f.errors for f in formset.forms)
    return _page(
        request,
        controller,
        "settings/category_form.html",
        {"form": form, "formset": formset, "category": category, "has_errors": has_errors},
        tab=TAB,
        status=400 if bound and has_errors else 200,
    )


@settings_view
@require_POST
def category_delete(request: HttpRequest, controller: Controller, pk: int) -> HttpResponse:
    category = _own(_models().DataCategory, controller, pk)
    try:
        datamap.category_delete(controller=controller, by=request.user, category=category)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Category {category.name} deleted.")
    return redirect("settings:data_map", controller.slug)


@settings_view
@xframe_options_sameorigin
@csp_replace(
    {"frame-ancestors": ["'self'"], "style-src": ["'self'", "'unsafe-inline'"], "sandbox": True}
)
def access_preview(request: HttpRequest, controller: Controller) -> HttpResponse:
    """An access response to a sample requester, its Art 15 sections from this data map."""
    from exports.letters import LETTER_KINDS, art15, render_html
    from exports.letters.base import resolve_values

    case = sample_case(controller)
    case.pk = 0  # no row: its documents and exports are simply none
    categories = list(
        _models()
        .DataCategory.objects.filter(controller=controller)
        .prefetch_related("purposes", "systems")
        .order_by("order", "name")
    )
    sections = art15.from_data_map(case, categories)
    kind = LETTER_KINDS["access_response"]
    html = render_html(
        case,
        kind,
        resolve_values(case, kind, sections),
        letter_date=controller.today(),
        delivery="email",
        for_pdf=False,
    )
    response = HttpResponse(html)
    response["Cache-Control"] = "private, no-store"
    return response
