from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils import translation
from django.views.decorators.cache import never_cache
from redis import Redis, RedisError

# Seconds a readiness probe waits for Redis to connect and to answer; PostgreSQL's connect
# timeout is set in settings (DATABASES OPTIONS). The compose healthcheck allows 10 seconds.
READINESS_REDIS_TIMEOUT = 2


@never_cache
def health(request):
    """For load balancers, and the bare view `make bench` compares pages with: it answers
    without touching the database or the cache, so it says only that the process serves."""
    return HttpResponse("ok", content_type="text/plain")


def favicon(request):
    """/favicon.ico, for the clients that ask for it without reading the page's <link rel="icon">
    (feed readers, bookmarks): the icon in the static files, under its versioned name."""
    return redirect(static("images/favicon-32.png"))


def _database_answers() -> bool:
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError:
        return False


def _redis_urls() -> list[str]:
    """Every Redis the site uses: the cache (REDIS_URL) and the Celery broker, once each."""
    urls = [settings.REDIS_URL, settings.CELERY_BROKER_URL]
    return list(dict.fromkeys(url for url in urls if url.startswith(("redis://", "rediss://"))))


def _redis_answers(url: str) -> bool:
    client = Redis.from_url(
        url,
        socket_connect_timeout=READINESS_REDIS_TIMEOUT,
        socket_timeout=READINESS_REDIS_TIMEOUT,
    )
    try:
        return client.ping() is True
    except RedisError:
        return False
    finally:
        client.close()


@never_cache
def ready(request):
    """Readiness: 200 when PostgreSQL and Redis answer, 503 naming what does not.

    For the compose healthcheck and load balancers that should send no visitors to a web
    process that can only show errors. Redis is checked only where the site uses it."""
    checks = {"database": "ok" if _database_answers() else "down"}
    urls = _redis_urls()
    if not urls:
        checks["redis"] = "not used"
    else:
        checks["redis"] = "ok" if all(_redis_answers(url) for url in urls) else "down"
    status = 503 if "down" in checks.values() else 200
    return JsonResponse(checks, status=status)


def bad_request(request, exception=None):
    """400 in the site's design and in the language of the address (`handler400`, and
    `bad_input.RejectNulMiddleware`, which answers before LocaleMiddleware has run)."""
    language = translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
    with translation.override(language):
        return render(request, "400.html", status=400)
