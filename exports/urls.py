from django.urls import path

from . import views

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
]
