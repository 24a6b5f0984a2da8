from django.urls import path

from . import views

app_name = "attachments"

urlpatterns = [
    path("<uuid:key>/", views.attachment_file, name="file"),
    path("<uuid:key>/<int:width>/", views.attachment_file, name="rendition"),
]
