from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("instellingen/", views.preferences, name="preferences"),
    path("instellingen/mail-weer-aan/", views.address_unblock, name="address_unblock"),
    path("uitschrijven/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("meldingen/", views.notification_list, name="notification_list"),
    path("meldingen/alles-gelezen/", views.notification_read_all, name="notification_read_all"),
    path("meldingen/<int:pk>/gelezen/", views.notification_read, name="notification_read"),
    path("meldingen/<int:pk>/openen/", views.notification_open, name="notification_open"),
]
