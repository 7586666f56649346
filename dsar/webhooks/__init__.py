"""Webhooks: signed (HMAC-SHA256) case events POSTed to a controller's HTTPS endpoints.

- ``models``: endpoints, one message per event and endpoint, one delivery row per attempt.
- ``signing``: the signature scheme (also what a receiver runs to verify it).
- ``urls``: which receiver addresses are allowed.
- ``services``: turning case signals (dsar.hooks) into messages, and one delivery attempt.
- ``tasks``: the Celery task that delivers with exponential retries, and the stuck sweep.
- ``api``: register, list and delete endpoints; read the delivery log (controller admins).
"""
