"""``POST /api/v1/requests/``: the public intake, the API twin of the ``/r/<slug>/`` form."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import Throttled
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from dsar import ratelimit, services
from dsar.abuse import budgets, proof_of_work
from dsar.choices import Channel
from dsar.models import Case

from .serializers import (
    IntakeResultSerializer,
    IntakeSerializer,
    ProofOfWorkChallengeSerializer,
)

# A requester may fetch a few challenges per request they send (typing mistakes, retries).
CHALLENGES_PER_REQUEST = 10


def intake_message(case: Case) -> str:
    days = settings.CONFIRMATION_LINK_MAX_AGE_DAYS
    return (
        f"Thank you. Your reference is {case.reference}. We have emailed a link to "
        f"{case.requester_email}: follow it within {days} days to confirm the request. "
        "We cannot act on it until you do."
    )


class IntakeView(APIView):
    """Anyone may send a request; it waits, unconfirmed, until the emailed link is followed.

    No authentication (so no session and no CSRF). A valid request is counted against the
    same budgets as the web form (dsar.abuse.budgets: per address, per email, per
    controller); past one it is a 429 with Retry-After and nothing is saved. While the
    proof-of-work check is on, the body carries a solved challenge (IntakeSerializer),
    checked before the budgets so a refused request costs none.
    """

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes: list = []  # the shared budgets below, counted once the body is valid

    @extend_schema(
        operation_id="requests_create",
        summary="Send a data subject request (public)",
        request=IntakeSerializer,
        responses={
            201: IntakeResultSerializer,
            400: OpenApiResponse(description="Field errors: {detail, errors: {field: [...]}}."),
            429: OpenApiResponse(
                description="Too many requests from this network, for this email or to "
                "this controller."
            ),
        },
        auth=[],
        tags=["requests"],
    )
    def post(self, request: Request) -> Response:
        serializer = IntakeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        refusal = budgets.check_intake(
            request=request, controller=data["controller"], email=data["requester_email"]
        )
        if refusal is not None:
            raise Throttled(wait=refusal.retry_after, detail=f"{refusal.message} Try again later.")
        case = services.case_create(
            controller=data["controller"],
            right=data["right"],
            channel=Channel.WEB,
            fields={**serializer.case_fields(), "declaration_at": timezone.now()},
        )
        body = {"reference": case.reference, "status": case.status, "message": intake_message(case)}
        return Response(body, status=status.HTTP_201_CREATED)


class ChallengeView(APIView):
    """A fresh proof-of-work challenge for the next ``POST /api/v1/requests/``.

    Public like the intake, and limited per client address (IPv6 per /64) to
    ``CHALLENGES_PER_REQUEST`` times the intake's address budget per hour.
    """

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes: list = []

    @extend_schema(
        operation_id="requests_challenge",
        summary="Get a proof-of-work challenge for sending a request (public)",
        description=(
            "While `INTAKE_PROOF_OF_WORK_BITS` is on, find a `solution` such that "
            'sha256("<challenge>:<solution>") starts with `bits` zero bits, and send both as '
            "`proof_of_work` with the request. A challenge lasts 30 minutes and is good for "
            "one request. When the check is off, `bits` is 0 and `challenge` is null."
        ),
        responses={
            200: ProofOfWorkChallengeSerializer,
            429: OpenApiResponse(description="Too many challenges asked from this network."),
        },
        auth=[],
        tags=["requests"],
    )
    def get(self, request: Request) -> Response:
        if not proof_of_work.is_on():
            return Response({"challenge": None, "bits": 0})
        limit = settings.INTAKE_RATE_LIMIT_PER_HOUR * CHALLENGES_PER_REQUEST
        if not ratelimit.allow(
            ratelimit.client_key(request, "intake-challenge"), limit, budgets.HOUR
        ):
            raise Throttled(
                wait=ratelimit.retry_after(budgets.HOUR),
                detail="Too many challenges have been asked from your network in the last "
                "hour. Try again later.",
            )
        challenge = proof_of_work.new_challenge()
        response = Response({"challenge": challenge.challenge, "bits": challenge.bits})
        response["Cache-Control"] = "no-store"  # each challenge is good for one request
        return response
