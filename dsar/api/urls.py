"""REST API v1, mounted at /api/v1/ (namespace "api"). Schema: /api/schema/."""

from django.urls import path

from .cases import (
    ACTIONS,
    CaseActionView,
    CaseDetailView,
    CaseEventsView,
    CaseListCreateView,
    UnknownCaseActionView,
)
from .deadlines import DeadlinePreviewView
from .intake import IntakeView

app_name = "api"

urlpatterns = [
    path("requests/", IntakeView.as_view(), name="request-create"),
    path("cases/", CaseListCreateView.as_view(), name="case-list"),
    path("cases/<str:reference>/", CaseDetailView.as_view(), name="case-detail"),
    path("cases/<str:reference>/events/", CaseEventsView.as_view(), name="case-events"),
    *(
        path(
            f"cases/<str:reference>/{slug}/",
            CaseActionView.as_view(action_name=slug),
            name=f"case-{slug}",
        )
        for slug in ACTIONS
    ),
    path("cases/<str:reference>/<str:action>/", UnknownCaseActionView.as_view()),
    path("deadlines/preview/", DeadlinePreviewView.as_view(), name="deadline-preview"),
]
