from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from django.urls import translate_url
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import get_language

from kenniscloud.common.tasks import account_mail_send, message_to_json

from .services import member_assign_handle


class AccountAdapter(DefaultAccountAdapter):
    """Members sign up with a name and an email address; the handle is derived from the name."""

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        user.display_name = form.cleaned_data["display_name"].strip()
        if form.cleaned_data.get("accept_terms"):
            # What they said yes to, and when (AVG: consent must be demonstrable).
            user.terms_version = settings.PRIVACY_STATEMENT_VERSION
            user.terms_accepted_at = timezone.now()
        if commit:
            member_assign_handle(user=user)
        return user

    def get_email_confirmation_url(self, request, emailconfirmation):
        """allauth's link, plus where the member signed up from (`next`, a local path only).

        In the browser that signed up, allauth resumes the login after confirming and goes to
        `next` by itself; the link carries it for a mail opened elsewhere (another browser, the
        phone's mail app), where the confirmation page passes it on in its form.
        """
        url = super().get_email_confirmation_url(request, emailconfirmation)
        next_url = _local_next_url(request)
        return f"{url}?{urlencode({'next': next_url})}" if next_url else url

    def get_login_redirect_url(self, request):
        # Stay in the language the member was using: /en/ after logging in from /en/.
        return translate_url(settings.LOGIN_REDIRECT_URL, get_language())

    def send_mail(self, template_prefix, email, context):
        """As allauth's, but sent by a Celery task (allauth's documented way): signing up,
        confirming and resetting a password do not wait for the mail server, nor fail when it
        is down; the task retries, and is kept when the broker is down too (common/publish.py).
        """
        request = allauth_context.request
        context = {
            "request": request,
            "email": email,
            "current_site": get_current_site(request),
            **context,
        }
        message = self.render_mail(template_prefix, email, context)
        account_mail_send.publish_or_keep([message_to_json(message)])


def _local_next_url(request) -> str:
    """The request's `next` when it is a path on this site; else ''. No host is allowed, so
    a link in a mail can never send anyone elsewhere."""
    if request is None:
        return ""
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if next_url and url_has_allowed_host_and_scheme(next_url, allowed_hosts=set()):
        return next_url
    return ""
