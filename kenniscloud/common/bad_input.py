"""Requests carrying a NUL character are bad input: answered with 400 before any view runs.

PostgreSQL cannot store or compare a text with a NUL (0x00) in it; psycopg refuses such a query
parameter with a ValueError, so a `?thema=%00` that reaches a filter, a form or an admin search
ends in a 500. No legitimate address, query string, form field or cookie carries one, so they are
refused in one place, here, early in MIDDLEWARE, instead of in every view, form and admin filter.

Checked: the path, query string keys and values, cookie values, and the fields (names and values)
of urlencoded and multipart form posts; the contents of uploaded files are not, a file may hold
anything.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.http import HttpRequest, HttpResponse, UnreadablePostError

from .views import bad_request

NUL = "\x00"
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _any_nul(pairs: Iterable[tuple[str, list[str]]]) -> bool:
    return any(NUL in key or any(NUL in value for value in values) for key, values in pairs)


def request_has_nul(request: HttpRequest) -> bool:
    if NUL in request.path or NUL in request.path_info:
        return True
    if _any_nul(request.GET.lists()):
        return True
    if any(NUL in name or NUL in value for name, value in request.COOKIES.items()):
        return True
    if request.method == "POST" and request.content_type in _FORM_TYPES:
        try:
            return _any_nul(request.POST.lists())
        except UnreadablePostError:
            return False  # The client went away; nothing to answer.
    return False


class RejectNulMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request_has_nul(request):
            return bad_request(request)
        return self.get_response(request)
