"""Public pages: the request form, "check your email", and the emailed confirmation link.

Nothing here needs a login. Pages never show personal data except on the confirmation
page, which only the holder of the emailed link can open.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from .. import services
from ..abuse import budgets, proof_of_work
from ..choices import Channel
from ..configuration.checklist import is_published
from ..forms.public import PublicRequestForm
from ..models import Case, Controller
from ..tokens import InvalidLink, read_confirmation_token

log = logging.getLogger(__name__)


def _active_controller(slug: str) -> Controller:
    return get_object_or_404(Controller, slug=slug, is_active=True)


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    controllers = Controller.objects.filter(is_active=True).order_by("name")
    # Issue 19: only controllers with the minimum settings take requests online.
    controllers = [c for c in controllers if is_published(c)]
    return render(request, "public/home.html", {"controllers": controllers})


@require_http_methods(["GET", "POST"])
def request_form(request: HttpRequest, slug: str) -> HttpResponse:
    """The form. A valid POST saves an unconfirmed case and redirects (POST/redirect/GET).

    Filled-in spam traps get the same redirect but nothing is saved. Past a budget
    (dsar.abuse.budgets: per address, per email, per controller) the page comes back with
    status 429 and everything typed still in it. When the proof-of-work check is on
    (dsar.abuse.proof_of_work), every page carries a fresh challenge that
    static/js/proof-of-work.js solves on submit; a missing, wrong or reused solution is an
    error in the summary, checked before the budgets so a refused post costs none.
    """
    controller = _active_controller(slug)
    if not is_published(controller):
        # Issue 19: not published without the minimum settings (configuration.checklist).
        return render(request, "public/not_published.html", {"controller": controller}, status=404)
    context = {
        "controller": controller,
        "link_max_age_days": settings.CONFIRMATION_LINK_MAX_AGE_DAYS,
        "proof_of_work": proof_of_work.new_challenge() if proof_of_work.is_on() else None,
    }
    if request.method != "POST":
        form = PublicRequestForm(controller=controller)
        return render(request, "public/request_form.html", {**context, "form": form})

    form = PublicRequestForm(request.POST, controller=controller)
    if form.is_bot():
        log.info(
            "Spam trap filled on the request form of controller %s; nothing saved.", controller.pk
        )
        return redirect("dsar:request_sent", slug=controller.slug)
    if not form.is_valid():
        return render(request, "public/request_form.html", {**context, "form": form})
    if context["proof_of_work"] is not None:
        try:
            proof_of_work.verify(
                request.POST.get("pow_challenge", ""), request.POST.get("pow_solution", "")
            )
        except proof_of_work.ProofOfWorkError as exc:
            missing = exc.reason == "missing"
            form.add_error(None, proof_of_work.MISSING_IN_BROWSER if missing else exc.message)
            return render(request, "public/request_form.html", {**context, "form": form})
    refusal = budgets.check_intake(
        request=request, controller=controller, email=form.cleaned_data["requester_email"]
    )
    if refusal is not None:
        response = render(
            request,
            "public/request_form.html",
            {**context, "form": form, "rate_limited": refusal},
            status=429,
        )
        response["Retry-After"] = str(refusal.retry_after)
        return response
    # Several rights ticked: one case each, linked, one email; the budgets above counted
    # the submission once (one person asking, whatever the number of rights).
    services.case_create_many(
        controller=controller,
        requests=[(right, form.case_fields(right)) for right in form.rights],
        channel=Channel.WEB,
        by=None,
    )
    return redirect("dsar:request_sent", slug=controller.slug)


@require_GET
def request_sent(request: HttpRequest, slug: str) -> HttpResponse:
    """ "Check your email". Shows nothing about the request: anyone can open this address."""
    controller = _active_controller(slug)
    return render(
        request,
        "public/request_sent.html",
        {"controller": controller, "link_max_age_days": settings.CONFIRMATION_LINK_MAX_AGE_DAYS},
    )


@never_cache
@require_GET
def confirm(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    """The emailed link: following it confirms the request.

    A plain GET confirms, without a further button. Confirming is idempotent (a second
    visit just shows the page again), and if a mail scanner follows the link first, the
    only effect is that the request counts as confirmed (and, for controllers whose
    clock starts on confirmation, that the clock starts) as soon as the email arrived in
    the requester's mailbox, which never works against the requester. One click is also
    what people expect of a "confirm your email" link.

    The link works even if the controller has since been deactivated: the request was
    made, and it must not be lost. Expired links answer 410, broken or foreign ones 404.
    """
    controller = Controller.objects.filter(slug=slug).first()
    if controller is None:
        raise Http404("No such organisation.")
    try:
        references = read_confirmation_token(token).split(",")
    except InvalidLink as exc:
        template = "public/confirm_expired.html" if exc.expired else "public/confirm_invalid.html"
        return render(
            request,
            template,
            {
                "controller": controller,
                "link_max_age_days": settings.CONFIRMATION_LINK_MAX_AGE_DAYS,
            },
            status=410 if exc.expired else 404,
        )
    # One link may confirm every case of one submission (several rights at once).
    found = {
        c.reference: c
        for c in Case.objects.select_related("controller").filter(
            reference__in=references, controller=controller
        )
    }
    if not found:
        return render(
            request, "public/confirm_invalid.html", {"controller": controller}, status=404
        )
    cases = [services.case_confirm(case=found[r]) for r in references if r in found]
    return render(
        request,
        "public/confirmed.html",
        {"controller": controller, "case": cases[0], "cases": cases},
    )
