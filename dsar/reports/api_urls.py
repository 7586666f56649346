"""The reports' endpoints under /api/v1/ (conventions: dsar.api.urls)."""

from django.urls import path

from .api import ReportSummaryView

app_name = "reports-api"

urlpatterns = [
    path("reports/summary/", ReportSummaryView.as_view(), name="summary"),
]
