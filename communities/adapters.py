from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language

from .services import member_assign_handle


class AccountAdapter(DefaultAccountAdapter):
    """Members sign up with a name and an email address; the handle is derived from the name."""

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        user.display_name = form.cleaned_data["display_name"].strip()
        if commit:
            member_assign_handle(user=user)
        return user

    def get_login_redirect_url(self, request):
        # Stay in the language the member was using: /en/ after logging in from /en/.
        return translate_url(settings.LOGIN_REDIRECT_URL, get_language())
