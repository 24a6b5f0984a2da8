from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("instellingen/gegevens/", views.data_export, name="data_export"),
    path(
        "instellingen/gegevens/<int:pk>/download/",
        views.data_export_download,
        name="data_export_download",
    ),
]
