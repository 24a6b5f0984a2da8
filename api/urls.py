"""/api/: version 1, and a JSON 404 for every other address under /api/ (a client should
never get the site's HTML 404 page, nor fall through to Wagtail's pages)."""

from django.http import HttpRequest, JsonResponse
from django.urls import path, re_path
from django.utils.translation import gettext as _

from .main import api


def not_found(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"detail": _("Niet gevonden.")}, status=404)


urlpatterns = [
    path("v1/", api.urls),
    # An empty pattern matches whatever is left, also addresses with a newline in them, which
    # no converter takes.
    re_path(r"", not_found),
]
