"""/settings/<controller>/...: a controller's settings, for its admins."""

from django.urls import path

from . import views

app_name = "settings"

urlpatterns = [
    path("", views.settings_home, name="home"),
    path("<slug:slug>/", views.overview, name="overview"),
    path("<slug:slug>/organisation/", views.organisation, name="organisation"),
    path("<slug:slug>/letterhead/", views.letterhead, name="letterhead"),
    path("<slug:slug>/letterhead/preview/", views.letterhead_preview, name="letterhead_preview"),
    path("<slug:slug>/changes/", views.changes, name="changes"),
]
