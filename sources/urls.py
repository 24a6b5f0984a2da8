from django.urls import path

from . import views

app_name = "sources"

urlpatterns = [
    path(
        "bijdragen/<int:pk>/catalogus/",
        views.catalogue_suggestions,
        name="catalogue_suggestions",
    ),
]
