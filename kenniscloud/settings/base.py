"""Settings shared by every environment.

All configuration that comes from the environment is read here, in one place; the other
modules only choose between values. See `.env.example` for every variable.
"""

from email.utils import getaddresses
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
# A local .env file is a convenience for developers; the real environment always wins.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# --- Core -------------------------------------------------------------------------------------
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=[])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("KENNISCLOUD_SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
# The library whose name, logo, address and contact the footer and the "about" page show (its
# slug in the Wagtail admin, Bibliotheek -> Bibliotheken). Empty: the only library, or the first
# by name when there are several (communities/site_library.py).
KENNISCLOUD_LIBRARY = env.str("KENNISCLOUD_LIBRARY", default="")
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAIL_SITE_NAME = "KennisCloud"

INSTALLED_APPS = [
    # Project apps first so that their templates override those of the libraries.
    "communities",
    "knowledge",
    "meetups",
    "notifications",
    "dashboard",
    "search",
    "moderation",
    "privacy",
    "sharing",
    "attachments",
    "api",
    "sources",
    "plainlanguage",
    "subscriptions",
    "kenniscloud.common",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    # wagtail.users, with forms for our members (a name and a handle): communities/wagtail_users.py
    "communities.wagtail_users_app.MemberUsersConfig",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    # django-ninja (api/): its docs page from its own static files instead of a CDN.
    "ninja",
    # Accounts
    "allauth",
    "allauth.account",
    "allauth.mfa",
    # Django
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    # First: every log line of the request carries its id (kenniscloud/common/observability.py).
    "kenniscloud.common.observability.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # A NUL character in the path, query, cookies or form fields is a 400 before anything reads
    # it (PostgreSQL refuses such text with a 500 otherwise): kenniscloud/common/bad_input.py.
    "kenniscloud.common.bad_input.RejectNulMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Content-Security-Policy, Permissions-Policy, Cache-Control for logged-in people
    # (kenniscloud/common/security_headers.py); outside the page cache, so per response.
    "kenniscloud.common.security_headers.ContentSecurityPolicyMiddleware",
    "kenniscloud.common.security_headers.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # /cms/ and /django-admin/ only for who may use them, after a second factor.
    "kenniscloud.common.admin_access.AdminAccessMiddleware",
    # After everything that decides who the visitor is, before anything that renders a page.
    "kenniscloud.common.middleware.AnonymousPageCacheMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "kenniscloud.urls"
WSGI_APPLICATION = "kenniscloud.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "kenniscloud.common.context_processors.site",
            ],
        },
    },
]

# --- Data -------------------------------------------------------------------------------------
# The embedded default is a SQLite file; production points DATABASE_URL at PostgreSQL. Empty
# counts as not set (production.py then refuses to start).
DATABASE_URL = env.str("DATABASE_URL", default="") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
DATABASES = {"default": env.db_url_config(DATABASE_URL)}
# Persistent connections: a new connection per request costs about 12x in throughput here.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=600)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Django's SQLite backend with SQLite's real parameter limit (see the module).
    DATABASES["default"]["ENGINE"] = "kenniscloud.common.sqlite"
IS_POSTGRES = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
if IS_POSTGRES:
    # A database that does not answer fails a request, and the readiness probe, within seconds.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)
    # No JIT compiling: it pays off for long reports, not for a request's queries, and it added
    # 10-25 ms to searches whose estimated cost passed `jit_above_cost` (`make bench`). An
    # `options` parameter in DATABASE_URL wins.
    DATABASES["default"]["OPTIONS"].setdefault("options", "-c jit=off")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's RedisCache, but with Redis down a read is a miss and a write does nothing:
            # every page and the login keep working (kenniscloud/common/redis_cache.py).
            "BACKEND": "kenniscloud.common.redis_cache.FailSoftRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="kenniscloud"),
            # Redis answers in well under a millisecond; one that does not answer within these
            # costs a request this long once per RETRY_AFTER seconds per process, not 5 s a call.
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1, "RETRY_AFTER": 5},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Public pages kept whole for anonymous visitors (kenniscloud/common/cache.py): every Wagtail page
# and these views. Any change to what they show invalidates them at once; the lifetime is a
# safety net for what changes with time alone. 0 switches the page cache off.
ANONYMOUS_PAGE_CACHE_SECONDS = env.int("ANONYMOUS_PAGE_CACHE_SECONDS", default=300)
# Public lists only. A member's `findable` and their expertise are writes to communities and
# taggit models, so they bump the generation like any other (common/receivers.py).
ANONYMOUS_PAGE_CACHE_VIEWS = {
    "wagtail_serve",
    "knowledge:theme_list",
    "knowledge:theme_detail",
    "knowledge:tag_detail",
    "communities:who_knows_what",
    # The pages a visitor reads most (issue 13): what they show comes from the content apps, whose
    # every write bumps the generation (common/receivers.py); a private community's pages answer
    # 404 to a visitor and are never stored. Not /zoeken/: every query would be a key of its own,
    # and a search that finds nothing must be counted each time it is asked.
    "communities:community_list",
    "communities:community_detail",
    "communities:member_detail",
    "knowledge:contribution_detail",
    "meetups:meetup_list",
    "meetups:meetup_detail",
    # sitemap.xml (sharing/): public pages only, the same for everyone.
    "sitemap",
    "sitemap_section",
    # Atom/RSS feeds (kenniscloud/common/feeds.py): public content only, the same for everyone.
    "knowledge:feed_contributions",
    "knowledge:feed_contributions_rss",
    "knowledge:feed_community",
    "knowledge:feed_community_rss",
    "knowledge:feed_theme",
    "knowledge:feed_theme_rss",
    "knowledge:feed_tag",
    "knowledge:feed_tag_rss",
    "meetups:feed_agenda",
    "meetups:feed_agenda_rss",
}

# --- Tasks ------------------------------------------------------------------------------------
# Without a broker Celery runs tasks eagerly, in process: the embedded default.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="") or REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = False
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = "Europe/Amsterdam"
# Redis hands an unacknowledged message (a task whose worker died) out again after this many
# seconds; the default is an hour. It must exceed the longest task time limit (the digest batch,
# notifications/tasks.py) and every countdown or ETA we queue, or a running or waiting task
# would be handed out twice. The digest sweep below usually gets there first.
# socket_connect_timeout: queueing gives up on an unreachable broker in seconds, not minutes.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 5 * 60, "socket_connect_timeout": 2}
# Queueing a task while Redis is down: two quick retries (about 0.3 s), then the task is kept in
# the database for the resend sweep below instead of holding the request (common/publish.py).
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.1,
    "interval_max": 0.2,
}
CELERY_BEAT_SCHEDULE: dict = {
    # Each going member gets one reminder within a day before the meetup; a run claims each RSVP,
    # so overlapping runs are harmless.
    "meetup-send-reminders": {
        "task": "meetups.tasks.meetup_send_reminders",
        "schedule": 15 * 60,
    },
    # Digests at DIGEST_HOUR Europe/Amsterdam (CELERY_TIMEZONE): daily ones every day, weekly
    # ones on DIGEST_WEEKDAY. Each member and period is a unique DigestDelivery row, so a beat
    # that fires twice sends nothing twice.
    "digest-run": {
        "task": "notifications.tasks.digest_run",
        "schedule": crontab(hour=7, minute=0),
    },
    # Digests whose sender died (a killed worker, a time limit) go out again within minutes: this
    # re-queues unsent deliveries that no live sender holds (notifications.services).
    "digest-sweep": {
        "task": "notifications.tasks.digest_sweep",
        "schedule": 2 * 60,
        "options": {"expires": 110},
    },
    # Reply and mention mails are queued when they happen and when a member's hourly window
    # opens; this sends what such a task missed. A row lock per member makes reruns harmless.
    "reply-mail-sweep": {
        "task": "notifications.tasks.reply_mail_sweep",
        "schedule": 5 * 60,
    },
    # Scheduled publishing ("go live at" / "expire at" on articles, pages and dossiers) happens
    # within a minute. A run the worker did not reach within the minute is dropped: the next
    # one does the same work.
    "pages-publish-scheduled": {
        "task": "knowledge.tasks.pages_publish_scheduled",
        "schedule": 60,
        "options": {"expires": 55},
    },
    # Tasks a request could not hand to the broker (Redis down) wait in the database; this
    # queues them once it is back (kenniscloud/common/publish.py).
    "unsent-tasks-resend": {
        "task": "kenniscloud.common.tasks.unsent_tasks_resend",
        "schedule": 60,
        "options": {"expires": 55},
    },
    # The word list for "Bedoelde je …?" follows the public search index (search/typos.py).
    "search-terms-refresh": {
        "task": "search.tasks.search_terms_refresh",
        "schedule": crontab(hour=3, minute=30),
        "options": {"expires": 6 * 60 * 60},
    },
    # Data exports (Mijn gegevens downloaden) are deleted DATA_EXPORT_DAYS after they were
    # built; exports whose worker died are marked failed so the member can ask again.
    "data-export-purge": {
        "task": "privacy.tasks.data_export_purge",
        "schedule": crontab(minute=15),
    },
    # Retention (privacy/retention.py, README "Retention"); each job idempotent, and safe when
    # two runs overlap. Organisers need access needs before the meetup only: wiped after it.
    "retention-access-needs": {
        "task": "privacy.tasks.retention_access_needs_wipe",
        "schedule": crontab(minute=25),
    },
    # The names of people registered at the door serve the meetup's report, not longer.
    "retention-walk-ins": {
        "task": "privacy.tasks.retention_walk_ins_anonymise",
        "schedule": crontab(minute=35),
    },
    # Read notifications older than RETENTION_READ_NOTIFICATIONS_DAYS serve nobody any more.
    "retention-read-notifications": {
        "task": "privacy.tasks.retention_read_notifications_purge",
        "schedule": crontab(hour=4, minute=10),
    },
    # Digest delivery rows only prevent double mails; after their period they have done that.
    "retention-digest-deliveries": {
        "task": "privacy.tasks.retention_digest_deliveries_purge",
        "schedule": crontab(hour=4, minute=20),
    },
    # An account whose address was never confirmed is of no use to anyone after a month.
    # Themes followed by email without an account (subscriptions/): on DIGEST_WEEKDAY at the
    # digest hour, one mail per confirmed address; each address is claimed for the period, so a
    # beat that fires twice sends nothing twice. Requests nobody confirmed go after their days.
    "theme-subscriptions-weekly": {
        "task": "subscriptions.tasks.theme_digests_plan",
        "schedule": crontab(hour=7, minute=5),
    },
    "retention-unconfirmed-theme-subscriptions": {
        "task": "subscriptions.tasks.unconfirmed_subscriptions_purge",
        "schedule": crontab(hour=4, minute=50),
    },
    "retention-unconfirmed-accounts": {
        "task": "privacy.tasks.retention_unconfirmed_accounts_delete",
        "schedule": crontab(hour=4, minute=40),
    },
    # Members who stopped logging in are warned, then removed (RETENTION_INACTIVE_ACCOUNT_DAYS,
    # off by default); hourly, so a first wave of warnings is spread over the day.
    "retention-inactive-accounts": {
        "task": "privacy.tasks.retention_inactive_accounts",
        "schedule": crontab(minute=50),
    },
    # Searches that found nothing are kept a year after they were last asked (README, privacy).
    "search-miss-purge": {
        "task": "search.tasks.search_miss_purge",
        "schedule": crontab(hour=4, minute=30),
    },
    # Link previews (sources/): failed fetches again after their delay, and previews older than
    # SOURCE_REFRESH_DAYS fetched anew; each fetch claims its row, so overlapping runs are fine.
    "sources-refresh-due": {
        "task": "sources.tasks.sources_refresh_due",
        "schedule": 10 * 60,
        "options": {"expires": 9 * 60},
    },
}

# --- Digests ----------------------------------------------------------------------------------
# Must match the crontab above: a digest period ends at this hour, local time.
DIGEST_HOUR = 7
# The day weekly digests go out: monday … sunday (or maandag … zondag, or ISO 1-7).
DIGEST_WEEKDAY = env.str("DIGEST_WEEKDAY", default="monday")
# Mails about replies and mentions per member per hour; more events wait and go out bundled in
# the next one. 0 sends none (the in-site notifications stay).
REPLY_MAIL_MAX_PER_HOUR = env.int("REPLY_MAIL_MAX_PER_HOUR", default=1)

# --- Email ------------------------------------------------------------------------------------
EMAIL_CONFIG = env.email_url_config(env.str("EMAIL_URL", default="") or "consolemail://")
vars().update(EMAIL_CONFIG)
# Seconds the SMTP backend waits for the mail server on each connect, read and write. Without
# it a server that accepts and then says nothing holds a digest's row lock for ever.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="KennisCloud <kenniscloud@example.org>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_SUBJECT_PREFIX = "[KennisCloud] "

# --- Accounts ---------------------------------------------------------------------------------
AUTH_USER_MODEL = "communities.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
# Django's rules, in our words, with a Dutch list of common passwords (communities/data/).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "communities.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "communities.password_validation.MinimumLengthValidator"},
    {"NAME": "communities.password_validation.CommonPasswordValidator"},
    {"NAME": "communities.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SIGNUP_FORM_CLASS = "communities.forms.SignupForm"
ACCOUNT_ADAPTER = "communities.adapters.AccountAdapter"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[KennisCloud] "
# Counted in the cache. With Redis down they count in each web process's memory: the login keeps
# answering and the lock-out holds per process, at most N times as lax with N processes (failing
# open would lift it, failing closed would lock everyone out): kenniscloud/common/redis_cache.py.
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/5m/key"}
# Rate limits count per client address. Behind our own reverse proxies (the compose stack's web
# server) that address is the one the nearest of them appends to X-Forwarded-For; with 0 the
# header is ignored, so nobody can pick their own address by sending it.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("KENNISCLOUD_TRUSTED_PROXY_COUNT", default=0)
# Two-factor authentication (allauth.mfa): an authenticator app, with recovery codes as the
# way back in. Required for everyone who may enter /cms/ or /django-admin/
# (kenniscloud/common/admin_access.py); residents may use it.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "KennisCloud"
# Also accept the code of the previous and next 30-second window (RFC 6238, section 5.2): a
# person who types a code as it changes, or whose phone clock is a little off, still gets in.
MFA_TOTP_TOLERANCE = 1
# The admins have no login of their own: allauth's login, with its verification, lockout and
# rate limits, is the only way in (kenniscloud/urls.py closes the other login forms).
WAGTAILADMIN_LOGIN_URL = LOGIN_URL
WAGTAIL_FRONTEND_LOGIN_URL = LOGIN_URL
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
WAGTAIL_PASSWORD_RESET_ENABLED = False
WAGTAIL_EMAIL_MANAGEMENT_ENABLED = False

# --- Internationalisation ---------------------------------------------------------------------
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "kenniscloud" / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

# --- Static and media -------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=BASE_DIR / "var" / "static")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=BASE_DIR / "var" / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Files only their owner may download, through a Django view that checks who asks (the data
# exports of privacy/): outside MEDIA_ROOT, so the web server's /media/ can never serve them.
PRIVATE_MEDIA_ROOT = env.path("DJANGO_PRIVATE_MEDIA_ROOT", default=BASE_DIR / "var" / "private")
# Attachments on contributions and comments (attachments/): caps per file and per post.
# nginx's client_max_body_size (deploy/nginx.conf) must fit a post with all of them.
ATTACHMENT_IMAGE_MAX_BYTES = env.int("ATTACHMENT_IMAGE_MAX_BYTES", default=5 * 1024 * 1024)
ATTACHMENT_PDF_MAX_BYTES = env.int("ATTACHMENT_PDF_MAX_BYTES", default=10 * 1024 * 1024)
ATTACHMENT_MAX_PIXELS = env.int("ATTACHMENT_MAX_PIXELS", default=40_000_000)
ATTACHMENTS_MAX_PER_POST = env.int("ATTACHMENTS_MAX_PER_POST", default=4)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Wagtail ----------------------------------------------------------------------------------
# Wagtail's search backend: the admin's page search and, with KENNISCLOUD_SEARCH_ENGINE=wagtail,
# the site's search. Its database backend by default; for a federation OpenSearch or
# Elasticsearch (WAGTAILSEARCH_BACKEND=wagtail.search.backends.opensearch2 and WAGTAILSEARCH_URLS).
WAGTAILSEARCH_BACKENDS = {
    "default": {
        "BACKEND": env.str("WAGTAILSEARCH_BACKEND", default="wagtail.search.backends.database")
    }
}
if env.str("WAGTAILSEARCH_SEARCH_CONFIG", default=""):
    # The database backend on PostgreSQL: its text search configuration (dutch_unaccent, made by
    # the search migrations, stems Dutch and folds accents; run update_index after a change).
    WAGTAILSEARCH_BACKENDS["default"]["SEARCH_CONFIG"] = env.str("WAGTAILSEARCH_SEARCH_CONFIG")
if env.list("WAGTAILSEARCH_URLS", default=[]):
    WAGTAILSEARCH_BACKENDS["default"].update(
        {
            "URLS": env.list("WAGTAILSEARCH_URLS"),
            "INDEX_PREFIX": env.str("WAGTAILSEARCH_INDEX_PREFIX", default="kenniscloud_"),
        }
    )
# Which engine finds the text of the site's search (search/engine.py): "postgresql", the search
# table's own Dutch tsvector (on SQLite: icontains), or "wagtail", the backend above. README,
# Search, says when to move.
KENNISCLOUD_SEARCH_ENGINE = env.str("KENNISCLOUD_SEARCH_ENGINE", default="postgresql")
if KENNISCLOUD_SEARCH_ENGINE not in ("postgresql", "wagtail"):
    raise ImproperlyConfigured(
        "KENNISCLOUD_SEARCH_ENGINE must be postgresql or wagtail, "
        f"not {KENNISCLOUD_SEARCH_ENGINE!r}"
    )
WAGTAILIMAGES_IMAGE_MODEL = "wagtailimages.Image"
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
TAGGIT_CASE_INSENSITIVE = True

# --- KennisCloud ------------------------------------------------------------------------------
# A theme dossier not reviewed for this many days shows up in the admin as needing review.
DOSSIER_REVIEW_DAYS = env.int("DOSSIER_REVIEW_DAYS", default=180)
# Pre-moderation "first posts of new members": a member's posts in such a community wait for a
# host's approval until this many of their contributions and comments there are published.
PREMODERATION_FIRST_POSTS = env.int("PREMODERATION_FIRST_POSTS", default=2)
# Reporting (moderation.services.reports): reports a member may make in 24 hours; the days an
# account must exist, with a published contribution or comment, before its reports count
# towards auto-hide (hosts, moderators and librarians count at once); and how many reports
# of distinct trusted members hide an object pending a moderator's decision.
MODERATION_REPORTS_PER_DAY = env.int("MODERATION_REPORTS_PER_DAY", default=20)
MODERATION_TRUST_DAYS = env.int("MODERATION_TRUST_DAYS", default=3)
MODERATION_AUTO_HIDE_REPORTS = env.int("MODERATION_AUTO_HIDE_REPORTS", default=3)

# Rate limits on what members write (kenniscloud/common/ratelimit.py; Discourse's numbers): per
# action the pause in seconds between two (`interval`; `new_member_interval` for accounts younger
# than RATE_LIMITS_NEW_MEMBER_DAYS days), a cap per calendar day (`per_day`) and one for the
# first 24 hours of an account (`first_day`). Missing or 0: no limit. Counted in the cache
# (Redis; local memory on the embedded default). Reports have their own daily cap
# (MODERATION_REPORTS_PER_DAY); `report` here is only the pause.
RATE_LIMITS = {
    "contribution": {"interval": 15, "new_member_interval": 120, "per_day": 20, "first_day": 3},
    "comment": {"interval": 5, "new_member_interval": 30, "per_day": 100, "first_day": 10},
    "meetup_proposal": {
        "interval": 60,
        "new_member_interval": 300,
        "per_day": 5,
        "first_day": 2,
    },
    "appreciation": {"per_day": 50},
    "report": {"interval": 5, "new_member_interval": 30},
    # The readability check while typing (plainlanguage/): at most one a second.
    "readability": {"interval": 1, "per_day": 2000},
}
RATE_LIMITS_NEW_MEMBER_DAYS = env.int("RATE_LIMITS_NEW_MEMBER_DAYS", default=3)
# The same text by the same member within this many minutes is refused as a duplicate (0: off).
MODERATION_DUPLICATE_MINUTES = env.int("MODERATION_DUPLICATE_MINUTES", default=5)
# Links a new member may put in a contribution or comment (None: no limit; 0: none at all).
MODERATION_NEW_MEMBER_MAX_LINKS = 2

# Days a data export (Mijn gegevens downloaden, privacy/) can be downloaded; then beat deletes it.
DATA_EXPORT_DAYS = env.int("DATA_EXPORT_DAYS", default=7)

# The public JSON API (api/): requests per client (address) and period, such as 120/m or 1000/h;
# over it the API answers 429 with Retry-After. Empty or 0 switches the limit off.
API_RATE_LIMIT = env.str("API_RATE_LIMIT", default="120/m")

# Link previews (sources/, README "Link previews"): a contribution's source URL, or the first
# bare link in its text, gets a preview card fetched by the worker (sources/safe_fetch.py). Off
# by default where tasks run in the web process (the embedded default): posting would wait for
# another site. At most this many seconds, bytes and redirects per fetch; a preview is fetched
# again after SOURCE_REFRESH_DAYS; a failed fetch is tried again after these delays (minutes).
LINK_PREVIEW_FETCH = env.bool("LINK_PREVIEW_FETCH", default=not CELERY_TASK_ALWAYS_EAGER)
SOURCE_FETCH_TIMEOUT = 5
SOURCE_FETCH_MAX_BYTES = 1024 * 1024
SOURCE_FETCH_MAX_REDIRECTS = 3
SOURCE_REFRESH_DAYS = 7
SOURCE_RETRY_DELAYS = [10, 60, 6 * 60, 24 * 60]
# A preview image (og:image, a video's thumbnail) before it is re-encoded.
SOURCE_IMAGE_MAX_BYTES = 2 * 1024 * 1024
# A fetch claims its Source row; a claim this old belongs to a worker that died.
SOURCE_CLAIM_SECONDS = 120

# The library's catalogue (sources/catalogue/): title suggestions on a contribution. Provider
# "sru" (CATALOGUE_SRU_URL, a searchRetrieve endpoint with Dublin Core records; optional
# credentials), "openlibrary" (keyless), or "" for none. SRU falls back to Open Library when
# CATALOGUE_FALLBACK_OPENLIBRARY is on. Results are cached for a day; a catalogue that does
# not answer within CATALOGUE_TIMEOUT seconds shows no suggestions.
CATALOGUE_PROVIDER = env.str("CATALOGUE_PROVIDER", default="openlibrary")
CATALOGUE_SRU_URL = env.str("CATALOGUE_SRU_URL", default="")
CATALOGUE_SRU_VERSION = env.str("CATALOGUE_SRU_VERSION", default="1.2")
CATALOGUE_SRU_USERNAME = env.str("CATALOGUE_SRU_USERNAME", default="")
CATALOGUE_SRU_PASSWORD = env.str("CATALOGUE_SRU_PASSWORD", default="")
# Extra parameters for the SRU request, such as x-collection=NGVN for the KB's jSRU.
CATALOGUE_SRU_EXTRA = env.str("CATALOGUE_SRU_EXTRA", default="")
# The title page for an identifier from the SRU catalogue; {id} is the record identifier.
CATALOGUE_TITLE_URL = env.str(
    "CATALOGUE_TITLE_URL", default="https://www.bibliotheek.nl/catalogus/titel.{id}.html"
)
CATALOGUE_OPENLIBRARY_URL = env.str(
    "CATALOGUE_OPENLIBRARY_URL", default="https://openlibrary.org"
).rstrip("/")
CATALOGUE_FALLBACK_OPENLIBRARY = env.bool("CATALOGUE_FALLBACK_OPENLIBRARY", default=True)
CATALOGUE_TIMEOUT = env.float("CATALOGUE_TIMEOUT", default=3.0)
CATALOGUE_CACHE_SECONDS = 24 * 60 * 60

# Consent and transparency (issue 12). The version of the privacy statement and terms a member
# accepts at sign-up is stored on their account (User.terms_version); raise it when the privacy
# page changes in substance, so the library can tell who accepted which text.
PRIVACY_STATEMENT_VERSION = env.str("PRIVACY_STATEMENT_VERSION", default="2026-12")
# The library's privacy contact, shown on the privacy page (privacy.blocks.PrivacyContactBlock).
# An empty name reads "de functionaris gegevensbescherming van de bibliotheek" (translated); an
# empty address is the library's contact address when the site has one library, else the
# address of DEFAULT_FROM_EMAIL, as the statement's first text said (knowledge migration 0005).
PRIVACY_CONTACT_NAME = env.str("PRIVACY_CONTACT_NAME", default="")
PRIVACY_CONTACT_EMAIL = env.str("PRIVACY_CONTACT_EMAIL", default="")
# Retention (privacy/retention.py, README "Retention"): nothing is kept longer than needed.
# Access needs given on an RSVP are wiped this many days after the meetup ended.
RETENTION_ACCESS_NEEDS_DAYS_AFTER_MEETUP = env.int(
    "RETENTION_ACCESS_NEEDS_DAYS_AFTER_MEETUP", default=1
)
# Names and email addresses of walk-ins (registered at the door without an account) are cleared
# this many days after the meetup ended; they still count as present.
RETENTION_WALK_INS_DAYS_AFTER_MEETUP = env.int("RETENTION_WALK_INS_DAYS_AFTER_MEETUP", default=30)
# Read notifications are deleted this many days after they were read (unread ones stay).
RETENTION_READ_NOTIFICATIONS_DAYS = env.int("RETENTION_READ_NOTIFICATIONS_DAYS", default=365)
# Digest delivery rows are deleted this many days after the period they covered ended.
RETENTION_DIGEST_DELIVERY_DAYS = env.int("RETENTION_DIGEST_DELIVERY_DAYS", default=90)
# Accounts whose email address was never confirmed are deleted this many days after sign-up.
RETENTION_UNCONFIRMED_ACCOUNT_DAYS = env.int("RETENTION_UNCONFIRMED_ACCOUNT_DAYS", default=30)
# Following a theme by email without an account (subscriptions/): days to confirm the address
# before the request is deleted, and how many requests one internet address may make an hour
# and one mailbox may receive a day (0: no limit).
THEME_SUBSCRIPTION_CONFIRM_DAYS = env.int("THEME_SUBSCRIPTION_CONFIRM_DAYS", default=7)
THEME_SUBSCRIPTION_REQUESTS_PER_IP = env.int("THEME_SUBSCRIPTION_REQUESTS_PER_IP", default=10)
THEME_SUBSCRIPTION_REQUESTS_PER_EMAIL = env.int("THEME_SUBSCRIPTION_REQUESTS_PER_EMAIL", default=3)
# Members who did not log in for this many days are warned, then removed (0: off, the default).
RETENTION_INACTIVE_ACCOUNT_DAYS = env.int("RETENTION_INACTIVE_ACCOUNT_DAYS", default=0)
# Days between that warning and the removal; logging in in between keeps the account.
RETENTION_INACTIVE_WARNING_DAYS = env.int("RETENTION_INACTIVE_WARNING_DAYS", default=30)

# --- Security defaults (production.py tightens them) -----------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "SAMEORIGIN"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Content-Security-Policy (django-csp; kenniscloud/common/security_headers.py). The site runs no
# inline script; JSON-LD data carries the request's nonce. `frame-ancestors` is set per response
# from X-Frame-Options. Embedded videos (knowledge VideoBlock) come from these players only.
EMBED_FRAME_SOURCES = [
    "https://www.youtube.com",
    "https://www.youtube-nocookie.com",
    "https://player.vimeo.com",
]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-src": [SELF, *EMBED_FRAME_SOURCES],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
    }
}
# /cms/ and /django-admin/: Wagtail 8's listings and editor run inline <script> elements (whose
# content varies, so no hashes) and its editor adds <style> elements; inline event handlers
# stay forbidden. The narrowest policy it works under (tests/browser/test_security_headers.py).
CONTENT_SECURITY_POLICY_ADMIN = {
    "DIRECTIVES": {
        **CONTENT_SECURITY_POLICY["DIRECTIVES"],
        "script-src": [SELF, UNSAFE_INLINE],
        "script-src-attr": [NONE],
        "style-src": [SELF, UNSAFE_INLINE],
    }
}
# Browser features no page of ours uses: denied to our pages and to anything they embed.
PERMISSIONS_POLICY_DENIED = [
    "accelerometer",
    "browsing-topics",
    "camera",
    "display-capture",
    "geolocation",
    "gyroscope",
    "magnetometer",
    "microphone",
    "midi",
    "payment",
    "usb",
]

# One JSON object per line on stderr (time, level, logger, message, request_id or task_id,
# exc_info), for the container's log collector; see kenniscloud/common/observability.py.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"context": {"()": "kenniscloud.common.observability.ContextFilter"}},
    "formatters": {"json": {"()": "kenniscloud.common.observability.JsonLinesFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "filters": ["context"],
        }
    },
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Wagtail runs its index tasks in process and logs every one at INFO.
        "django_tasks": {"level": "WARNING"},
    },
}
# Celery workers log through the configuration above (with their task id) instead of their own.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# --- Errors reach people ----------------------------------------------------------------------
# With SENTRY_DSN every unhandled error goes to Sentry (no personal data, no performance traces
# unless SENTRY_TRACES_SAMPLE_RATE says so). Without it, Django mails each 500 with its
# traceback to DJANGO_ADMINS ("Name <address>, other@example.org").
SENTRY_DSN = env.str("SENTRY_DSN", default="")
ADMINS = (
    []
    if SENTRY_DSN
    else [
        (name, address)
        for name, address in getaddresses([env.str("DJANGO_ADMINS", default="")])
        if address
    ]
)
if SENTRY_DSN:
    from kenniscloud.common.observability import sentry_init

    sentry_init(
        dsn=SENTRY_DSN,
        environment=env.str("SENTRY_ENVIRONMENT", default="production"),
        release=env.str("SENTRY_RELEASE", default=""),
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
    )

# No avatars from gravatar.com in the admin: it would send a hash of every librarian's email
# address to a third party (AVG) and the images fail behind our closed network anyway.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
