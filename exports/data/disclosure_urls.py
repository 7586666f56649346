"""Officer pages for disclosure, included in ``exports.urls`` (namespace ``exports``)."""

from django.urls import path

from . import disclosure_views as views

case = "cases/<str:reference>/data"
urlpatterns = [
    path(f"{case}/review/", views.review_page, name="review"),
    path(f"{case}/review/withhold/", views.withhold, name="withhold"),
    path(
        f"{case}/review/withheld/<int:withholding_id>/remove/",
        views.unwithhold,
        name="unwithhold",
    ),
    path(f"{case}/bundle/", views.bundle_page, name="bundle"),
    path(f"{case}/bundle/add/", views.bundle_add, name="bundle_add"),
    path(f"{case}/bundle/redact-everywhere/", views.suggestion_redact, name="suggestion_redact"),
    path(f"{case}/bundle/<int:document_id>/", views.document_page, name="bundle_document"),
    path(f"{case}/bundle/<int:document_id>/remove/", views.bundle_remove, name="bundle_remove"),
    path(
        f"{case}/bundle/<int:document_id>/pages/<int:page>.png",
        views.document_preview,
        name="bundle_preview",
    ),
    path(
        f"{case}/bundle/<int:document_id>/file/<str:which>/",
        views.document_file,
        name="bundle_file",
    ),
    path(f"{case}/bundle/<int:document_id>/marks/", views.mark_add, name="mark_add"),
    path(
        f"{case}/bundle/<int:document_id>/marks/<int:mark_id>/remove/",
        views.mark_remove,
        name="mark_remove",
    ),
    path(f"{case}/bundle/<int:document_id>/redact/", views.redact, name="redact"),
    path(f"{case}/erasure/", views.erasure_page, name="erasure"),
    path(
        f"{case}/approvals/<int:approval_id>/approve/",
        views.approval_approve,
        name="approval_approve",
    ),
    path(
        f"{case}/approvals/<int:approval_id>/withdraw/",
        views.approval_withdraw,
        name="approval_withdraw",
    ),
]
