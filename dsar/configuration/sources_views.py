"""The sources pages: SQL and manual sources, their searches and steps, and the test."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_http_methods, require_POST

from dsar.models import Controller

from . import sources
from .access import settings_view
from .datamap_forms import ActionForm, QueryForm, SourceForm, SourceTestForm
from .views import _applied, _page

TAB = "settings:sources"


def _models():
    from exports.data import models

    return models


def _source(controller: Controller, pk: int | None) -> Any:
    if pk is None:
        return None
    found = _models().DataSource.objects.filter(controller=controller, pk=pk).first()
    if found is None:
        raise Http404("No such source here.")
    return found


def _part(model: Any, source: Any, pk: int | None) -> Any:
    if pk is None:
        return None
    found = model.objects.filter(source=source, pk=pk).first()
    if found is None:
        raise Http404("No such step of this source.")
    return found


@settings_view
def sources_index(request: HttpRequest, controller: Controller) -> HttpResponse:
    rows = (
        _models()
        .DataSource.objects.filter(controller=controller)
        .select_related("system")
        .prefetch_related("queries__category", "actions__category")
        .order_by("name")
    )
    return _page(request, controller, "settings/sources.html", {"sources": rows}, tab=TAB)


@settings_view
@require_http_methods(["GET", "POST"])
def source_edit(
    request: HttpRequest, controller: Controller, pk: int | None = None
) -> HttpResponse:
    """A source's settings; for one that exists, its searches, steps and the test."""
    source = _source(controller, pk)
    initial: dict[str, Any] = {"kind": "sql", "is_active": True}
    if source:
        initial = {n: getattr(source, n) for n in sources.SOURCE_FIELDS}
    posted = request.method == "POST" and "test" not in request.POST
    form = SourceForm(request.POST if posted else None, initial=initial, controller=controller)
    test_form = SourceTestForm(request.POST if request.method == "POST" and not posted else None)
    results = None
    status = 200
    if posted:
        if form.is_valid() and _applied(
            form,
            lambda: sources.source_save(
                controller=controller,
                by=request.user,
                values={n: form.cleaned_data[n] for n in sources.SOURCE_FIELDS},
                source=source,
            ),
        ):
            messages.success(request, f"Source {form.cleaned_data['name']} saved.")
            saved = _models().DataSource.objects.get(
                controller=controller, name=form.cleaned_data["name"]
            )
            return redirect("settings:source_edit", controller.slug, saved.pk)
        status = 400
    elif request.method == "POST" and source is not None:
        if test_form.is_valid():
            try:
                results = sources.try_source(
                    source, test_form.cleaned_data["kind"], test_form.cleaned_data["value"]
                )
            except ValidationError as exc:
                test_form.add_error("value", exc.messages[0])
        if test_form.errors:
            status = 400
    return _page(
        request,
        controller,
        "settings/source_form.html",
        {
            "form": form,
            "test_form": test_form,
            "source": source,
            "results": results,
            "queries": source.queries.select_related("category") if source else [],
            "actions": source.actions.select_related("category") if source else [],
        },
        tab=TAB,
        status=status,
    )


def _part_page(
    request: HttpRequest,
    controller: Controller,
    source: Any,
    form: Any,
    save: Any,
    *,
    what: str,
    row: Any,
) -> HttpResponse:
    if request.method == "POST" and form.is_valid() and _applied(form, save):
        messages.success(request, f"{what.capitalize()} saved.")
        return redirect("settings:source_edit", controller.slug, source.pk)
    return _page(
        request,
        controller,
        "settings/source_part_form.html",
        {"form": form, "source": source, "what": what, "row": row},
        tab=TAB,
        status=400 if form.errors else 200,
    )


@settings_view
@require_http_methods(["GET", "POST"])
def query_edit(
    request: HttpRequest, controller: Controller, pk: int, part: int | None = None
) -> HttpResponse:
    source = _source(controller, pk)
    query = _part(_models().SourceQuery, source, part)
    data = request.POST if request.method == "POST" else None
    form = QueryForm(data, controller=controller, query=query)
    return _part_page(
        request,
        controller,
        source,
        form,
        lambda: sources.query_save(
            controller=controller, by=request.user, source=source, values=form.values(), query=query
        ),
        what="search",
        row=query,
    )


@settings_view
@require_http_methods(["GET", "POST"])
def action_edit(
    request: HttpRequest, controller: Controller, pk: int, part: int | None = None
) -> HttpResponse:
    source = _source(controller, pk)
    action = _part(_models().SourceAction, source, part)
    data = request.POST if request.method == "POST" else None
    form = ActionForm(data, controller=controller, source=source, action=action)
    return _part_page(
        request,
        controller,
        source,
        form,
        lambda: sources.action_save(
            controller=controller,
            by=request.user,
            source=source,
            values=form.values(),
            action=action,
        ),
        what="step",
        row=action,
    )


@settings_view
@require_POST
def part_delete(
    request: HttpRequest, controller: Controller, pk: int, what: str, part: int
) -> HttpResponse:
    source = _source(controller, pk)
    model = {"search": _models().SourceQuery, "step": _models().SourceAction}.get(what)
    if model is None:
        raise Http404("No such part of a source.")
    row = _part(model, source, part)
    sources.part_delete(controller=controller, by=request.user, row=row)
    messages.success(request, f"The {what} was removed.")
    return redirect("settings:source_edit", controller.slug, source.pk)
