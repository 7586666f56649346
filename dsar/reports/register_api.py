"""``GET /api/v1/reports/register.csv`` and ``.json``: the register, streamed.

Scope as the summary (``controller``, ``range`` or ``from``/``to``; dsar.reports.forms).
``personal=true`` adds names and emails: only for admins of every controller in scope
(403 otherwise), and logged as a ``register_personal`` read (dsar.reports.models). The
reports page links here, so its download is the same code.
"""

from __future__ import annotations

from django.db import transaction
from django.http import StreamingHttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.views import APIView

from dsar import selectors as case_selectors
from dsar.api.permissions import IsOfficer
from dsar.selectors import is_controller_admin

from . import register
from .access import record_access
from .api import SummaryQuerySerializer
from .examples import REGISTER
from .forms import ReportScopeForm
from .models import AccessKind

PERSONAL_REFUSED = (
    "Only a controller's admins may download the register with personal data; "
    "leave out personal=true for the register without it."
)


class RegisterQuerySerializer(SummaryQuerySerializer):
    personal = serializers.BooleanField(
        default=False,
        help_text="Add names, emails and the reasons as written (controller admins only; "
        "each download is logged).",
    )


class RegisterRowSerializer(serializers.Serializer):
    """One case; null where a purged case no longer says."""

    reference = serializers.CharField()
    controller = serializers.CharField()
    right = serializers.CharField()
    channel = serializers.CharField(allow_null=True)
    status = serializers.CharField()
    received_on = serializers.DateField()
    clock_started_on = serializers.DateField(allow_null=True)
    original_due_date = serializers.DateField(allow_null=True)
    due_date = serializers.DateField(allow_null=True)
    extended = serializers.BooleanField(allow_null=True)
    extension_reason = serializers.CharField(
        allow_null=True, allow_blank=True, help_text="complex, numerous, both, other or blank"
    )
    paused_days = serializers.IntegerField(allow_null=True)
    outcome = serializers.CharField(allow_blank=True)
    refusal_ground = serializers.CharField(allow_null=True, allow_blank=True)
    closed_on = serializers.DateField(allow_null=True)
    on_time = serializers.BooleanField(allow_null=True, help_text="null: not answered (yet)")
    purged = serializers.BooleanField()


class RegisterSerializer(serializers.Serializer):
    controllers = serializers.ListField(child=serializers.CharField())
    to = serializers.DateField()
    personal = serializers.BooleanField()
    columns = serializers.ListField(child=serializers.CharField())
    cases = RegisterRowSerializer(many=True)


RegisterSerializer._declared_fields["from"] = serializers.DateField()


class RegisterView(APIView):
    permission_classes = [IsOfficer]
    fmt = "csv"

    def perform_content_negotiation(self, request: Request, force: bool = False):
        # The body is the file whatever Accept says; errors are JSON.
        return super().perform_content_negotiation(request, force=True)

    def get(self, request: Request) -> StreamingHttpResponse:
        controllers = list(case_selectors.controllers_for(request.user))
        form = ReportScopeForm(request.query_params, controllers=controllers)
        query = RegisterQuerySerializer(data=request.query_params)
        form_valid, query_valid = form.is_valid(), query.is_valid()
        if not (form_valid and query_valid):
            errors = {field: list(e) for field, e in form.errors.items()}
            raise serializers.ValidationError({**errors, **query.errors})
        personal = query.validated_data["personal"]
        today = timezone.localdate()
        chosen, period = form.scope(today)
        if personal and not all(is_controller_admin(request.user, ctrl) for ctrl in chosen):
            raise PermissionDenied(PERSONAL_REFUSED)
        what = f"Register {period.start} to {period.end} ({self.fmt.upper()})"
        with transaction.atomic():
            for ctrl in chosen:
                kind = AccessKind.REGISTER_PERSONAL if personal else AccessKind.REGISTER
                record_access(user=request.user, kind=kind, controller=ctrl, what=what)
        rows = register.case_rows(chosen, period, today, personal=personal)
        if self.fmt == "csv":
            body = register.as_csv(rows, personal)
            content_type = "text/csv; charset=utf-8"
        else:
            meta = {
                "controllers": [ctrl.slug for ctrl in chosen],
                "from": period.start.isoformat(),
                "to": period.end.isoformat(),
            }
            body = register.as_json(rows, meta, personal)
            content_type = "application/json"
        scope = form.cleaned_data.get("controller") or "all"
        name = f"register-{scope}-{period.start}-{period.end}{'-personal' if personal else ''}"
        response = StreamingHttpResponse(body, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{name}.{self.fmt}"'
        response["Cache-Control"] = "no-store"
        return response


DESCRIPTION = (
    "Every request received in the range at the controllers in scope, one row per case, "
    "oldest first, then cases deleted after their retention period (purged=true, dates and "
    "status only). Streamed. No personal data unless personal=true (controller admins only, "
    "logged)."
)


class RegisterCSVView(RegisterView):
    fmt = "csv"

    @extend_schema(
        operation_id="reports_register_csv",
        summary="The register as CSV",
        description=DESCRIPTION + " Cells that a spreadsheet would run as a formula start with '.",
        parameters=[RegisterQuerySerializer],
        responses={
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.BINARY, description="The CSV file.")
        },
        tags=["reports"],
    )
    def get(self, request: Request) -> StreamingHttpResponse:
        return super().get(request)


class RegisterJSONView(RegisterView):
    fmt = "json"

    @extend_schema(
        operation_id="reports_register_json",
        summary="The register as JSON",
        description=DESCRIPTION,
        parameters=[RegisterQuerySerializer],
        responses=RegisterSerializer,
        examples=[OpenApiExample("One quarter", value=REGISTER, response_only=True)],
        tags=["reports"],
    )
    def get(self, request: Request) -> StreamingHttpResponse:
        return super().get(request)
