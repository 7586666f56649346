"""The configuration file page: download this controller's configuration, or upload one,
read what it would change, and confirm (the pages' way to ``manage.py controller_config``).

The uploaded document waits in the admin's session between the comparison and the
confirmation, under a digest the confirmation form carries, so what is applied is
exactly what was compared (a second upload in another tab replaces it, and the first
confirmation is refused).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_http_methods, require_POST

from dsar.formats import plural
from dsar.models import Controller

from . import portable
from .access import settings_view
from .forms import ConfigurationFileForm
from .views import _page

TAB = "settings:configuration"


def _session_key(controller: Controller) -> str:
    return f"configuration-import:{controller.pk}"


def _digest(data: Any) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


@settings_view
@require_http_methods(["GET", "POST"])
def configuration(request: HttpRequest, controller: Controller) -> HttpResponse:
    form = ConfigurationFileForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {"form": form}
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data["document"]
            changes = portable.changes_between(portable.export_config(controller), data)
            if changes:
                request.session[_session_key(controller)] = {
                    "digest": _digest(data),
                    "data": data,
                }
            context.update(changes=changes, compared=True, digest=_digest(data))
        else:
            status = 400
    return _page(
        request, controller, "settings/configuration.html", context, tab=TAB, status=status
    )


@settings_view
def configuration_download(request: HttpRequest, controller: Controller) -> HttpResponse:
    text = json.dumps(portable.export_config(controller), indent=2, ensure_ascii=False)
    response = HttpResponse(text + "\n", content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{controller.slug}-configuration.json"'
    response["Cache-Control"] = "no-store"
    return response


@settings_view
@require_POST
def configuration_apply(request: HttpRequest, controller: Controller) -> HttpResponse:
    pending = request.session.get(_session_key(controller))
    if not pending or pending.get("digest") != request.POST.get("digest"):
        messages.error(
            request,
            "Nothing was changed: that comparison is no longer the latest. Upload the file "
            "again to see what it would change.",
        )
        return redirect("settings:configuration", controller.slug)
    changes = portable.changes_between(portable.export_config(controller), pending["data"])
    try:
        portable.import_config(slug=controller.slug, data=pending["data"], by=request.user)
    except ValidationError as exc:
        messages.error(request, "Nothing was changed: " + " ".join(exc.messages))
        return redirect("settings:configuration", controller.slug)
    del request.session[_session_key(controller)]
    messages.success(
        request, f"Configuration imported: {plural(len(changes), 'change')}, listed below."
    )
    return redirect("settings:changes", controller.slug)
