from django.urls import path

from . import views

app_name = "meetups"

urlpatterns = [
    path("bijeenkomsten/", views.meetup_list, name="meetup_list"),
    path("bijeenkomsten/<int:pk>/", views.meetup_detail, name="meetup_detail"),
    path("bijeenkomsten/<int:pk>/aanmelden/", views.meetup_rsvp, name="meetup_rsvp"),
    path("bijeenkomsten/<int:pk>/afmelden/", views.meetup_rsvp_cancel, name="meetup_rsvp_cancel"),
]
