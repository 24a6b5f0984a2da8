"""POST /leesbaarheid/: the readability advice on a text, for the check while typing."""

from __future__ import annotations

from django.http import JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kenniscloud.common.ratelimit import RateLimited, throttle

from .forms import ReadabilityForm
from .selectors import advice_for_markdown


@require_POST
def readability(request):
    """JSON with the advice and its HTML. Members only: the check serves people writing here,
    and a rate limit needs someone to count for. CSRF protected like every POST."""
    if not request.user.is_authenticated:
        return JsonResponse({"error": _("Log in om je tekst te laten controleren.")}, status=403)
    form = ReadabilityForm(request.POST)
    if not form.is_valid():
        return JsonResponse({"error": " ".join(form.errors["text"])}, status=400)
    try:
        throttle(request.user, "readability")
    except RateLimited as error:
        response = JsonResponse(
            {"error": _("Je controleert snel achter elkaar. Probeer het zo opnieuw.")},
            status=429,
        )
        response["Retry-After"] = str(error.retry_after)
        return response
    advice = advice_for_markdown(form.cleaned_data["text"])
    html = render_to_string(
        "plainlanguage/includes/advice_result.html", {"advice": advice}, request=request
    )
    return JsonResponse({**advice.as_json(), "html": html})
