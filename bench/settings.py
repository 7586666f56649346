"""Settings for the bench's gunicorn server only: the product's, plus the empty view.

Selected with DJANGO_SETTINGS_MODULE=bench.settings by bench/intake.py, so the empty
view is served by the same process, middleware and settings as the public intake, and
never appears in the product's own URLs.
"""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
