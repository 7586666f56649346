from django.conf import settings
from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from config import health
from dsar.accounts.views import LimitedPasswordResetView
from dsar.api.errors import api_not_found

urlpatterns = [
    # Liveness and readiness probes (config.health), before everything else.
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    # Issue 15: browsers ask for /favicon.ico whatever the page says.
    path("favicon.ico", RedirectView.as_view(url=static("favicon.svg"), permanent=True)),
    # The admin at ADMIN_PATH (issue 18): superusers and staff only.
    path(settings.ADMIN_PATH, admin.site.urls),
    # Password reset limited per client and address; answers alike whoever asks (issue 18).
    path("accounts/password_reset/", LimitedPasswordResetView.as_view(), name="password_reset"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("dsar.accounts.urls")),
    # Satellite apps' endpoints under /api/v1/ come before the core's, whose catch-all
    # cases/<reference>/<action>/ would otherwise answer for them.
    path("api/v1/", include("identity.api")),
    path("api/v1/", include("exports.letters.api")),
    path("api/v1/", include("exports.data.api.urls")),
    path("api/v1/", include("dsar.reports.api_urls")),
    path("api/v1/", include("dsar.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI from drf-spectacular-sidecar's static files: no CDN. (No Redoc page: its
    # template loads Google Fonts, and a privacy tool loads nothing from third parties.)
    # The split view serves its start-up script as a file, so the page needs no inline script
    # under the Content-Security-Policy (issue 18).
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
    # Anything else under /api/ (an unknown path, /steps/-1/): the API's JSON 404.
    re_path(r"^api/", api_not_found),
    # A controller's settings, for its admins (issue 19).
    path("settings/", include("dsar.configuration.urls")),
    path("", include("exports.urls")),
    path("", include("identity.urls")),
    path("", include("dsar.reports.urls")),
    path("", include("dsar.urls")),
]

# Errors raised outside a view: JSON under /api/, 503 when the database is down, 413 for
# an oversize body (config.errors; views' own errors go through its middleware).
handler400 = "config.errors.handler400"
handler500 = "config.errors.handler500"
