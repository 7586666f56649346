"""``GET /api/v1/reports/summary/``: the reports page's figures, as JSON.

Same scope and same numbers as ``/reports/`` (both call ``dsar.reports.selectors.summary``):
``controller`` (a slug; default all the user may see), and ``from``/``to`` (a custom
range) or ``range`` (this_month, last_quarter, last_12_months; default this month).
A controller the user does not see is a 400 naming it, like the deadline preview.
"""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from dsar import selectors as case_selectors
from dsar.api.fields import RefusalGroundField
from dsar.api.permissions import IsOfficer
from dsar.choices import Channel, RefusalGround, Right, Status

from . import periods
from .conditions import DUE_BUCKETS, EXTENSION_REASONS
from .examples import SUMMARY
from .forms import ReportScopeForm
from .selectors import summary


class SummaryQuerySerializer(serializers.Serializer):
    """The query parameters (documentation; ReportScopeForm validates them)."""

    controller = serializers.CharField(
        required=False, help_text="A controller's slug; default: every controller you see."
    )
    range = serializers.ChoiceField(
        choices=[key for key, _ in periods.RANGE_CHOICES],
        required=False,
        help_text="A named range; ignored when from and to are given. Default this_month.",
    )
    # "from" is a Python keyword: declared below.
    to = serializers.DateField(required=False, help_text="Last day, included (YYYY-MM-DD).")


SummaryQuerySerializer._declared_fields["from"] = serializers.DateField(
    required=False, help_text="First day of a custom range (YYYY-MM-DD)."
)


def _rate() -> serializers.FloatField:
    return serializers.FloatField(
        allow_null=True, min_value=0, max_value=1, help_text="A fraction; null when none."
    )


def _days() -> serializers.FloatField:
    return serializers.FloatField(allow_null=True, help_text="Days; null when none.")


def counted(name: str, key: str, field: serializers.Field) -> type[serializers.Serializer]:
    """One row of a breakdown: its key (a right, a status...), a label and a count."""
    return type(
        name,
        (serializers.Serializer,),
        {key: field, "label": serializers.CharField(), "count": serializers.IntegerField()},
    )


MonthSerializer = counted("MonthCount", "month", serializers.CharField(help_text="YYYY-MM"))
RightCountSerializer = counted("RightCount", "right", serializers.ChoiceField(Right.choices))
ChannelCountSerializer = counted(
    "ChannelCount", "channel", serializers.ChoiceField(Channel.choices)
)
StatusCountSerializer = counted("StatusCount", "status", serializers.ChoiceField(Status.choices))
DueCountSerializer = counted(
    "DueCount", "bucket", serializers.ChoiceField([key for key, _ in DUE_BUCKETS])
)
GroundSerializer = counted("GroundCount", "ground", RefusalGroundField(RefusalGround.choices))


class ReceivedSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    by_month = MonthSerializer(many=True)
    by_right = RightCountSerializer(many=True)
    by_channel = ChannelCountSerializer(many=True)


class TimelinessFiguresSerializer(serializers.Serializer):
    closed = serializers.IntegerField(help_text="Responded (closed or refused) in the range.")
    on_time = serializers.IntegerField()
    late = serializers.IntegerField()
    on_time_rate = _rate()
    median_days = _days()
    p90_days = _days()


class TimelinessRightSerializer(TimelinessFiguresSerializer):
    right = serializers.ChoiceField(choices=Right.choices)
    label = serializers.CharField()


class TimelinessSerializer(TimelinessFiguresSerializer):
    by_right = TimelinessRightSerializer(many=True)


class OpenNowSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    by_status = StatusCountSerializer(many=True)
    by_due = DueCountSerializer(many=True)


class ReasonSerializer(serializers.Serializer):
    reason = serializers.ChoiceField(choices=[key for key, _ in EXTENSION_REASONS])
    label = serializers.CharField()
    count = serializers.IntegerField()
    share = _rate()


class ExtensionsSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="Requests received in the range and extended.")
    rate = _rate()
    by_reason = ReasonSerializer(many=True)


class PausesSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    cases = serializers.IntegerField()
    total_days = serializers.IntegerField(help_text="Both ends of each pause included.")


class RefusalsSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    by_ground = GroundSerializer(many=True)


class WorkloadSerializer(serializers.Serializer):
    officer = serializers.CharField(allow_null=True, help_text="Username; null: unassigned.")
    officer_id = serializers.IntegerField(allow_null=True)
    name = serializers.CharField()
    open = serializers.IntegerField()
    closed = serializers.IntegerField()
    late = serializers.IntegerField()


class SummarySerializer(serializers.Serializer):
    controllers = serializers.ListField(child=serializers.CharField())
    to = serializers.DateField()
    today = serializers.DateField(help_text="Open cases are counted as of this day.")
    received = ReceivedSerializer()
    timeliness = TimelinessSerializer()
    open_now = OpenNowSerializer()
    extensions = ExtensionsSerializer()
    pauses = PausesSerializer()
    refusals = RefusalsSerializer()
    withdrawals = serializers.IntegerField()
    closed_unverified = serializers.IntegerField()
    workload = WorkloadSerializer(many=True)


SummarySerializer._declared_fields["from"] = serializers.DateField()


class ReportSummaryView(APIView):
    permission_classes = [IsOfficer]

    @extend_schema(
        operation_id="reports_summary",
        summary="Report figures for a period",
        description=(
            "The figures of the /reports/ page: requests received by month, right and "
            "channel; responses on time and late with the median and 90th percentile of "
            "days to respond, by right; open cases by status and by how far from due (as "
            "of today); extensions and their reasons, pauses, refusals by ground, "
            "withdrawals, closures as unverified; workload by officer. Aggregates only: no "
            "requester's personal data. Definitions: README, Reports."
        ),
        parameters=[SummaryQuerySerializer],
        responses=SummarySerializer,
        examples=[
            OpenApiExample("One quarter at one controller", value=SUMMARY, response_only=True)
        ],
        tags=["reports"],
    )
    def get(self, request: Request) -> Response:
        controllers = list(case_selectors.controllers_for(request.user))
        form = ReportScopeForm(request.query_params, controllers=controllers)
        if not form.is_valid():
            raise serializers.ValidationError(
                {field: list(errors) for field, errors in form.errors.items()}
            )
        today = timezone.localdate()
        chosen, period = form.scope(today)
        return Response(
            SummarySerializer(summary(controllers=chosen, period=period, today=today)).data
        )
