from django.urls import path

from . import views

app_name = "subscriptions"

urlpatterns = [
    path("themas/<slug:slug>/volgen-per-e-mail/", views.subscribe, name="subscribe"),
    path("volgen-per-e-mail/bevestigen/<str:token>/", views.confirm, name="confirm"),
    path("volgen-per-e-mail/afmelden/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
