"""REST endpoints for the data map, searches, exports, actions and the suppression list.

Conventions as in ``dsar.api``: token or session auth; a case or controller outside the
user's memberships is a 404; auditors read but get 403 on every change; controller admins
(Membership role admin) alone edit the data map; errors are ``{detail, errors}``; lists
are paginated as ``{count, next, previous, results}``. Every change goes through one
service of ``exports.data``.
"""

from __future__ import annotations

import json
from itertools import islice
from typing import Any

from django.core.files.storage import default_storage
from django.db.models import Prefetch, QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import NotFound
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from dsar import selectors
from dsar.api.cases import acting_case, visible_case
from dsar.api.permissions import IsOfficer
from dsar.configuration import datamap
from dsar.models import Case, Controller
from exports.data import manual
from exports.data.models import (
    ActionRun,
    ActionStep,
    Collection,
    DataCategory,
    DataMapSettings,
    DataSystem,
    DownloadLink,
    Exemption,
    Export,
    SourceResult,
)
from exports.data.selectors import latest_collection
from exports.data.services import actions, collection, delivery, exporting, suppression
from exports.data.services.approval_actions import release_or_prepare

from . import serializers as s
from .disclosure_serializers import ApprovalSerializer

ERRORS = {
    400: OpenApiResponse(description="Invalid input or a refused action: {detail, errors}."),
    403: OpenApiResponse(description="Not an officer, or a read-only role for this."),
    404: OpenApiResponse(description="Nothing of that name visible to you."),
}
READ_ERRORS = {403: ERRORS[403], 404: ERRORS[404]}
CASE_TAG = ["case data"]
MAP_TAG = ["data map"]


def visible_controller(request: Request, slug: str) -> Controller:
    controller = selectors.controllers_for(request.user).filter(slug=slug).first()
    if controller is None:
        raise NotFound("No such controller.")
    return controller


class MapWritePermission(BasePermission):
    """Anyone who sees the controller reads its map; only its admins change it."""

    message = "Only an administrator of this controller can change its data map."

    def has_permission(self, request: Request, view: APIView) -> bool:
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return True
        controller = visible_controller(request, view.kwargs["slug"])
        return selectors.is_controller_admin(request.user, controller)


# --- suppression ---------------------------------------------------------------------------


class SuppressionCheckView(APIView):
    permission_classes = [IsOfficer]

    @extend_schema(
        operation_id="suppression_check",
        summary="Should this person get no marketing?",
        description="Checks the email and/or phone against the marketing suppression list "
        "(keyed hashes, never the values) of one controller (`controller`) or every "
        "controller you belong to. Call it before any direct marketing.",
        tags=["suppression"],
        parameters=[s.SuppressionCheckQuerySerializer],
        responses={200: s.SuppressionCheckSerializer, **ERRORS},
    )
    def get(self, request: Request) -> Response:
        return self._check(request, request.query_params)

    @extend_schema(
        operation_id="suppression_check_post",
        summary="Should this person get no marketing? (address in the body)",
        description="The same check with the email and phone in a JSON body, so they never "
        "appear in a URL, and so never in an access log or a proxy's. Prefer it to GET.",
        tags=["suppression"],
        request=s.SuppressionCheckQuerySerializer,
        responses={200: s.SuppressionCheckSerializer, **ERRORS},
    )
    def post(self, request: Request) -> Response:
        return self._check(request, request.data)

    def _check(self, request: Request, data: Any) -> Response:
        query = s.SuppressionCheckQuerySerializer(data=data)
        query.is_valid(raise_exception=True)
        controllers = selectors.controllers_for(request.user)
        if slug := query.validated_data.get("controller"):
            controllers = controllers.filter(slug=slug)
            if not controllers.exists():
                raise NotFound("No such controller.")
        controllers = list(controllers.order_by("slug"))
        suppress = suppression.is_suppressed(
            controllers,
            email=query.validated_data.get("email", ""),
            phone=query.validated_data.get("phone", ""),
        )
        return Response({"suppress": suppress, "controllers": [c.slug for c in controllers]})


# --- the data map --------------------------------------------------------------------------


def _categories(controller: Controller) -> QuerySet[DataCategory]:
    return DataCategory.objects.filter(controller=controller).prefetch_related(
        "purposes", "systems"
    )


class DataMapView(APIView):
    permission_classes = [IsOfficer, MapWritePermission]

    def _body(self, controller: Controller) -> dict[str, Any]:
        statements = DataMapSettings.objects.filter(controller=controller).first()
        context = {"controller": controller}
        return {
            "controller": controller.slug,
            "automated_decisions": statements.automated_decisions if statements else "",
            "transfers": statements.transfers if statements else "",
            "systems": s.DataSystemSerializer(
                DataSystem.objects.filter(controller=controller), many=True, context=context
            ).data,
            "categories": s.DataCategorySerializer(
                _categories(controller), many=True, context=context
            ).data,
        }

    @extend_schema(
        operation_id="data_map_retrieve",
        summary="A controller's data map",
        description="Systems, and per category its purposes with lawful bases, recipients, "
        "retention, source, and whether provided by the person and processed by automated "
        "means (in scope for portability).",
        tags=MAP_TAG,
        responses={200: s.DataMapSerializer, **READ_ERRORS},
    )
    def get(self, request: Request, slug: str) -> Response:
        return Response(self._body(visible_controller(request, slug)))

    @extend_schema(
        operation_id="data_map_statements_update",
        summary="Change the statements on automated decisions and transfers",
        tags=MAP_TAG,
        request=s.DataMapStatementsSerializer,
        responses={200: s.DataMapSerializer, **ERRORS},
    )
    def patch(self, request: Request, slug: str) -> Response:
        controller = visible_controller(request, slug)
        current = DataMapSettings.objects.filter(controller=controller).first()
        serializer = s.DataMapStatementsSerializer(current, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        values = {**s.DataMapStatementsSerializer(current).data, **serializer.validated_data}
        datamap.statements_save(controller=controller, by=request.user, values=values)
        return Response(self._body(controller))


class _MapItems:
    """Shared by the category and system endpoints: the controller, its objects."""

    permission_classes = [IsOfficer, MapWritePermission]
    filter_backends: list = []
    model: Any = None

    def controller(self) -> Controller:
        if not hasattr(self, "_controller"):
            self._controller = visible_controller(self.request, self.kwargs["slug"])
        return self._controller

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "controller": self.controller()}

    # Each write goes through the settings pages' own service, which records the change.
    def save_item(self, data: dict[str, Any], instance: Any) -> Any:
        raise NotImplementedError

    def delete_item(self, instance: Any) -> None:
        raise NotImplementedError

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = self.save_item(serializer.validated_data, None)

    def perform_update(self, serializer: Any) -> None:
        serializer.instance = self.save_item(serializer.validated_data, serializer.instance)

    def perform_destroy(self, instance: Any) -> None:
        self.delete_item(instance)


class _CategoryWrites(_MapItems):
    def save_item(self, data: dict[str, Any], instance: Any) -> Any:
        """A PATCH without ``systems`` or ``purposes`` keeps the category's own."""
        keep = instance is not None
        purposes = data.get("purposes")
        if purposes is None:
            purposes = list(instance.purposes.values(*datamap.PURPOSE_FIELDS)) if keep else []
        systems = data.get("systems")
        if systems is None:
            systems = list(instance.systems.all()) if keep else []
        return datamap.category_save(
            controller=self.controller(),
            by=self.request.user,
            values={k: v for k, v in data.items() if k in datamap.CATEGORY_FIELDS},
            systems=systems,
            purposes=[dict(p) for p in purposes],
            category=instance,
        )

    def delete_item(self, instance: Any) -> None:
        datamap.category_delete(
            controller=self.controller(), by=self.request.user, category=instance
        )


class _SystemWrites(_MapItems):
    def save_item(self, data: dict[str, Any], instance: Any) -> Any:
        return datamap.system_save(
            controller=self.controller(), by=self.request.user, values=data, system=instance
        )

    def delete_item(self, instance: Any) -> None:
        datamap.system_delete(controller=self.controller(), by=self.request.user, system=instance)


class CategoryListView(_CategoryWrites, generics.ListCreateAPIView):
    serializer_class = s.DataCategorySerializer

    def get_queryset(self) -> QuerySet[DataCategory]:
        return _categories(self.controller())

    @extend_schema(operation_id="data_map_categories_list", summary="Categories", tags=MAP_TAG)
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        operation_id="data_map_categories_create",
        summary="Add a category (controller admins)",
        tags=MAP_TAG,
        responses={201: s.DataCategorySerializer, **ERRORS},
    )
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().post(request, *args, **kwargs)


class CategoryDetailView(_CategoryWrites, generics.RetrieveUpdateDestroyAPIView):
    serializer_class = s.DataCategorySerializer
    http_method_names = ["get", "patch", "delete", "head", "options"]

    def get_queryset(self) -> QuerySet[DataCategory]:
        return _categories(self.controller())

    @extend_schema(operation_id="data_map_categories_retrieve", summary="A category", tags=MAP_TAG)
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        operation_id="data_map_categories_update",
        summary="Change a category (controller admins)",
        tags=MAP_TAG,
        responses={200: s.DataCategorySerializer, **ERRORS},
    )
    def patch(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().patch(request, *args, **kwargs)

    @extend_schema(
        operation_id="data_map_categories_destroy",
        summary="Remove a category no source uses (controller admins)",
        tags=MAP_TAG,
        responses={204: None, **ERRORS},
    )
    def delete(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().delete(request, *args, **kwargs)


class SystemListView(_SystemWrites, generics.ListCreateAPIView):
    serializer_class = s.DataSystemSerializer

    def get_queryset(self) -> QuerySet[DataSystem]:
        return DataSystem.objects.filter(controller=self.controller())

    @extend_schema(operation_id="data_map_systems_list", summary="Systems", tags=MAP_TAG)
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        operation_id="data_map_systems_create",
        summary="Add a system (controller admins)",
        tags=MAP_TAG,
        responses={201: s.DataSystemSerializer, **ERRORS},
    )
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().post(request, *args, **kwargs)


class SystemDetailView(_SystemWrites, generics.RetrieveUpdateDestroyAPIView):
    serializer_class = s.DataSystemSerializer
    http_method_names = ["get", "patch", "delete", "head", "options"]

    def get_queryset(self) -> QuerySet[DataSystem]:
        return DataSystem.objects.filter(controller=self.controller())

    @extend_schema(operation_id="data_map_systems_retrieve", summary="A system", tags=MAP_TAG)
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        operation_id="data_map_systems_update",
        summary="Change a system (controller admins)",
        tags=MAP_TAG,
        responses={200: s.DataSystemSerializer, **ERRORS},
    )
    def patch(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().patch(request, *args, **kwargs)

    @extend_schema(
        operation_id="data_map_systems_destroy",
        summary="Remove a system (controller admins)",
        tags=MAP_TAG,
        responses={204: None, **ERRORS},
    )
    def delete(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().delete(request, *args, **kwargs)


# --- searching for the subject's data --------------------------------------------------------


def _collection_response(found: Collection, code: int = status.HTTP_200_OK) -> Response:
    found = Collection.objects.prefetch_related(
        Prefetch("results", queryset=SourceResult.objects.select_related("source"))
    ).get(pk=found.pk)
    return Response(s.CollectionSerializer(found).data, status=code)


class SearchView(APIView):
    permission_classes = [IsOfficer]

    @extend_schema(
        operation_id="case_data_search_retrieve",
        summary="The latest search: per source, records found or the error",
        tags=CASE_TAG,
        responses={200: s.CollectionSerializer, **READ_ERRORS},
    )
    def get(self, request: Request, reference: str) -> Response:
        found = latest_collection(visible_case(request, reference))
        if found is None:
            raise NotFound("The data has not been searched for yet.")
        return _collection_response(found)

    @extend_schema(
        operation_id="case_data_search_start",
        summary="Search every active source (one Celery task per SQL source)",
        description="Manual sources wait for an officer's upload on the case page.",
        tags=CASE_TAG,
        request=None,
        responses={201: s.CollectionSerializer, **ERRORS},
    )
    def post(self, request: Request, reference: str) -> Response:
        case = acting_case(request, reference)
        return _collection_response(
            collection.collection_start(case=case, by=request.user), status.HTTP_201_CREATED
        )


class SearchReleaseView(APIView):
    permission_classes = [IsOfficer]

    @extend_schema(
        operation_id="case_data_search_release",
        summary="Release the reviewed search, so exports can be made",
        description="Refused while a source is still searching; a `note` is needed when a "
        "source failed. Where the controller asks for a second officer, the release is "
        "prepared instead (202) and happens when another officer approves it.",
        tags=CASE_TAG,
        request=s.NoteSerializer,
        responses={200: s.CollectionSerializer, 202: ApprovalSerializer, **ERRORS},
    )
    def post(self, request: Request, reference: str) -> Response:
        case = acting_case(request, reference)
        found = latest_collection(case)
        if found is None:
            raise NotFound("The data has not been searched for yet.")
        body = s.NoteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        # Where a second officer must approve, the release is prepared (202, the approval).
        prepared = release_or_prepare(
            collection=found, by=request.user, note=body.validated_data["note"]
        )
        if prepared is not None:
            return Response(ApprovalSerializer(prepared).data, status=status.HTTP_202_ACCEPTED)
        return _collection_response(found)


class ManualUploadView(APIView):
    """An officer's findings for a manual source, as on the case page."""

    permission_classes = [IsOfficer]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        operation_id="case_data_search_upload",
        summary="Upload what was found by hand in a manual source (multipart: file, "
        "category, note)",
        description="A CSV (UTF-8, a header row, every row as long as it) for `category`, or "
        "JSON: a list of records for `category`, or an object of lists keyed by category. "
        "Checked before anything is kept. No `file` records that nothing was found, and "
        "then `note` (where you looked) is required. Only for manual sources, and not once "
        "the search is released.",
        tags=CASE_TAG,
        request={"multipart/form-data": s.ManualUploadSerializer},
        responses={200: s.CollectionSerializer, **ERRORS},
    )
    def post(self, request: Request, reference: str, result_id: int) -> Response:
        case = acting_case(request, reference)
        result = (
            SourceResult.objects.filter(pk=result_id, collection__case=case)
            .select_related("collection__case__controller", "source")
            .first()
        )
        if result is None:
            raise NotFound("No such source result on this case.")
        body = s.ManualUploadSerializer(data=request.data, context={"case": case})
        body.is_valid(raise_exception=True)
        upload = body.validated_data.get("file")
        try:
            collection.manual_upload(
                result=result,
                by=request.user,
                handle=upload.file if upload else None,
                filename=upload.name if upload else "",
                size=upload.size if upload else 0,
                category=body.validated_data["category"] or None,
                note=body.validated_data["note"],
            )
        except manual.UploadRejected as exc:
            raise s.serializers.ValidationError({"file": [exc.message]}) from None
        return _collection_response(result.collection)


class _Records:
    """The records of a search, read lazily from its files for the paginator."""

    def __init__(self, parts: list[tuple[SourceResult, str, str, int]]) -> None:
        self.parts = parts

    def count(self) -> int:
        return sum(n for *_, n in self.parts)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[dict[str, Any]]:
        start, stop = index.start or 0, index.stop
        out: list[dict[str, Any]] = []
        offset = 0
        for result, category, name, n in self.parts:
            if offset + n <= start:
                offset += n
                continue
            skip = max(start - offset, 0)
            take = stop - max(start, offset)
            with default_storage.open(name, "rb") as handle:
                for line in islice(handle, skip, skip + take):
                    out.append(
                        {
                            "source": result.source_name,
                            "category": category,
                            "record": json.loads(line),
                        }
                    )
            offset += n
            if offset >= stop:
                break
        return out


class RecordsView(generics.ListAPIView):
    """The records found, to review before release."""

    permission_classes = [IsOfficer]
    serializer_class = s.RecordSerializer
    filter_backends: list = []

    def get_queryset(self) -> Any:
        case = visible_case(self.request, self.kwargs["reference"])
        found = latest_collection(case)
        if found is None:
            raise NotFound("The data has not been searched for yet.")
        source = self.request.query_params.get("source")
        category = self.request.query_params.get("category")
        parts = []
        for result in found.results.filter(status=SourceResult.Status.DONE).order_by("id"):
            if source and result.source_name != source:
                continue
            for name, path in (result.files or {}).items():
                if category and name != category:
                    continue
                parts.append((result, name, path, int(result.counts.get(name, 0))))
        return _Records(parts)

    @extend_schema(
        operation_id="case_data_records_list",
        summary="The records found by the latest search",
        tags=CASE_TAG,
        parameters=[
            OpenApiParameter("source", OpenApiTypes.STR, description="Only this source."),
            OpenApiParameter("category", OpenApiTypes.STR, description="Only this category."),
        ],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


# --- exports and links -------------------------------------------------------------------


def _exports(case: Case) -> QuerySet[Export]:
    return (
        Export.objects.filter(document__case=case)
        .select_related("document")
        .prefetch_related("document__download_links")
        .order_by("-document__produced_at", "-document_id")
    )


class ExportListView(generics.ListAPIView):
    permission_classes = [IsOfficer]
    serializer_class = s.ExportSerializer
    filter_backends: list = []

    def get_queryset(self) -> QuerySet[Export]:
        return _exports(visible_case(self.request, self.kwargs["reference"]))

    @extend_schema(
        operation_id="case_data_exports_list", summary="Exports made for the case", tags=CASE_TAG
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        operation_id="case_data_exports_create",
        summary="Make an export (ZIP: data.json, a CSV per category, manifest.json)",
        description="From the released search. `portability` holds only categories provided "
        "by the person and processed by automated means; `access` holds everything found. "
        "The ZIP is made by a Celery task: poll the export until `status` is `ready`.",
        tags=CASE_TAG,
        request=s.ExportCreateSerializer,
        responses={201: s.ExportSerializer, **ERRORS},
    )
    def post(self, request: Request, reference: str) -> Response:
        case = acting_case(request, reference)
        body = s.ExportCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        export = exporting.export_create(
            case=case, purpose=body.validated_data["purpose"], by=request.user
        )
        export = _exports(case).get(pk=export.pk)
        return Response(s.ExportSerializer(export).data, status=status.HTTP_201_CREATED)


def _export(case: Case, document_id: int) -> Export:
    try:
        return _exports(case).get(document_id=document_id)
    except Export.DoesNotExist:
        raise NotFound("No such export on this case.") from None


class ExportDetailView(APIView):
    permission_classes = [IsOfficer]

    @extend_schema(
        operation_id="case_data_exports_retrieve",
        summary="An export: status, SHA-256, manifest and download links",
        tags=CASE_TAG,
        responses={200: s.ExportSerializer, **READ_ERRORS},
    )
    def get(self, request: Request, reference: str, document_id: int) -> Response:
        export = _export(visible_case(request, reference), document_id)
        return Response(s.ExportSerializer(export).data)


class ExportLinkView(APIView):
    permission_classes = [IsOfficer]

    @extend_schema(
        operation_id="case_data_exports_link_create",
        summary="Email an expiring download link (requester, or Art 20(2) recipient)",
        description="Each download through the link is recorded on the case.",
        tags=CASE_TAG,
        request=s.LinkCreateSerializer,
        responses={201: s.DownloadLinkSerializer, **ERRORS},
    )
    def post(self, request: Request, reference: str, document_id: int) -> Response:
        case = acting_case(request, reference)
        export = _export(case, document_id)
        body = s.LinkCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        link = delivery.download_link_create(
            document=export.document,
            by=request.user,
            audience=body.validated_data["audience"],
            days=body.validated_data.get("days"),
            recipient_email=body.validated_data["recipient_email"],
        )
        link = DownloadLink.objects.get(pk=link.pk)
        return Response(s.DownloadLinkSerializer(link).data, status=status.HTTP_201_CREATED)


# --- erasure, rectification, restriction -------------------------------------------------------


class ActionRunListView(generics.ListAPIView):
    permission_classes = [IsOfficer]
    serializer_class = s.ActionRunSerializer
    filter_backends: list = []

    def get_queryset(self) -> QuerySet[ActionRun]:
        case = visible_case(self.request, self.kwargs["reference"])
        return case.action_runs.prefetch_related("steps").order_by("-started_at", "-id")

    @extend_schema(
        operation_id="case_data_actions_list",
        summary="Erasure, rectification or restriction runs: rows per source, Art 19",
        tags=CASE_TAG,
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        operation_id="case_data_actions_create",
        summary="Carry out the case's erasure, rectification or restriction in every source",
        description="Statements run by a Celery task in the configured order; manual tasks "
        "wait to be ticked off; categories with an exemption are kept. An erasure needs a "
        "completed search and `confirmation` (the subject's name); where the controller asks "
        "for a second officer, prepare it under approvals/ instead.",
        tags=CASE_TAG,
        request=s.ActionRunCreateSerializer,
        responses={201: s.ActionRunSerializer, **ERRORS},
    )
    def post(self, request: Request, reference: str) -> Response:
        case = acting_case(request, reference)
        body = s.ActionRunCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        run = actions.action_run_start(
            case=case,
            by=request.user,
            values=body.validated_data["values"],
            recipients_to_tell=body.validated_data["recipients_to_tell"],
            confirmation=body.validated_data["confirmation"],
        )
        run = ActionRun.objects.prefetch_related("steps").get(pk=run.pk)
        return Response(s.ActionRunSerializer(run).data, status=status.HTTP_201_CREATED)


class StepDoneView(APIView):
    permission_classes = [IsOfficer]

    @extend_schema(
        operation_id="case_data_actions_step_done",
        summary="Tick off a manual task (or a failed step done by hand)",
        tags=CASE_TAG,
        request=s.StepDoneSerializer,
        responses={200: s.ActionStepSerializer, **ERRORS},
    )
    def post(self, request: Request, reference: str, step_id: int) -> Response:
        case = acting_case(request, reference)
        step = ActionStep.objects.filter(pk=step_id, run__case=case).first()
        if step is None:
            raise NotFound("No such step on this case.")
        body = s.StepDoneSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        step = actions.action_step_complete(
            step=step,
            by=request.user,
            note=body.validated_data["note"],
            rows_affected=body.validated_data.get("rows_affected"),
        )
        return Response(s.ActionStepSerializer(step).data)


class ExemptionListView(generics.ListAPIView):
    permission_classes = [IsOfficer]
    serializer_class = s.ExemptionSerializer
    filter_backends: list = []

    def get_queryset(self) -> QuerySet[Exemption]:
        case = visible_case(self.request, self.kwargs["reference"])
        return case.exemptions.select_related("category")

    @extend_schema(
        operation_id="case_data_exemptions_list", summary="Exemptions on the case", tags=CASE_TAG
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        operation_id="case_data_exemptions_create",
        summary="Keep a category, with the reason (legal obligation, legal claims...)",
        tags=CASE_TAG,
        request=s.ExemptionSerializer,
        responses={201: s.ExemptionSerializer, **ERRORS},
    )
    def post(self, request: Request, reference: str) -> Response:
        case = acting_case(request, reference)
        body = s.ExemptionSerializer(data=request.data, context={"case": case})
        body.is_valid(raise_exception=True)
        exemption = actions.exemption_add(case=case, by=request.user, **body.validated_data)
        return Response(s.ExemptionSerializer(exemption).data, status=status.HTTP_201_CREATED)


class ExemptionDetailView(APIView):
    permission_classes = [IsOfficer]

    @extend_schema(
        operation_id="case_data_exemptions_destroy",
        summary="Remove an exemption",
        tags=CASE_TAG,
        responses={204: None, **ERRORS},
    )
    def delete(self, request: Request, reference: str, exemption_id: int) -> Response:
        case = acting_case(request, reference)
        exemption = Exemption.objects.filter(pk=exemption_id, case=case).first()
        if exemption is None:
            raise NotFound("No such exemption on this case.")
        actions.exemption_remove(exemption=exemption, by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- objections ------------------------------------------------------------------------------


class SuppressView(APIView):
    permission_classes = [IsOfficer]

    @extend_schema(
        operation_id="case_data_suppress",
        summary="Objection to direct marketing: add the subject to the suppression list",
        tags=CASE_TAG,
        request=None,
        responses={200: s.SuppressionAddedSerializer, **ERRORS},
    )
    def post(self, request: Request, reference: str) -> Response:
        case = acting_case(request, reference)
        entries = suppression.suppression_add_for_case(case=case, by=request.user)
        return Response({"suppressed": len(entries), "kinds": sorted({e.kind for e in entries})})


class ObjectionDecisionView(APIView):
    permission_classes = [IsOfficer]

    @extend_schema(
        operation_id="case_data_objection_decide",
        summary="Decide an objection other than to direct marketing, with reasons",
        tags=CASE_TAG,
        request=s.ObjectionDecisionSerializer,
        responses={201: s.ObjectionDecisionSerializer, **ERRORS},
    )
    def post(self, request: Request, reference: str) -> Response:
        case = acting_case(request, reference)
        body = s.ObjectionDecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        made = suppression.objection_decide(
            case=case,
            by=request.user,
            decision=body.validated_data["decision"],
            reasons=body.validated_data["reasons"],
            processing=body.validated_data.get("processing", ""),
        )
        return Response(s.ObjectionDecisionSerializer(made).data, status=status.HTTP_201_CREATED)
