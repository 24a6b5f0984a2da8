"""Response headers that close doors: Content-Security-Policy, Permissions-Policy and
Cache-Control for pages of logged-in people.

The site's policy is `CONTENT_SECURITY_POLICY` (settings): no inline script at all, the only
<script> elements in our pages are JSON-LD data, which carry the request's nonce. The Wagtail
admin and the Django admin get `CONTENT_SECURITY_POLICY_ADMIN` instead, the narrowest policy
under which they work (measured in Chromium, tests/browser/test_security_headers.py).
`frame-ancestors` follows the X-Frame-Options header of the same response, so that the two
never disagree (DENY: 'none', SAMEORIGIN: 'self'; a view exempt from one is exempt from both).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from csp.constants import NONE, SELF
from csp.middleware import CSPMiddleware, PolicyParts
from csp.utils import default_config
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.cache import patch_cache_control

_FRAME_ANCESTORS = {"DENY": [NONE], "SAMEORIGIN": [SELF]}


@cache
def admin_prefixes() -> tuple[str, ...]:
    return (reverse("wagtailadmin_home"), reverse("admin:index"))


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponse, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if report_only:
            return parts
        if parts.config is None and request.path_info.startswith(admin_prefixes()):
            parts.config = default_config(settings.CONTENT_SECURITY_POLICY_ADMIN["DIRECTIVES"])
        x_frame_options = response.get("X-Frame-Options", "").upper()
        parts.replace = {
            **(parts.replace or {}),
            "frame-ancestors": _FRAME_ANCESTORS.get(x_frame_options),
        }
        return parts


class SecurityHeadersMiddleware:
    """Permissions-Policy on every response; `Cache-Control: private, no-store` on what a
    logged-in person gets, so that neither a shared cache nor the browser of a library's
    public computer keeps it. Anonymous pages are left to the page cache
    (kenniscloud/common/middleware.py), which sits inside this one."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.permissions_policy = ", ".join(
            f"{feature}=()" for feature in settings.PERMISSIONS_POLICY_DENIED
        )

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self.permissions_policy:
            response.headers.setdefault("Permissions-Policy", self.permissions_policy)
        if _logged_in(request):
            patch_cache_control(response, private=True, no_store=True)
        return response


def _logged_in(request: HttpRequest) -> bool:
    # Without a session cookie nobody is logged in: decided without touching the session.
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False
    user = getattr(request, "user", None)
    return bool(user and user.is_authenticated)
