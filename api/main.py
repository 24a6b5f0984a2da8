"""The JSON API at /api/v1/: read-only, public data, an OpenAPI document and its docs page.

The docs page is ninja's Swagger UI from ninja's own static files ("ninja" in INSTALLED_APPS
makes ninja render its local template instead of loading Swagger UI from a CDN), so the page
makes no third-party request and runs under the site's Content-Security-Policy: its scripts are
files of our own origin and its settings are a JSON data block, not inline script.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Swagger
from ninja.errors import Throttled

from .endpoints import router
from .throttling import ClientRateThrottle

DESCRIPTION = """
Openbare gegevens van KennisCloud: thema's, gemeenschappen, bijdragen met hun reacties,
bijeenkomsten en artikelen. Alleen lezen, zonder account: je ziet precies wat een bezoeker
zonder account op de site ziet. Lijsten zijn gepagineerd met een cursor (`next_cursor`,
hoogstens 50 per pagina). Er geldt een limiet per client; daarboven volgt 429 met Retry-After.
"""

api = NinjaAPI(
    title="KennisCloud API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    openapi_url="/openapi.json",
    docs_url="/docs",
    # No validator badge: Swagger UI would fetch it from validator.swagger.io.
    docs=Swagger(settings={"validatorUrl": None, "supportedSubmitMethods": ["get"]}),
    throttle=[ClientRateThrottle()],
)
api.add_router("/", router)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": _("Niet gevonden.")}, status=404)


@api.exception_handler(Throttled)
def throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
    # ninja adds Retry-After from the throttle's wait().
    message = _("Te veel verzoeken. Probeer het later opnieuw (zie Retry-After).")
    return api.create_response(request, {"detail": message}, status=429)
