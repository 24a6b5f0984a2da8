from django.urls import path

from . import views

app_name = "sharing"

urlpatterns = [
    path("delen/mastodon/", views.mastodon_share, name="mastodon_share"),
]

# Outside i18n_patterns and without a namespace (kenniscloud/urls.py): one sitemap for both
# languages.
sitemap_urlpatterns = [
    path("sitemap.xml", views.sitemap_index, name="sitemap"),
    path("sitemap-<slug:section>.xml", views.sitemap_section, name="sitemap_section"),
]
