"""The signed-in user's own account: second factor enrolment and check, API tokens.

Thin views over ``dsar.accounts.services``. Enrolment shows the authenticator's QR code
as inline SVG drawn here (segno), so the secret never leaves this server.
"""

from __future__ import annotations

import base64

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.views import PasswordResetView
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.crypto import salted_hmac
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import match_token
from rest_framework.authtoken.models import Token

from .. import ratelimit
from . import services
from .forms import CodeForm
from .middleware import SECOND_FACTOR_ENROLLED, second_factor_exempt


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return "/queue/"


def _qr_svg(uri: str) -> str:
    """The otpauth:// URI as an SVG QR code with a text title for screen readers."""
    svg = segno.make(uri, error="m").svg_inline(scale=4, title="QR code for your authenticator")
    return mark_safe(svg)  # noqa: S308 - segno's own markup, from a URI we built


@second_factor_exempt
@never_cache
@login_required
def setup(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator app: scan, type the code, then keep the recovery codes."""
    device = services.totp_pending(user=request.user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.totp_confirm(
                user=request.user, device=device, code=form.cleaned_data["code"]
            )
        except services.SecondFactorError as error:
            form.add_error("code", str(error))
        else:
            device.refresh_from_db()
            otp_login(request, device)
            request.session[SECOND_FACTOR_ENROLLED] = True
            return render(
                request,
                "accounts/recovery_codes.html",
                {"codes": codes, "next": _next_url(request)},
            )
    b32 = base64.b32encode(device.bin_key).decode().rstrip("=")
    context = {
        "form": form,
        "qr": _qr_svg(device.config_url),
        "secret": " ".join(b32[i : i + 4] for i in range(0, len(b32), 4)),
        "next": _next_url(request),
    }
    return render(request, "accounts/setup.html", context, status=400 if form.errors else 200)


@second_factor_exempt
@never_cache
@login_required
def verify(request: HttpRequest) -> HttpResponse:
    """Ask for the second factor after the password: an app code or a recovery code."""
    if not services.has_second_factor(request.user):
        return redirect("accounts:setup")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"].strip().replace(" ", "").lower()
        device = match_token(request.user, code)
        if device is None:
            form.add_error("code", "That code does not match, or was already used.")
        else:
            otp_login(request, device)
            return redirect(_next_url(request))
    return render(
        request,
        "accounts/verify.html",
        {"form": form, "next": _next_url(request)},
        status=400 if form.errors else 200,
    )


@never_cache
@login_required
def account(request: HttpRequest) -> HttpResponse:
    """The user's own page: their second factor and their API token (listed, revocable)."""
    token = Token.objects.filter(user=request.user).first()
    return render(
        request,
        "accounts/account.html",
        {
            "token": token,
            "has_second_factor": services.has_second_factor(request.user),
            "recovery_codes_left": services.recovery_codes_left(request.user),
        },
    )


@require_POST
@login_required
def token_revoke(request: HttpRequest) -> HttpResponse:
    if services.token_revoke(user=request.user):
        messages.success(request, "Your API token is revoked: systems using it are refused.")
    return redirect("accounts:account")


@never_cache
@require_POST
@login_required
def token_create(request: HttpRequest) -> HttpResponse:
    token = services.token_create(user=request.user)
    return render(request, "accounts/token_created.html", {"key": token.key})


@never_cache
@require_POST
@login_required
def recovery_codes_renew(request: HttpRequest) -> HttpResponse:
    codes = services.recovery_codes_renew(user=request.user)
    return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": "/account/"})


class LimitedPasswordResetView(PasswordResetView):
    """Password reset, limited per client address and per address asked about.

    Over the limit, or for an address nobody has, the answer is the same "check your
    email" page: the form never tells whether an account exists.
    """

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        limit = settings.PASSWORD_RESET_RATE_LIMIT_PER_HOUR
        email = form.cleaned_data["email"].strip().lower()
        email_key = salted_hmac("dsar.password-reset", email, algorithm="sha256").hexdigest()
        client_key = ratelimit.client_key(self.request, "password-reset")
        by_client = ratelimit.allow(client_key, limit, 3600)
        by_email = ratelimit.allow(f"password-reset-email:{email_key[:32]}", limit, 3600)
        if not (by_client and by_email):
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)
