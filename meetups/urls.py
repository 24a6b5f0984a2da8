from django.urls import path

from . import attendance_views, calendar_views, feeds, organiser_views, views

app_name = "meetups"

urlpatterns = [
    path("bijeenkomsten/", views.meetup_list, name="meetup_list"),
    path("bijeenkomsten/archief/", views.meetup_list, {"archive": True}, name="meetup_archive"),
    # The agenda in Atom, and in RSS beside it (meetups/feeds.py).
    path("bijeenkomsten/feed/", feeds.agenda_feed, name="feed_agenda"),
    path("bijeenkomsten/feed/rss/", feeds.agenda_feed_rss, name="feed_agenda_rss"),
    path("bijeenkomsten/<int:pk>/", views.meetup_detail, name="meetup_detail"),
    # Planning and proposals (meetups/views.py)
    path("bijeenkomsten/nieuw/", views.meetup_create, name="meetup_create"),
    path("bijeenkomsten/<int:pk>/bewerken/", views.meetup_edit, name="meetup_edit"),
    path("bijeenkomsten/<int:pk>/publiceren/", views.meetup_publish, name="meetup_publish"),
    path("bijeenkomsten/<int:pk>/afgelasten/", views.meetup_cancel, name="meetup_cancel"),
    path("bijeenkomsten/voorstellen/", views.meetup_proposals, name="meetup_proposals"),
    path("bijeenkomsten/voorstellen/nieuw/", views.meetup_propose, name="meetup_propose"),
    path(
        "gemeenschappen/<slug:slug>/bijeenkomst-voorstellen/",
        views.meetup_propose,
        name="meetup_propose_in_community",
    ),
    path(
        "bijeenkomsten/<int:pk>/voorstel-wijzigen/",
        views.meetup_proposal_edit,
        name="meetup_proposal_edit",
    ),
    path("bijeenkomsten/<int:pk>/goedkeuren/", views.meetup_approve, name="meetup_approve"),
    path("bijeenkomsten/<int:pk>/afwijzen/", views.meetup_decline, name="meetup_decline"),
    path("bijeenkomsten/<int:pk>/aanmelden/", views.meetup_rsvp, name="meetup_rsvp"),
    path("bijeenkomsten/<int:pk>/afmelden/", views.meetup_rsvp_cancel, name="meetup_rsvp_cancel"),
    # Access needs and session places (meetups/attendance_views.py)
    path("bijeenkomsten/<int:pk>/aanmelding/", attendance_views.rsvp_details, name="rsvp_details"),
    path(
        "bijeenkomsten/<int:pk>/programma/<int:session_pk>/aanmelden/",
        attendance_views.session_signup,
        name="session_signup",
    ),
    path(
        "bijeenkomsten/<int:pk>/programma/<int:session_pk>/afmelden/",
        attendance_views.session_signup_cancel,
        name="session_signup_cancel",
    ),
    # Organiser tools (meetups/organiser_views.py)
    path(
        "bijeenkomsten/<int:pk>/deelnemers/",
        organiser_views.meetup_attendees,
        name="meetup_attendees",
    ),
    path(
        "bijeenkomsten/<int:pk>/deelnemers.csv",
        organiser_views.meetup_attendees_csv,
        name="meetup_attendees_csv",
    ),
    path(
        "bijeenkomsten/<int:pk>/deelnemers/<int:rsvp_id>/aanwezig/",
        organiser_views.meetup_check_in,
        name="meetup_check_in",
    ),
    path(
        "bijeenkomsten/<int:pk>/deelnemers/binnenloper/",
        organiser_views.meetup_walk_in_guest,
        name="meetup_walk_in_guest",
    ),
    path(
        "bijeenkomsten/<int:pk>/deelnemers/lid-aan-de-deur/",
        organiser_views.meetup_walk_in_member,
        name="meetup_walk_in_member",
    ),
    path(
        "bijeenkomsten/<int:pk>/deelnemers/binnenloper/<int:walk_in_id>/verwijderen/",
        organiser_views.meetup_walk_in_remove,
        name="meetup_walk_in_remove",
    ),
    path("bijeenkomsten/<int:pk>/bericht/", organiser_views.meetup_message, name="meetup_message"),
    path(
        "bijeenkomsten/<int:pk>/verslag/", organiser_views.meetup_report_edit, name="meetup_report"
    ),
    # Calendars (meetups/calendar_views.py)
    path("bijeenkomsten/<int:pk>/agenda.ics", calendar_views.meetup_ics, name="meetup_ics"),
    path(
        "gemeenschappen/<slug:slug>/agenda.ics",
        calendar_views.community_feed,
        name="community_feed",
    ),
    path("themas/<slug:slug>/agenda.ics", calendar_views.theme_feed, name="theme_feed"),
    path("bijeenkomsten/agenda/<str:key>.ics", calendar_views.personal_feed, name="personal_feed"),
    path("bijeenkomsten/mijn-agenda/", calendar_views.my_calendar, name="my_calendar"),
    path(
        "bijeenkomsten/mijn-agenda/nieuw-adres/",
        calendar_views.my_calendar_token_create,
        name="my_calendar_token_create",
    ),
    path(
        "bijeenkomsten/mijn-agenda/adres-intrekken/",
        calendar_views.my_calendar_token_revoke,
        name="my_calendar_token_revoke",
    ),
]
