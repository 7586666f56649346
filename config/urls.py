from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    # The data API comes before the core's, whose catch-all cases/<reference>/<action>/
    # would otherwise answer for its paths.
    path("api/v1/", include("exports.api.urls")),
    path("api/v1/", include("dsar.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("", include("exports.urls")),
    path("", include("identity.urls")),
    path("", include("dsar.urls")),
]
