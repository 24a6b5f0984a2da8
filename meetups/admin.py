"""The Django admin (/django-admin/) for meetups, programmes and RSVPs."""

from django.contrib import admin

from .models import Meetup, Rsvp, Session


class SessionInline(admin.TabularInline):
    model = Session
    extra = 0


@admin.register(Meetup)
class MeetupAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "starts_at", "community", "status", "capacity")
    list_filter = ("kind", "status")
    list_select_related = ("community",)
    search_fields = ("title", "description")
    raw_id_fields = ("community", "branch")
    filter_horizontal = ("themes", "organisers")
    date_hierarchy = "starts_at"
    inlines = [SessionInline]


@admin.register(Rsvp)
class RsvpAdmin(admin.ModelAdmin):
    list_display = ("user", "meetup", "state", "created_at")
    list_filter = ("state",)
    list_select_related = ("user", "meetup")
    raw_id_fields = ("user", "meetup")
