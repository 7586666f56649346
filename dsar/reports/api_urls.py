"""The reports' endpoints under /api/v1/ (conventions: dsar.api.urls)."""

from django.urls import path

from .api import ReportSummaryView
from .register_api import RegisterCSVView, RegisterJSONView

app_name = "reports-api"

urlpatterns = [
    path("reports/summary/", ReportSummaryView.as_view(), name="summary"),
    path("reports/register.csv", RegisterCSVView.as_view(), name="register-csv"),
    path("reports/register.json", RegisterJSONView.as_view(), name="register-json"),
]
