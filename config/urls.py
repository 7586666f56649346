from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from dsar.accounts.views import LimitedPasswordResetView
from dsar.api.errors import api_not_found

urlpatterns = [
    # The admin at ADMIN_PATH (issue 18): superusers and staff only.
    path(settings.ADMIN_PATH, admin.site.urls),
    # Password reset limited per client and address; answers alike whoever asks (issue 18).
    path("accounts/password_reset/", LimitedPasswordResetView.as_view(), name="password_reset"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("dsar.accounts.urls")),
    # Satellite apps' endpoints under /api/v1/ come before the core's, whose catch-all
    # cases/<reference>/<action>/ would otherwise answer for them.
    path("api/v1/", include("identity.api")),
    path("api/v1/", include("exports.letters_api")),
    path("api/v1/", include("exports.api.urls")),
    path("api/v1/", include("dsar.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI from drf-spectacular-sidecar's static files: no CDN. (No Redoc page: its
    # template loads Google Fonts, and a privacy tool loads nothing from third parties.)
    # The split view serves its start-up script as a file, so the page needs no inline script
    # under the Content-Security-Policy (issue 18).
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
    # Anything else under /api/ (an unknown path, /steps/-1/): the API's JSON 404.
    re_path(r"^api/", api_not_found),
    path("", include("exports.urls")),
    path("", include("identity.urls")),
    path("", include("dsar.urls")),
]
