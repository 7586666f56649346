"""The project's Celery app with a beat schedule of seconds, for the integration test.

``celery -A tests.integration.fast_beat beat`` fires the reminder sweep every second, so
a test can watch beat fire it many times and check that one email goes. Worker and beat
both load this app so that, with ``TEST_CELERY_QUEUE`` set, every message of one test run
goes through its own queue: two runs sharing a Redis server never take each other's tasks.
"""

import os

from config.celery import app

app.conf.beat_schedule = {
    "deadline-reminders": {"task": "dsar.tasks.send_deadline_reminders", "schedule": 1.0},
}
if os.environ.get("TEST_CELERY_QUEUE"):
    app.conf.task_default_queue = os.environ["TEST_CELERY_QUEUE"]

__all__ = ["app"]
