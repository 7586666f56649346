"""REST API for the data map and the subject's data, mounted at /api/v1/ before dsar.api
(whose ``cases/<reference>/<action>/`` would otherwise catch these paths)."""

from django.urls import path

from . import disclosure_views, views

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
    path(f"{case}/review/", disclosure_views.ReviewView.as_view(), name="review"),
    path(
        f"{case}/review/records/",
        disclosure_views.ReviewRecordsView.as_view(),
        name="review-records",
    ),
    path(
        f"{case}/withholdings/",
        disclosure_views.WithholdingListView.as_view(),
        name="withholding-list",
    ),
    path(
        f"{case}/withholdings/<int:pk>/",
        disclosure_views.WithholdingDetailView.as_view(),
        name="withholding-detail",
    ),
    path(f"{case}/bundle/", disclosure_views.BundleListView.as_view(), name="bundle-list"),
    path(
        f"{case}/bundle/<int:pk>/",
        disclosure_views.BundleDetailView.as_view(),
        name="bundle-detail",
    ),
    path(
        f"{case}/bundle/<int:pk>/redactions/",
        disclosure_views.RedactionListView.as_view(),
        name="bundle-redactions",
    ),
    path(
        f"{case}/bundle/<int:pk>/redactions/<int:mark_id>/",
        disclosure_views.RedactionDetailView.as_view(),
        name="bundle-redaction-detail",
    ),
    path(
        f"{case}/bundle/<int:pk>/jobs/",
        disclosure_views.RedactionJobView.as_view(),
        name="bundle-jobs",
    ),
    path(f"{case}/suggestions/", disclosure_views.SuggestionListView.as_view(), name="suggestions"),
    path(
        f"{case}/suggestions/redact/",
        disclosure_views.SuggestionRedactView.as_view(),
        name="suggestions-redact",
    ),
    path(
        f"{case}/erasure/preview/",
        disclosure_views.ErasurePreviewView.as_view(),
        name="erasure-preview",
    ),
    path(f"{case}/approvals/", disclosure_views.ApprovalListView.as_view(), name="approval-list"),
    path(
        f"{case}/approvals/<int:pk>/approve/",
        disclosure_views.ApprovalApproveView.as_view(),
        name="approval-approve",
    ),
    path(
        f"{case}/approvals/<int:pk>/withdraw/",
        disclosure_views.ApprovalWithdrawView.as_view(),
        name="approval-withdraw",
    ),
]
