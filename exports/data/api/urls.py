"""REST API for the data map and the subject's data, mounted at /api/v1/ before dsar.api
(whose ``cases/<reference>/<action>/`` would otherwise catch these paths)."""

from django.urls import path

from exports.data.disclosure_api_urls import urlpatterns as disclosure_urls

from . import views

app_name = "exports-api"

case = "cases/<str:reference>/data"
urlpatterns = [
    path("suppression/check/", views.SuppressionCheckView.as_view(), name="suppression-check"),
    path("controllers/<slug:slug>/data-map/", views.DataMapView.as_view(), name="data-map"),
    path(
        "controllers/<slug:slug>/data-map/categories/",
        views.CategoryListView.as_view(),
        name="category-list",
    ),
    path(
        "controllers/<slug:slug>/data-map/categories/<int:pk>/",
        views.CategoryDetailView.as_view(),
        name="category-detail",
    ),
    path(
        "controllers/<slug:slug>/data-map/systems/",
        views.SystemListView.as_view(),
        name="system-list",
    ),
    path(
        "controllers/<slug:slug>/data-map/systems/<int:pk>/",
        views.SystemDetailView.as_view(),
        name="system-detail",
    ),
    path(f"{case}/search/", views.SearchView.as_view(), name="search"),
    path(f"{case}/search/release/", views.SearchReleaseView.as_view(), name="search-release"),
    path(
        f"{case}/search/results/<int:result_id>/upload/",
        views.ManualUploadView.as_view(),
        name="search-upload",
    ),
    path(f"{case}/records/", views.RecordsView.as_view(), name="records"),
    path(f"{case}/exports/", views.ExportListView.as_view(), name="export-list"),
    path(
        f"{case}/exports/<int:document_id>/",
        views.ExportDetailView.as_view(),
        name="export-detail",
    ),
    path(
        f"{case}/exports/<int:document_id>/links/",
        views.ExportLinkView.as_view(),
        name="export-links",
    ),
    path(f"{case}/actions/", views.ActionRunListView.as_view(), name="action-list"),
    path(
        f"{case}/actions/steps/<int:step_id>/done/",
        views.StepDoneView.as_view(),
        name="action-step-done",
    ),
    path(f"{case}/exemptions/", views.ExemptionListView.as_view(), name="exemption-list"),
    path(
        f"{case}/exemptions/<int:exemption_id>/",
        views.ExemptionDetailView.as_view(),
        name="exemption-detail",
    ),
    path(f"{case}/suppress/", views.SuppressView.as_view(), name="suppress"),
    path(f"{case}/objection-decision/", views.ObjectionDecisionView.as_view(), name="objection"),
    # Disclosure review, the bundle and the second pair of eyes (exports.data, issue 14).
    *disclosure_urls,
]
