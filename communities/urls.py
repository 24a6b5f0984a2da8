from django.urls import path

from . import deletion, views

app_name = "communities"

urlpatterns = [
    path("gemeenschappen/", views.community_list, name="community_list"),
    path("gemeenschappen/<slug:slug>/", views.community_detail, name="community_detail"),
    path("gemeenschappen/<slug:slug>/lid-worden/", views.community_join, name="community_join"),
    path("gemeenschappen/<slug:slug>/opzeggen/", views.community_leave, name="community_leave"),
    path("gemeenschappen/<slug:slug>/leden/", views.community_members, name="community_members"),
    path(
        "gemeenschappen/<slug:slug>/leden/<int:membership_id>/",
        views.membership_decide,
        name="membership_decide",
    ),
    path(
        "gemeenschappen/<slug:slug>/leden/<int:membership_id>/afwijzen/",
        views.membership_decline,
        name="membership_decline",
    ),
    path("leden/<slug:handle>/", views.member_detail, name="member_detail"),
    path("wie-weet-wat/", views.who_knows_what, name="who_knows_what"),
    path("instellingen/profiel/", views.profile_edit, name="profile_edit"),
    path(
        "instellingen/account-verwijderen/",
        deletion.account_delete_view,
        name="account_delete",
    ),
    path("tot-ziens/", deletion.account_deleted_view, name="account_deleted"),
]
