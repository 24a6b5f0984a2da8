from django.urls import path

from . import views

app_name = "plainlanguage"

urlpatterns = [
    path("leesbaarheid/", views.readability, name="readability"),
]
