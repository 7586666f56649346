"""REST API v1, mounted at /api/v1/ (namespace "api"). Schema: /api/schema/.

Conventions every app's endpoints under /api/v1/ follow (identity.api,
exports.letters.api, exports.data.api):

- Auth: ``Authorization: Token <key>`` for systems; a session with its CSRF token for
  pages. Officers see only the controllers they are granted: anything else is a 404.
  Auditors read; acting is 403 for them.
- Errors: ``{"detail": "<one clear sentence>", "errors": {"<field>": ["..."]}}``;
  ``errors`` only when fields are at fault (see dsar.api.errors).
- Lists: ``{"count", "next", "previous", "results"}``, 50 per page, ``?page=N``;
  filters are allow-listed query parameters.
- Actions: ``POST <resource>/<verb>/`` through one service function each.
- Throttles: per token for officer endpoints (dsar.api.throttles); the intake shares the
  web form's budgets (dsar.abuse.budgets).
"""

from django.urls import path

from dsar import actions
from dsar.webhooks.api import WebhookDeliveryListView, WebhookDetailView, WebhookListCreateView

from .cases import (
    CaseActionView,
    CaseDetailView,
    CaseEventsView,
    CaseListCreateView,
    UnknownCaseActionView,
)
from .controllers import ControllerDetailView, ControllerListCreateView
from .deadlines import DeadlinePreviewView
from .intake import ChallengeView, IntakeView

app_name = "api"

urlpatterns = [
    path("requests/", IntakeView.as_view(), name="request-create"),
    path("requests/challenge/", ChallengeView.as_view(), name="request-challenge"),
    path("cases/", CaseListCreateView.as_view(), name="case-list"),
    path("cases/<str:reference>/", CaseDetailView.as_view(), name="case-detail"),
    path("cases/<str:reference>/events/", CaseEventsView.as_view(), name="case-events"),
    *(
        path(
            f"cases/<str:reference>/{slug}/",
            CaseActionView.as_view(action_name=slug),
            name=f"case-{slug}",
        )
        for slug in actions.installed()
    ),
    path("cases/<str:reference>/<str:action>/", UnknownCaseActionView.as_view()),
    path("deadlines/preview/", DeadlinePreviewView.as_view(), name="deadline-preview"),
    path("controllers/", ControllerListCreateView.as_view(), name="controller-list"),
    path("controllers/<slug:slug>/", ControllerDetailView.as_view(), name="controller-detail"),
    path("webhooks/", WebhookListCreateView.as_view(), name="webhook-list"),
    path("webhooks/<int:pk>/", WebhookDetailView.as_view(), name="webhook-detail"),
    path(
        "webhooks/<int:pk>/deliveries/",
        WebhookDeliveryListView.as_view(),
        name="webhook-deliveries",
    ),
]
