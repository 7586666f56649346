"""``/audit/`` and its CSV export (dsar.reports.audit)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode

from . import audit

PAGE_SIZE = 50


def _form(request: HttpRequest) -> tuple[audit.AuditFilterForm | None, list]:
    controllers = list(audit.audited_controllers(request.user))
    if not controllers:
        return None, controllers
    form = audit.AuditFilterForm(request.GET or None, controllers=controllers)
    return form, controllers


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    form, controllers = _form(request)
    if form is None:
        return render(request, "reports/audit_forbidden.html", status=403)
    if form.is_bound and not form.is_valid():
        return render(request, "reports/audit.html", {"form": form}, status=400)
    page = Paginator(form.entries(), PAGE_SIZE).get_page(request.GET.get("page"))
    query = {k: v for k, v in request.GET.items() if k != "page" and v}
    return render(
        request,
        "reports/audit.html",
        {
            "form": form,
            "page": page,
            "export_query": urlencode(query),
            "show_controller": len(controllers) > 1,
        },
    )


@login_required
def audit_export(request: HttpRequest) -> HttpResponse:
    form, _ = _form(request)
    if form is None:
        return render(request, "reports/audit_forbidden.html", status=403)
    if form.is_bound and not form.is_valid():
        return render(request, "reports/audit.html", {"form": form}, status=400)
    response = StreamingHttpResponse(audit.as_csv(form.entries()), content_type="text/csv")
    name = f"access-log-{timezone.localdate().isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response
