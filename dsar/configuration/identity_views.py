"""Identity checks per kind of request, with the requester's wording previewed."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_http_methods

from dsar.choices import Right
from dsar.models import Controller

from . import policies
from .access import settings_view
from .forms import DefaultDocumentsForm, IdentityPolicyForm
from .views import _applied, _page

TAB = "settings:identity"


def _right(right: str) -> Right:
    try:
        return Right(right)
    except ValueError:
        raise Http404("No such kind of request.") from None


@settings_view
@require_http_methods(["GET", "POST"])
def identity_index(request: HttpRequest, controller: Controller) -> HttpResponse:
    """Every kind of request and what it needs; the documents accepted for any of them."""
    form = DefaultDocumentsForm(
        request.POST if request.method == "POST" else None, controller=controller
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and _applied(
            form,
            lambda: policies.default_documents_save(
                controller=controller, by=request.user, documents=form.documents()
            ),
        )
    ):
        messages.success(request, "Documents accepted for any request saved.")
        return redirect(request.path)
    rows = []
    for right, policy in policies.policies_by_right(controller).items():
        rows.append(
            {
                "right": Right(right),
                "policy": policy,
                "steps": [label for _, label in _steps(policy)],
            }
        )
    return _page(
        request,
        controller,
        "settings/identity_index.html",
        {"rows": rows, "form": form},
        tab=TAB,
        status=400 if form.errors else 200,
    )


def _steps(policy) -> list[tuple[str, str]]:
    if policy is None:
        return []
    from identity.choices import Method

    return [(m, Method(m).label) for m in policy.methods]


@settings_view
@require_http_methods(["GET", "POST"])
def identity_policy(request: HttpRequest, controller: Controller, right: str) -> HttpResponse:
    """One kind of request: steps and documents as checkboxes, and what the requester reads.

    "Preview" shows the wording for what is ticked without saving it.
    """
    kind = _right(right)
    policy = policies.policies_by_right(controller)[kind.value]
    form = IdentityPolicyForm(request.POST if request.method == "POST" else None, policy=policy)
    status = 200
    values = None
    if request.method == "POST":
        if form.is_valid():
            values = form.values()
            if "preview" not in request.POST and _applied(
                form,
                lambda: policies.policy_save(
                    controller=controller, by=request.user, right=kind.value, values=values
                ),
            ):
                messages.success(request, f"Identity checks for {_short(kind)} saved.")
                return redirect(request.path)
        status = 400 if form.errors else 200
    if values is None:
        values = _values_of(policy)
    wording = policies.requester_wording(controller, kind.value, values)
    return _page(
        request,
        controller,
        "settings/identity_policy.html",
        {
            "form": form,
            "kind": kind,
            "label": _short(kind),
            "policy": policy,
            "wording": wording,
            "previewing": "preview" in request.POST,
        },
        tab=TAB,
        status=status,
    )


def _short(kind: Right) -> str:
    return kind.label.split(" (")[0].lower() + " requests"


def _values_of(policy) -> dict:
    if policy is None:
        return {}
    return {name: getattr(policy, name) for name in policies.POLICY_FIELDS}
