"""Who may open a controller's settings: its admins (and superusers).

Anyone else who can see the controller (its officers and auditors) is told they cannot
(403, with who to ask); a controller they cannot see does not exist for them (404), as
for its cases. Staff status alone gives nothing here: the Django admin is for superusers.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from dsar import selectors
from dsar.selectors import administered_by, is_controller_admin

__all__ = ["administered_by", "settings_view"]


def settings_view(
    view: Callable[..., HttpResponse],
) -> Callable[..., HttpResponse]:
    """Resolve ``slug`` to the controller for its admins; 404 or 403 for anyone else."""

    @login_required
    @functools.wraps(view)
    def wrapper(request: HttpRequest, slug: str, *args: Any, **kwargs: Any) -> HttpResponse:
        controller = selectors.controllers_for(request.user).filter(slug=slug).first()
        if controller is None:
            raise Http404("No such controller.")
        if not is_controller_admin(request.user, controller):
            return render(
                request, "settings/forbidden.html", {"controller": controller}, status=403
            )
        return view(request, controller, *args, **kwargs)

    return wrapper
