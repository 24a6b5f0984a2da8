from django.urls import path

from . import feeds, views

app_name = "knowledge"

urlpatterns = [
    path("themas/", views.theme_list, name="theme_list"),
    path("themas/<slug:slug>/", views.theme_detail, name="theme_detail"),
    # <str:>, not <slug:>: taggit keeps diacritics in a tag's slug ("coöperatie").
    path("tags/<str:slug>/", views.tag_detail, name="tag_detail"),
    # Atom feeds at .../feed/, RSS beside them at .../feed/rss/ (knowledge/feeds.py).
    path("bijdragen/feed/", feeds.contribution_feed, name="feed_contributions"),
    path("bijdragen/feed/rss/", feeds.contribution_feed_rss, name="feed_contributions_rss"),
    path("gemeenschappen/<slug:slug>/feed/", feeds.community_feed, name="feed_community"),
    path(
        "gemeenschappen/<slug:slug>/feed/rss/",
        feeds.community_feed_rss,
        name="feed_community_rss",
    ),
    path("themas/<slug:slug>/feed/", feeds.theme_feed, name="feed_theme"),
    path("themas/<slug:slug>/feed/rss/", feeds.theme_feed_rss, name="feed_theme_rss"),
    # Open questions (issue 14): the oldest waiting first.
    path(
        "gemeenschappen/<slug:slug>/vragen/",
        views.open_questions_community,
        name="open_questions_community",
    ),
    path("themas/<slug:slug>/vragen/", views.open_questions_theme, name="open_questions_theme"),
    path("tags/<str:slug>/feed/", feeds.tag_feed, name="feed_tag"),
    path("tags/<str:slug>/feed/rss/", feeds.tag_feed_rss, name="feed_tag_rss"),
    path("bijdragen/nieuw/", views.contribution_create, name="contribution_create"),
    path("bijdragen/<int:pk>/", views.contribution_detail, name="contribution_detail"),
    path("bijdragen/<int:pk>/bewerken/", views.contribution_edit, name="contribution_edit"),
    # Earlier versions (issue 14): for the author and the community's hosts only.
    path("bijdragen/<int:pk>/versies/", views.contribution_versions, name="contribution_versions"),
    path(
        "bijdragen/<int:pk>/reacties/<int:comment_id>/versies/",
        views.comment_versions,
        name="comment_versions",
    ),
    path(
        "bijdragen/<int:pk>/modereren/", views.contribution_moderate, name="contribution_moderate"
    ),
    path(
        "bijdragen/<int:pk>/waarderen/",
        views.contribution_appreciate,
        name="contribution_appreciate",
    ),
    path("bijdragen/<int:pk>/reacties/", views.comment_create, name="comment_create"),
    path(
        "bijdragen/<int:pk>/reacties/<int:comment_id>/bewerken/",
        views.comment_edit,
        name="comment_edit",
    ),
    path(
        "bijdragen/<int:pk>/reacties/<int:comment_id>/verwijderen/",
        views.comment_delete,
        name="comment_delete",
    ),
    path(
        "bijdragen/<int:pk>/reacties/<int:comment_id>/",
        views.comment_action,
        name="comment_action",
    ),
    path(
        "bijdragen/<int:pk>/reacties/<int:comment_id>/antwoord/",
        views.comment_answer,
        name="comment_answer",
    ),
]
