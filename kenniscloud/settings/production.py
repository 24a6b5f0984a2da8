"""Production: PostgreSQL, Redis, SMTP, gunicorn and WhiteNoise.

Refuses to start without its secrets and its services: base.py falls back to the embedded
default (SQLite, no Redis, mail on the console) for anything not set, which in production would
run a site that loses data and mail without a word. So every variable below must really be set.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import SECRET_KEY, env

REQUIRED = {
    "DJANGO_SECRET_KEY": "a long random string",
    "DJANGO_ALLOWED_HOSTS": "the host names the site answers to",
    "DATABASE_URL": "postgres://user:password@host:5432/kenniscloud",
    "REDIS_URL": "redis://host:6379/0",
    "EMAIL_URL": "smtp+tls://user:password@smtp.example.org:587",
    "KENNISCLOUD_SITE_URL": "the public address, https://kenniscloud.example.org",
}
# The value .env.example ships with: a copied .env must not go live with it.
PLACEHOLDER_SECRET_KEY = "change-me-to-a-long-random-string-of-at-least-fifty-characters-0000"


def _configuration_problems() -> list[str]:
    """One line per problem; os.environ holds the real environment plus a .env file."""
    problems = [
        f"Set {name} ({example}): production refuses to start without it."
        for name, example in REQUIRED.items()
        if not os.environ.get(name, "").strip()
    ]
    if not os.environ.get("DJANGO_SECRET_KEY", "").strip():
        return problems
    if SECRET_KEY == PLACEHOLDER_SECRET_KEY or "change-me" in SECRET_KEY.lower():
        problems.append(
            "DJANGO_SECRET_KEY is the placeholder from .env.example: set a random one, e.g. "
            'python3 -c "import secrets; print(secrets.token_urlsafe(50))".'
        )
    elif len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
        problems.append(
            f"DJANGO_SECRET_KEY is too short or too simple ({len(SECRET_KEY)} characters): "
            "use at least 50 random characters."
        )
    site_url = os.environ.get("KENNISCLOUD_SITE_URL", "").strip()
    if site_url and not site_url.startswith(("https://", "http://")):
        problems.append(
            f"KENNISCLOUD_SITE_URL must start with https:// (or http://), not {site_url!r}."
        )
    return problems


if _problems := _configuration_problems():
    raise ImproperlyConfigured("\n".join(_problems))

DEBUG = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
# Health checks probe the container over plain HTTP (compose, load balancers): no redirect.
SECURE_REDIRECT_EXEMPT = [r"^gezond/"]
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
X_FRAME_OPTIONS = "DENY"
