"""Officer endpoints for cases: list, create, detail, timeline and actions.

Reads go through ``dsar.selectors`` (a case outside the user's controllers is a 404);
every change goes through one ``dsar.services`` function, listed in the table of
:mod:`dsar.actions`.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from dsar import actions, selectors, services
from dsar.filters import CaseFilter
from dsar.models import Case, CaseEvent

from . import serializers as s
from .action_serializers import ActionSerializer
from .permissions import CanActOnCase, IsOfficer


def visible_case(request: Request, reference: str, *, pauses: bool = False) -> Case:
    """The case, or a 404 if the user may not see it (another controller's case is never
    shown to exist). Every app's API endpoints on a case start here."""
    cases = selectors.visible_cases(request.user)
    try:
        return (cases.prefetch_related("pauses") if pauses else cases).get(reference=reference)
    except Case.DoesNotExist:
        raise NotFound("No such case.") from None


def acting_case(request: Request, reference: str) -> Case:
    """A visible case the user may change: auditors get 403."""
    case = visible_case(request, reference)
    if not selectors.can_act(request.user, case.controller):
        raise PermissionDenied(CanActOnCase.message)
    return case


def detail_response(request: Request, reference: str, code: int = status.HTTP_200_OK) -> Response:
    case = visible_case(request, reference, pauses=True)
    return Response(s.CaseDetailSerializer(case, context={"request": request}).data, status=code)


ERRORS = {
    400: OpenApiResponse(description="Invalid input or a refused move: {detail, errors}."),
    403: OpenApiResponse(description="Not signed in as an officer, or read-only role."),
    404: OpenApiResponse(description="No such case visible to you."),
}


class CaseListCreateView(generics.ListCreateAPIView):
    """The queue: open cases by due date unless ``status`` is given; and logging a request."""

    permission_classes = [IsOfficer]
    filterset_class = CaseFilter
    serializer_class = s.CaseListSerializer

    def get_queryset(self) -> QuerySet[Case]:
        cases = selectors.visible_cases(self.request.user).order_by("due_date", "id")
        # A page of rows reads only its columns (a full controller per row costs more
        # than the query).
        return cases.only(*s.CASE_LIST_COLUMNS) if self.request.method == "GET" else cases

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        if self.request.method == "POST":
            return s.CaseCreateSerializer
        return s.CaseListSerializer

    @extend_schema(
        operation_id="cases_list",
        summary="List cases (the queue)",
        description="Visible cases by due date; open ones only unless `status` is given.",
        tags=["cases"],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        operation_id="cases_create",
        summary="Log a request from any channel: post, phone, email, in person, web, a system",
        description=(
            "`received_on` is day one of its clock. The case starts in progress, except a "
            "`web` request forwarded from the controller's own site: that waits, unconfirmed, "
            "for the requester to follow the link emailed to them. With identity checks "
            "configured for the right, a case may start awaiting identity instead."
        ),
        tags=["cases"],
        request=s.CaseCreateSerializer,
        responses={201: s.CaseDetailSerializer, **ERRORS},
    )
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if not selectors.can_act(request.user, data["controller"]):
            raise PermissionDenied(CanActOnCase.message)
        case = services.case_create(
            controller=data["controller"],
            right=data["right"],
            channel=data["channel"],
            fields=serializer.case_fields(),
            received_on=data["received_on"],
            by=request.user,
        )
        response = detail_response(request, case.reference, status.HTTP_201_CREATED)
        response["Location"] = response.data["url"]
        return response


class CaseDetailView(generics.RetrieveAPIView):
    permission_classes = [IsOfficer]
    serializer_class = s.CaseDetailSerializer

    def get_object(self) -> Case:
        return visible_case(self.request, self.kwargs["reference"], pauses=True)

    @extend_schema(
        operation_id="cases_retrieve",
        summary="A case, with its deadline and pauses",
        tags=["cases"],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class CaseEventsView(generics.ListAPIView):
    """The case's audit trail, oldest first."""

    permission_classes = [IsOfficer]
    serializer_class = s.CaseEventSerializer
    filter_backends: list = []

    def get_queryset(self) -> QuerySet[CaseEvent]:
        case = visible_case(self.request, self.kwargs["reference"])
        return CaseEvent.objects.filter(case=case).select_related("actor").order_by("at", "id")

    @extend_schema(
        operation_id="cases_events_list",
        summary="The case's timeline, oldest first",
        tags=["cases"],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


# --- actions -------------------------------------------------------------------------


ACTION_RESPONSES = {
    200: s.CaseDetailSerializer,
    **ERRORS,
    409: OpenApiResponse(description="The case changed since the `version` you sent."),
}


class CaseActionSchema(AutoSchema):
    """One operation per action in the OpenAPI schema, named and summarised from the table."""

    def get_description(self) -> str:
        return (
            "Returns the case as `GET cases/{reference}/` does. Send the `version` you last "
            "read to be refused (409) if someone changed the case since. A move the case's "
            "status does not allow is a 400 with a `detail` saying why."
        )

    def get_operation_id(self) -> str:
        return "cases_" + self.view.action_name.replace("-", "_")

    def get_summary(self) -> str:
        return actions.ACTIONS[self.view.action_name].summary

    def get_tags(self) -> list[str]:
        return ["cases"]


class CaseActionView(generics.GenericAPIView):
    """Routed once per installed action, with ``as_view(action_name=slug)``; who may take
    it is the table's ``may``."""

    permission_classes = [IsOfficer]
    schema = CaseActionSchema()
    action_name = ""

    def get_serializer_class(self) -> type[ActionSerializer]:
        return actions.ACTIONS[self.action_name].serializer

    @extend_schema(responses=ACTION_RESPONSES)
    def post(self, request: Request, reference: str) -> Response:
        action = actions.installed().get(self.action_name)
        if action is None:
            raise NotFound(unknown_action_message(self.action_name))
        case = visible_case(request, reference)
        if not action.may(request.user, case):
            raise PermissionDenied(CanActOnCase.message)
        serializer = action.serializer(
            data=request.data, context={**self.get_serializer_context(), "case": case}
        )
        serializer.is_valid(raise_exception=True)
        arguments = dict(serializer.validated_data)
        version = arguments.pop("version", None)
        action.service(case=case, by=request.user, expected_version=version, **arguments)
        return detail_response(request, reference)


def unknown_action_message(action: str) -> str:
    return f"There is no action “{action}”. Actions: {', '.join(actions.installed())}."


@extend_schema(exclude=True)
class UnknownCaseActionView(APIView):
    """Any other ``cases/<reference>/<word>/``: a JSON 404 listing the actions."""

    permission_classes = [IsOfficer]

    def post(self, request: Request, reference: str, action: str) -> Response:
        raise NotFound(unknown_action_message(action))

    get = post
