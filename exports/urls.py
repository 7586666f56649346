"""The officer pages of both halves, and the requester's download (namespace ``exports``)."""

from .data.urls import urlpatterns as data_urls
from .letters.urls import urlpatterns as letter_urls

app_name = "exports"

urlpatterns = [*letter_urls, *data_urls]
