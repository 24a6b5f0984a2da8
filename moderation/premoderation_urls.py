from django.urls import path

from . import premoderation_views as views

app_name = "premoderation"

urlpatterns = [
    path("gemeenschappen/<slug:slug>/goedkeuren/", views.pending_list, name="pending_list"),
    path(
        "gemeenschappen/<slug:slug>/goedkeuren/<str:kind>/<int:pk>/",
        views.post_decide,
        name="post_decide",
    ),
]
