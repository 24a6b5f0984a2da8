from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView, TemplateView
from django.views.i18n import set_language
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from kenniscloud.common.admin_access import admin_login_redirect
from kenniscloud.common.views import favicon, health, ready
from sharing.urls import sitemap_urlpatterns

# One login for everyone: the admins' own login and reset forms skip allauth's email
# verification, lockout and rate limits, so they only send people to allauth's.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("cms/login/", admin_login_redirect),
    path("cms/password_reset/", RedirectView.as_view(pattern_name="account_reset_password")),
    path(
        "django-admin/password_change/",
        RedirectView.as_view(pattern_name="account_change_password"),
    ),
    path("cms/", include(wagtailadmin_urls)),
    path("django-admin/", admin.site.urls),
    path("documenten/", include(wagtaildocs_urls)),
    path("taal/", set_language, name="set_language"),
    path("gezond/", health, name="health"),
    # The JSON API, in one language for every client: outside the /en/ prefix.
    path("api/", include("api.urls")),
    path("gezond/klaar/", ready, name="ready"),
    path("favicon.ico", favicon, name="favicon"),
    # Crawlers stay out of search: templates/robots.txt.
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain"),
        name="robots_txt",
    ),
    # sitemap.xml and its sections: sharing/sitemaps.py.
    *sitemap_urlpatterns,
]

# Dutch lives at the root; /en/ prefixes the English interface.
urlpatterns += i18n_patterns(
    path("accounts/", include("allauth.urls")),
    # Wagtail's login for pages only members may see: allauth's instead.
    path("_util/login/", RedirectView.as_view(pattern_name="account_login", query_string=True)),
    path("", include("communities.urls")),
    path("", include("knowledge.urls")),
    path("", include("meetups.urls")),
    path("", include("notifications.urls")),
    path("", include("search.urls")),
    path("", include("moderation.urls")),
    path("", include("moderation.premoderation_urls")),
    path("", include("moderation.block_urls")),
    path("", include("privacy.urls")),
    path("", include("sharing.urls")),
    path("", include("plainlanguage.urls")),
    path("", include("sources.urls")),
    path("", include("subscriptions.urls")),
    # Members' photos and PDFs, through a permission check (attachments/views.py). Under the
    # language prefix like every path a mail builds from its `base_url` (the digest's photos).
    path("bijlagen/", include("attachments.urls")),
    # Wagtail's catch-all serves the pages (home, articles) and comes last.
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# 400 in the site's design, rendered with the request (Django's own renders 400.html without).
handler400 = "kenniscloud.common.views.bad_request"
