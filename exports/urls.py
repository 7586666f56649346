from django.urls import path

from .data import views as data_views
from .data.disclosure_urls import urlpatterns as disclosure_urls
from .letters import views

app_name = "exports"

urlpatterns = [
    path("cases/<str:reference>/letters/<slug:kind>/", views.letter_compose, name="letter"),
    path(
        "cases/<str:reference>/letters/<slug:kind>/preview/",
        views.letter_preview,
        name="letter_preview",
    ),
    path(
        "cases/<str:reference>/documents/<int:pk>/download/",
        views.document_download,
        name="document_download",
    ),
    path(
        "cases/<str:reference>/documents/<int:pk>/retry/",
        views.document_retry,
        name="document_retry",
    ),
    # The subject's data (exports.data): officer actions of the case page's data panel.
    path("cases/<str:reference>/data/search/", data_views.search_start, name="search_start"),
    path(
        "cases/<str:reference>/data/search/<int:collection_id>/release/",
        data_views.search_release,
        name="search_release",
    ),
    path(
        "cases/<str:reference>/data/manual/<int:result_id>/",
        data_views.manual_upload,
        name="manual_upload",
    ),
    path("cases/<str:reference>/data/exports/", data_views.export_create, name="export_create"),
    path(
        "cases/<str:reference>/data/exports/<int:document_id>/links/",
        data_views.link_create,
        name="link_create",
    ),
    path(
        "cases/<str:reference>/data/links/<int:link_id>/revoke/",
        data_views.link_revoke,
        name="link_revoke",
    ),
    path("cases/<str:reference>/data/exemptions/", data_views.exemption_add, name="exemption_add"),
    path(
        "cases/<str:reference>/data/exemptions/<int:exemption_id>/remove/",
        data_views.exemption_remove,
        name="exemption_remove",
    ),
    path("cases/<str:reference>/data/run/", data_views.run_start, name="run_start"),
    path(
        "cases/<str:reference>/data/steps/<int:step_id>/done/",
        data_views.step_done,
        name="step_done",
    ),
    path("cases/<str:reference>/data/suppress/", data_views.suppress, name="suppress"),
    path(
        "cases/<str:reference>/data/objection/",
        data_views.objection_decide,
        name="objection_decide",
    ),
    # Disclosure (exports.data, issue 14): review, the bundle, erasure with care, approvals.
    *disclosure_urls,
    # The requester's (or the recipient organisation's) download: the signed link is the key.
    path("download/<str:token>/", data_views.download, name="download"),
]
