from django.urls import path

from . import audit_views, views

app_name = "reports"

urlpatterns = [
    path("reports/", views.reports, name="reports"),
    path("audit/", audit_views.audit_log, name="audit"),
    path("audit/export.csv", audit_views.audit_export, name="audit_export"),
    path("cases/<str:reference>/record.pdf", views.case_record, name="case_record"),
]
