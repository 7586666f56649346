"""The Celery app. The beat schedule lives here, in code."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("dsar_desk")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    "send-pending-emails": {
        "task": "dsar.tasks.send_pending_emails",
        "schedule": 300.0,
    },
}
