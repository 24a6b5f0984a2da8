"""Settings for the test suite: the database and Redis come from the environment when given."""

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-insecure-key"
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tests run tasks in process; the worker tests start a real worker of their own.
CELERY_TASK_ALWAYS_EAGER = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WAGTAILADMIN_BASE_URL = "http://testserver"
ACCOUNT_RATE_LIMITS = False
# Off for the suite: a page cached by one test would outlive that test's rolled-back data.
# tests/test_cache.py switches it on, against a fresh generation for each test.
ANONYMOUS_PAGE_CACHE_SECONDS = 0
# The suite never reaches the internet: no link previews and no catalogue unless a test sets
# them up against its own local server (tests/sources/).
LINK_PREVIEW_FETCH = False
CATALOGUE_PROVIDER = ""
