"""``/reports/``: the figures a DPO takes to the board, for officers, auditors and admins.

Reads only: every figure comes from ``dsar.reports.selectors`` and links to the queue
filtered to the cases behind it (``dsar.reports.links``).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode

from .. import selectors as case_selectors
from ..models import Case
from ..selectors import is_controller_admin
from . import charts
from .forms import ReportScopeForm
from .links import QueueLinks, decorate
from .record import record_download
from .selectors import summary


def report_charts(data: dict[str, Any]) -> dict[str, charts.Chart]:
    received, timeliness, open_now = data["received"], data["timeliness"], data["open_now"]
    return {
        "by_month": charts.bar_chart(
            "chart-month",
            "Requests received by month",
            [(r["label"], r["count"], r["href"]) for r in received["by_month"]],
        ),
        "by_right": charts.bar_chart(
            "chart-right",
            "Requests received by right",
            [(r["label"], r["count"], r["href"]) for r in received["by_right"]],
        ),
        "by_channel": charts.bar_chart(
            "chart-channel",
            "Requests received by channel",
            [(r["label"], r["count"], r["href"]) for r in received["by_channel"]],
        ),
        "timeliness": charts.split_chart(
            "chart-timeliness",
            "Responses on time and late, by right",
            [(r["label"], r["on_time"], r["late"], r["href"]) for r in timeliness["by_right"]],
            parts=("On time", "Late"),
            description="For each right, responses on time (solid) and late (hatched).",
        ),
        "open_status": charts.bar_chart(
            "chart-open-status",
            "Open cases by status",
            [(r["label"], r["count"], r["href"]) for r in open_now["by_status"]],
        ),
        "open_due": charts.bar_chart(
            "chart-open-due",
            "Open cases by how far from due",
            [(r["label"], r["count"], r["href"]) for r in open_now["by_due"]],
        ),
        "refusals": charts.bar_chart(
            "chart-refusals",
            "Refusals by ground",
            [(r["label"], r["count"], r["href"]) for r in data["refusals"]["by_ground"]],
        ),
    }


@login_required
def case_record(request: HttpRequest, reference: str) -> HttpResponse:
    """The case's record for a regulator: officers and auditors of its controller."""
    try:
        case = case_selectors.case_for_detail(request.user, reference)
    except Case.DoesNotExist:
        raise Http404("No case with that reference is visible to you.") from None
    pdf, digest = record_download(case=case, by=request.user)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="record-{case.reference}.pdf"'
    response["Cache-Control"] = "no-store"
    response["X-Content-SHA256"] = digest
    return response


@login_required
def reports(request: HttpRequest) -> HttpResponse:
    controllers = list(case_selectors.controllers_for(request.user))
    if not controllers:
        return render(request, "reports/no_controllers.html", status=403)
    form = ReportScopeForm(request.GET or None, controllers=controllers)
    context: dict[str, Any] = {"form": form, "show_controller": len(controllers) > 1}
    if form.is_bound and not form.is_valid():
        return render(request, "reports/reports.html", context, status=400)
    if not form.is_bound:
        form = ReportScopeForm({}, controllers=controllers)
        form.is_valid()
        context["form"] = form
    today = timezone.localdate()
    chosen, period = form.scope(today)
    slug = form.cleaned_data.get("controller") or None
    data = decorate(
        summary(controllers=chosen, period=period, today=today), QueueLinks(slug, period)
    )
    scope = {k: v for k, v in request.GET.items() if k in ("controller", "range", "from", "to")}
    context.update(
        {
            "register_query": urlencode(scope or {"range": period.key}),
            "may_download_personal": all(is_controller_admin(request.user, c) for c in chosen),
            "data": data,
            "period": period,
            "today": today,
            "chosen": chosen,
            "all_chosen": slug is None,
            "charts": report_charts(data),
        }
    )
    return render(request, "reports/reports.html", context)
