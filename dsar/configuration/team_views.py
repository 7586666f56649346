"""The team page (members, invitations, roles, API tokens), the invitation link, and
the webhooks page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from dsar.accounts.middleware import second_factor_exempt
from dsar.formats import person_name
from dsar.models import Controller, Membership

from . import team, webhooks
from .access import settings_view
from .team_forms import InviteForm, RoleForm, WebhookForm
from .views import _applied, _page


def _membership(controller: Controller, pk: int) -> Membership:
    found = Membership.objects.filter(controller=controller, pk=pk).select_related("user").first()
    if found is None:
        raise Http404("Not a member of this team.")
    return found


def _refused(request: HttpRequest, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


@settings_view
@require_http_methods(["GET", "POST"])
def team_page(request: HttpRequest, controller: Controller) -> HttpResponse:
    from rest_framework.authtoken.models import Token

    form = InviteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _applied(
            form,
            lambda: team.member_invite(
                controller=controller,
                by=request.user,
                email=data["email"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                role=data["role"],
            ),
        ):
            messages.success(request, f"{data['email']} was invited.")
            return redirect(request.path)
    members = (
        Membership.objects.filter(controller=controller)
        .select_related("user")
        .order_by("user__first_name", "user__last_name", "user__username")
    )
    tokens = {t.user_id: t for t in Token.objects.filter(user__memberships__controller=controller)}
    rows = [
        {"membership": m, "form": RoleForm(initial={"role": m.role}, prefix=f"m{m.pk}"),
         "token": tokens.get(m.user_id)}
        for m in members
    ]  # fmt: skip
    return _page(
        request,
        controller,
        "settings/team.html",
        {"rows": rows, "form": form},
        tab="settings:team",
        status=400 if form.errors else 200,
    )


@settings_view
@require_POST
def member_role(request: HttpRequest, controller: Controller, pk: int) -> HttpResponse:
    membership = _membership(controller, pk)
    form = RoleForm(request.POST, prefix=f"m{pk}")
    if form.is_valid():
        try:
            team.member_role_change(
                controller=controller,
                by=request.user,
                membership=membership,
                role=form.cleaned_data["role"],
            )
        except ValidationError as exc:
            _refused(request, exc)
        else:
            messages.success(request, f"{person_name(membership.user)}'s role saved.")
    return redirect("settings:team", controller.slug)


@settings_view
@require_POST
def member_remove(request: HttpRequest, controller: Controller, pk: int) -> HttpResponse:
    membership = _membership(controller, pk)
    try:
        team.member_remove(controller=controller, by=request.user, membership=membership)
    except ValidationError as exc:
        _refused(request, exc)
    else:
        messages.success(request, f"{person_name(membership.user)} was removed.")
    return redirect("settings:team", controller.slug)


@settings_view
@require_POST
def token_revoke(request: HttpRequest, controller: Controller, pk: int) -> HttpResponse:
    membership = _membership(controller, pk)
    team.token_revoke(controller=controller, by=request.user, user=membership.user)
    messages.success(request, f"{person_name(membership.user)}'s API token was revoked.")
    return redirect("settings:team", controller.slug)


def _invited(uidb64: str, token: str) -> Any:
    try:
        pk = force_str(urlsafe_base64_decode(uidb64))
        user = get_user_model().objects.get(pk=pk, is_active=True)
    except (ValueError, TypeError, OverflowError, get_user_model().DoesNotExist):
        return None
    return user if team.invite_tokens.check_token(user, token) else None


@second_factor_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def join(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """The invitation link: choose a password, then enrol the second factor."""
    user = _invited(uidb64, token)
    if user is None:
        return render(request, "settings/join_invalid.html", status=400)
    form = SetPasswordForm(user, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        team.invite_accept(user=user, password=form.cleaned_data["new_password1"])
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect(reverse("accounts:setup") + "?next=" + reverse("dsar:queue"))
    return render(
        request,
        "settings/join.html",
        {"form": form, "person": user},
        status=400 if form.errors else 200,
    )


# --- webhooks ---------------------------------------------------------------------------


def _endpoint(controller: Controller, pk: int) -> Any:
    from dsar.webhooks.models import WebhookEndpoint

    found = WebhookEndpoint.objects.filter(controller=controller, pk=pk).first()
    if found is None:
        raise Http404("No such webhook here.")
    return found


@settings_view
@require_http_methods(["GET", "POST"])
def webhooks_page(request: HttpRequest, controller: Controller) -> HttpResponse:
    from dsar.webhooks.models import WebhookEndpoint

    form = WebhookForm(request.POST if request.method == "POST" else None)
    secret = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        created: list[Any] = []
        if _applied(
            form,
            lambda: created.append(
                webhooks.webhook_register(
                    controller=controller,
                    by=request.user,
                    url=data["url"],
                    description=data["description"],
                    event_types=data["event_types"],
                )
            ),
        ):
            secret = created[0].secret
            form = WebhookForm()
    endpoints = WebhookEndpoint.objects.filter(controller=controller).order_by("created_at")
    return _page(
        request,
        controller,
        "settings/webhooks.html",
        {"form": form, "endpoints": endpoints, "secret": secret},
        tab="settings:webhooks",
        status=400 if form.errors else 200,
    )


@settings_view
def webhook_deliveries(request: HttpRequest, controller: Controller, pk: int) -> HttpResponse:
    from dsar.webhooks.models import WebhookDelivery

    endpoint = _endpoint(controller, pk)
    deliveries = (
        WebhookDelivery.objects.filter(message__endpoint=endpoint)
        .select_related("message")
        .order_by("-at", "-id")[:100]
    )
    return _page(
        request,
        controller,
        "settings/webhook_deliveries.html",
        {"endpoint": endpoint, "deliveries": deliveries},
        tab="settings:webhooks",
    )


@settings_view
@require_POST
def webhook_rotate(request: HttpRequest, controller: Controller, pk: int) -> HttpResponse:
    endpoint = _endpoint(controller, pk)
    secret = webhooks.webhook_rotate(controller=controller, by=request.user, endpoint=endpoint)
    return _page(
        request,
        controller,
        "settings/webhook_secret.html",
        {"endpoint": endpoint, "secret": secret},
        tab="settings:webhooks",
    )


@settings_view
@require_POST
def webhook_remove(request: HttpRequest, controller: Controller, pk: int) -> HttpResponse:
    endpoint = _endpoint(controller, pk)
    webhooks.webhook_remove(controller=controller, by=request.user, endpoint=endpoint)
    messages.success(request, f"The webhook to {endpoint.url} was removed.")
    return redirect("settings:webhooks", controller.slug)
