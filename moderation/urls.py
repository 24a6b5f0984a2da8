from django.urls import path

from . import queue_views, views

app_name = "moderation"

urlpatterns = [
    path("melden/mijn/", views.report_list_own, name="report_list_own"),
    path("melden/bedankt/<int:pk>/", views.report_thanks, name="report_thanks"),
    path("melden/<slug:kind>/<int:pk>/", views.report_create, name="report_create"),
    # The review queue of hosts, moderators and librarians (moderation.queue_views).
    path("moderatie/", queue_views.queue_list, name="queue"),
    path("moderatie/samen/", queue_views.queue_bulk, name="queue_bulk"),
    path("moderatie/<int:pk>/", queue_views.case_detail, name="case_detail"),
    path("moderatie/<int:pk>/besluit/", queue_views.case_decide, name="case_decide"),
]
