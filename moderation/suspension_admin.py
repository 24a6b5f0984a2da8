"""Schorsingen in the Wagtail admin: librarians suspend members of their libraries'
communities, and lift suspensions; superusers anyone (`suspension.member_suspend_refusal`).

Librarians have no rights on Wagtail's own user views (/cms/users/, superusers only), so this is
a view of its own under Moderatie: a searchable list of the members in scope, who is suspended
and until when, and per member a form (until a date, or for good; a reason) and a button to
lift it. The services decide and write the moderation log; these views parse and render.

Registered from `apps.ModerationConfig.ready` (Wagtail only looks for hooks in
`wagtail_hooks.py`, which holds the review queue and the log).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSet

from communities.models import Membership, User
from communities.selectors import user_library_ids, user_manages_all_communities
from communities.suspension import is_suspended, suspension_until_text

from .member_forms import SuspendForm
from .suspension import account_suspend, account_unsuspend, member_suspend_refusal

MEMBERS_PER_PAGE = 50
INDEX_URL_NAME = "schorsingen:index"


def user_can_suspend(user) -> bool:
    """Librarians with a library, and superusers."""
    return bool(
        user.is_authenticated
        and user.is_active
        and (user_manages_all_communities(user) or user_library_ids(user))
    )


def member_list_for_suspension(
    viewer: User, *, query: str = "", only_suspended: bool = False
) -> QuerySet[User]:
    """The members the viewer may look up here: those with a membership (of any state) in a
    community of the viewer's libraries; everyone for a superuser. Suspended first when asked."""
    qs = User.objects.all()
    if not user_manages_all_communities(viewer):
        in_scope = Membership.objects.filter(
            user_id=OuterRef("pk"), community__library_id__in=list(user_library_ids(viewer))
        )
        qs = qs.filter(Exists(in_scope))
    if query := query.strip():
        qs = qs.filter(
            Q(display_name__icontains=query)
            | Q(email__icontains=query)
            | Q(handle__icontains=query.lstrip("@"))
        )
    if only_suspended:
        now = timezone.now()
        qs = qs.filter(suspended_at__lte=now).filter(
            Q(suspended_until__isnull=True) | Q(suspended_until__gt=now)
        )
    return qs.order_by("display_name", "pk")


def _require(request: HttpRequest) -> None:
    if not user_can_suspend(request.user):
        raise PermissionDenied


def _status(member: User) -> str:
    if not is_suspended(member):
        return ""
    return _("Geschorst %(until)s") % {"until": suspension_until_text(member)}


class SuspensionIndexView(WagtailAdminTemplateMixin, TemplateView):
    page_title = gettext_lazy("Schorsingen")
    header_icon = "lock"
    template_name = "moderation/admin/suspensions.html"

    def dispatch(self, request, *args, **kwargs):
        _require(request)
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.get("q", "")[:100]
        only_suspended = self.request.GET.get("geschorst") == "1"
        members = member_list_for_suspension(
            self.request.user, query=query, only_suspended=only_suspended
        )
        page = Paginator(members, MEMBERS_PER_PAGE).get_page(self.request.GET.get("p"))
        rows = [(member, _status(member)) for member in page.object_list]
        context.update(
            {"page": page, "rows": rows, "query": query, "only_suspended": only_suspended}
        )
        return context


class SuspensionMemberView(WagtailAdminTemplateMixin, TemplateView):
    """One member: their suspension, the form to suspend (or change it), and lifting it."""

    header_icon = "lock"
    template_name = "moderation/admin/suspension_member.html"
    form: SuspendForm | None = None

    def dispatch(self, request, *args, **kwargs):
        _require(request)
        member = member_list_for_suspension(request.user).filter(pk=kwargs["pk"]).first()
        if member is None:
            raise Http404
        self.member = member
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("Schorsing van %(name)s") % {"name": self.member.display_name}

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(INDEX_URL_NAME), "label": _("Schorsingen")},
            {"url": "", "label": self.member.display_name},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = self.form or SuspendForm(
            initial={"reason": self.member.suspension_reason} if is_suspended(self.member) else None
        )
        context.update(
            {
                "member": self.member,
                "status": _status(self.member),
                "suspended": is_suspended(self.member),
                "refusal": member_suspend_refusal(self.request.user, self.member),
                "form": form,
            }
        )
        return context

    def post(self, request, *args, **kwargs):
        if request.POST.get("action") == "lift":
            return self._lift(request)
        form = SuspendForm(request.POST)
        if form.is_valid():
            try:
                account_suspend(
                    by=request.user,
                    user=self.member,
                    until=form.until_moment(),
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as error:
                _add_errors(form, error)
            except PermissionDenied as error:
                form.add_error(None, str(error) or _("Je mag dit account niet schorsen."))
            else:
                messages.success(
                    request,
                    _("%(name)s is geschorst %(until)s.")
                    % {
                        "name": self.member.display_name,
                        "until": suspension_until_text(self.member),
                    },
                )
                return redirect(INDEX_URL_NAME)
        self.form = form
        response = self.get(request, *args, **kwargs)
        response.status_code = 400
        return response

    def _lift(self, request):
        try:
            account_unsuspend(by=request.user, user=self.member)
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, " ".join(getattr(error, "messages", None) or [str(error)]))
            return redirect("schorsingen:member", pk=self.member.pk)
        messages.success(
            request,
            _("De schorsing van %(name)s is opgeheven.") % {"name": self.member.display_name},
        )
        return redirect(INDEX_URL_NAME)


def _add_errors(form: SuspendForm, error: ValidationError) -> None:
    """The service's field errors at the form's fields ("until", "reason"), others on top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


class _SuspensionMenuItem(MenuItem):
    def is_shown(self, request):
        return user_can_suspend(request.user)


class SuspensionViewSet(ViewSet):
    name = "schorsingen"
    url_prefix = "moderatie/schorsingen"
    icon = "lock"
    menu_label = gettext_lazy("Schorsingen")
    menu_item_class = _SuspensionMenuItem
    add_to_admin_menu = True
    menu_order = 256  # right after Moderatie

    def get_urlpatterns(self):
        return [
            path("", SuspensionIndexView.as_view(), name="index"),
            path("<int:pk>/", SuspensionMemberView.as_view(), name="member"),
        ]


@hooks.register("register_admin_viewset")
def register_suspension_viewset():
    return SuspensionViewSet()
