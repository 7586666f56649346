"""The product's URLs plus ``/bench/empty/``: the floor for the intake benchmark."""

from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from config.urls import urlpatterns as product_urlpatterns


@csrf_exempt  # the floor of the JSON API too, which has no session and so no CSRF check
def empty(request: HttpRequest) -> HttpResponse:
    """Does nothing: the cost of the server, the middleware and Django's request cycle."""
    return HttpResponse(b"", content_type="text/plain")


urlpatterns = [path("bench/empty/", empty, name="bench-empty"), *product_urlpatterns]
