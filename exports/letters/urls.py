"""Officer pages of the letters half: compose, preview, download and retry a document;
included in ``exports.urls`` (namespace ``exports``)."""

from django.urls import path

from . import views

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
]
