from django.urls import path

from . import views

app_name = "knowledge"

urlpatterns = [
    path("themas/", views.theme_list, name="theme_list"),
    path("themas/<slug:slug>/", views.theme_detail, name="theme_detail"),
    # <str:>, not <slug:>: taggit keeps diacritics in a tag's slug ("coöperatie").
    path("tags/<str:slug>/", views.tag_detail, name="tag_detail"),
    path("bijdragen/nieuw/", views.contribution_create, name="contribution_create"),
    path("bijdragen/<int:pk>/", views.contribution_detail, name="contribution_detail"),
    path("bijdragen/<int:pk>/bewerken/", views.contribution_edit, name="contribution_edit"),
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
        "bijdragen/<int:pk>/reacties/<int:comment_id>/",
        views.comment_action,
        name="comment_action",
    ),
]
