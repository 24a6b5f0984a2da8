from django.shortcuts import render

from . import selectors


def meetup_list(request):
    return render(
        request,
        "meetups/meetup_list.html",
        {"meetups": selectors.meetup_list_upcoming_visible_to(request.user)},
    )


def meetup_detail(request, pk):
    return render(
        request,
        "meetups/meetup_detail.html",
        {"meetup": selectors.meetup_get_visible(request.user, pk)},
    )
