"""Disclosure endpoints, included in ``exports.data.api.urls`` under cases/<ref>/data/."""

from django.urls import path

from . import disclosure_api as views

case = "cases/<str:reference>/data"
urlpatterns = [
    path(f"{case}/review/", views.ReviewView.as_view(), name="review"),
    path(f"{case}/review/records/", views.ReviewRecordsView.as_view(), name="review-records"),
    path(f"{case}/withholdings/", views.WithholdingListView.as_view(), name="withholding-list"),
    path(
        f"{case}/withholdings/<int:pk>/",
        views.WithholdingDetailView.as_view(),
        name="withholding-detail",
    ),
    path(f"{case}/bundle/", views.BundleListView.as_view(), name="bundle-list"),
    path(f"{case}/bundle/<int:pk>/", views.BundleDetailView.as_view(), name="bundle-detail"),
    path(
        f"{case}/bundle/<int:pk>/redactions/",
        views.RedactionListView.as_view(),
        name="bundle-redactions",
    ),
    path(
        f"{case}/bundle/<int:pk>/redactions/<int:mark_id>/",
        views.RedactionDetailView.as_view(),
        name="bundle-redaction-detail",
    ),
    path(f"{case}/bundle/<int:pk>/jobs/", views.RedactionJobView.as_view(), name="bundle-jobs"),
    path(f"{case}/suggestions/", views.SuggestionListView.as_view(), name="suggestions"),
    path(
        f"{case}/suggestions/redact/",
        views.SuggestionRedactView.as_view(),
        name="suggestions-redact",
    ),
    path(f"{case}/erasure/preview/", views.ErasurePreviewView.as_view(), name="erasure-preview"),
    path(f"{case}/approvals/", views.ApprovalListView.as_view(), name="approval-list"),
    path(
        f"{case}/approvals/<int:pk>/approve/",
        views.ApprovalApproveView.as_view(),
        name="approval-approve",
    ),
    path(
        f"{case}/approvals/<int:pk>/withdraw/",
        views.ApprovalWithdrawView.as_view(),
        name="approval-withdraw",
    ),
]
