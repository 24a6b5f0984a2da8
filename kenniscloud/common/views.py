from django.http import HttpResponse
from django.views.decorators.cache import never_cache


@never_cache
def health(request):
    """For load balancers, and the bare view `make bench` compares pages with: it answers
    without touching the database or the cache, so it says only that the process serves."""
    return HttpResponse("ok", content_type="text/plain")
