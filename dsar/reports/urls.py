from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("reports/", views.reports, name="reports"),
    path("cases/<str:reference>/record.pdf", views.case_record, name="case_record"),
]
