"""Per-library rights in the Wagtail admin.

A librarian manages the communities of their own libraries, and with them the memberships,
contributions and comments there. Wagtail's snippet views check permissions per model only, so
every model that belongs to a library gets a `LibraryScopedPermissionPolicy` (registered with
`register_library_scope`) and its viewset takes `LibraryScopedViewSetMixin`, which:

- filters the listing to the viewer's libraries;
- refuses (403) to open, edit, copy, delete or show the history or usage of a row of another
  library, also when someone types its address;
- narrows every choice of a scoped model in the add and edit forms (a community, a library)
  to the viewer's own, so nothing can be moved to or created in another library;
- limits the chooser pop-ups (dossier picks, article and home blocks, meetups) to the viewer's
  own rows plus what the model opens to every admin user with `choosable`: a librarian curates
  for everyone, so public communities and their published contributions can be chosen from any
  library, but a private community of another library and what is written there never show.

Superusers see everything. A librarian without a library has no rights on these models at all,
so the menu hides them; themes, dossiers and articles are not scoped.
"""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import policy_registry, register_permission_policy
from wagtail.snippets.views import chooser as chooser_views
from wagtail.snippets.views import snippets as snippet_views

from .selectors import (
    Viewer,
    library_scope_filter,
    user_is_library_librarian,
    user_library_ids,
    user_manages_all_communities,
)


class LibraryScopedPermissionPolicy(ModelPermissionPolicy):
    """Django's model permissions, limited to the rows of the viewer's libraries.

    `library_lookup` is the ORM path from the model to its library: "library" for a community,
    "community__library" for a membership, "pk" for the library itself. `choosable` gives the
    rows of other libraries the viewer may still pick in a chooser (None: none).
    """

    def __init__(
        self, model, *, library_lookup: str, choosable: Callable[[Viewer], Q] | None = None
    ):
        super().__init__(model)
        self.library_lookup = library_lookup
        self.choosable = choosable

    def _has_scope(self, user: Viewer) -> bool:
        return user_manages_all_communities(user) or bool(user_library_ids(user))

    def user_has_permission(self, user, action):
        return super().user_has_permission(user, action) and self._has_scope(user)

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action) and self.user_may_reach(user, instance)

    def user_may_reach(self, user: Viewer, instance: Model) -> bool:
        """Whether `instance` is in the viewer's scope; subclasses widen it (meetups)."""
        return user_is_library_librarian(user, self.library_id_of(instance))

    def instances_user_has_any_permission_for(self, user, actions):
        return self.scope(user, super().instances_user_has_any_permission_for(user, actions))

    def scope(self, user: Viewer, queryset: QuerySet) -> QuerySet:
        return queryset.filter(library_scope_filter(user, self.library_lookup))

    def chooser_scope(self, user: Viewer, queryset: QuerySet) -> QuerySet:
        """What the viewer may pick in a chooser: their own rows and the `choosable` ones."""
        if user_manages_all_communities(user):
            return queryset
        # Never empty for anyone else (`lookup__in=[...]`), so `|` cannot widen it to all.
        allowed = library_scope_filter(user, self.library_lookup)
        if self.choosable is not None:
            allowed |= self.choosable(user)
        return queryset.filter(allowed)

    def library_id_of(self, instance: Model) -> int | None:
        if self.library_lookup == "pk":
            return instance.pk
        *path, last = self.library_lookup.split("__")
        obj = instance
        for name in path:
            obj = getattr(obj, name, None)
            if obj is None:
                return None
        return getattr(obj, f"{last}_id", None)


def register_library_scope(
    model: type[Model],
    library_lookup: str,
    *,
    choosable: Callable[[Viewer], Q] | None = None,
) -> None:
    """Register the scoped policy; call this before the model's viewset is registered."""
    register_permission_policy(
        model,
        LibraryScopedPermissionPolicy(model, library_lookup=library_lookup, choosable=choosable),
    )


def choosable_by_everyone(user: Viewer) -> Q:
    """For `choosable`: every row (libraries and branches are public addresses)."""
    return Q(pk__isnull=False)


def scoped_policy_for(model: type[Model]) -> LibraryScopedPermissionPolicy | None:
    policy = policy_registry.get_by_type(model, fallback=False)
    return policy if isinstance(policy, LibraryScopedPermissionPolicy) else None


def limit_choices_to_scope(form: forms.BaseForm, user: Viewer) -> None:
    """Offer only the viewer's own communities, libraries, contributions… in `form`.

    A form with `limits_own_choices = True` narrows its choices itself (the meetup form:
    organisers choose any community, librarians those of their libraries)."""
    if getattr(form, "limits_own_choices", False):
        return
    for field in form.fields.values():
        if isinstance(field, forms.ModelChoiceField):
            policy = scoped_policy_for(field.queryset.model)
            if policy is not None:
                field.queryset = policy.scope(user, field.queryset)
                # A chooser widget keeps its own queryset; the select widget uses the field's.
                if hasattr(field.widget, "choices"):
                    field.widget.choices = field.choices


class _ScopedObjectMixin:
    """Refuse a row of another library, whatever the address says."""

    def get_object(self, *args, **kwargs):
        obj = super().get_object(*args, **kwargs)
        policy = scoped_policy_for(self.model)
        if policy is not None and not policy.user_may_reach(self.request.user, obj):
            raise PermissionDenied
        return obj


class _ScopedFormMixin:
    def get_form(self, *args, **kwargs):
        form = super().get_form(*args, **kwargs)
        limit_choices_to_scope(form, self.request.user)
        return form


class ScopedIndexView(snippet_views.IndexView):
    def get_base_queryset(self):
        queryset = super().get_base_queryset()
        policy = scoped_policy_for(self.model)
        return queryset if policy is None else policy.scope(self.request.user, queryset)


class ScopedCreateView(_ScopedFormMixin, snippet_views.CreateView):
    pass


class ScopedCopyView(_ScopedObjectMixin, _ScopedFormMixin, snippet_views.CopyView):
    pass


class ScopedEditView(_ScopedObjectMixin, _ScopedFormMixin, snippet_views.EditView):
    pass


class ScopedDeleteView(_ScopedObjectMixin, snippet_views.DeleteView):
    pass


class ScopedUsageView(_ScopedObjectMixin, snippet_views.UsageView):
    pass


class ScopedHistoryView(_ScopedObjectMixin, snippet_views.HistoryView):
    pass


class ScopedInspectView(_ScopedObjectMixin, snippet_views.InspectView):
    pass


class _ChooserScopeMixin:
    def chooser_scope(self, queryset: QuerySet) -> QuerySet:
        policy = scoped_policy_for(self.model_class)
        return queryset if policy is None else policy.chooser_scope(self.request.user, queryset)


class ScopedChooseView(_ChooserScopeMixin, chooser_views.ChooseView):
    def get_object_list(self):
        return self.chooser_scope(super().get_object_list())


class ScopedChooseResultsView(_ChooserScopeMixin, chooser_views.ChooseResultsView):
    def get_object_list(self):
        return self.chooser_scope(super().get_object_list())


class ScopedChosenView(_ChooserScopeMixin, chooser_views.SnippetChosenView):
    def get_object(self, pk):
        # DoesNotExist, also for a row out of scope: the view answers 404.
        return self.chooser_scope(self.model_class.objects.all()).get(pk=pk)


class ScopedChosenMultipleView(_ChooserScopeMixin, chooser_views.SnippetChosenMultipleView):
    def get_objects(self, pks):
        return self.chooser_scope(super().get_objects(pks))


class ScopedSnippetChooserViewSet(chooser_views.SnippetChooserViewSet):
    choose_view_class = ScopedChooseView
    choose_results_view_class = ScopedChooseResultsView
    chosen_view_class = ScopedChosenView
    chosen_multiple_view_class = ScopedChosenMultipleView


class LibraryScopedViewSetMixin:
    """Put this before SnippetViewSet for a model registered with `register_library_scope`."""

    chooser_viewset_class = ScopedSnippetChooserViewSet

    index_view_class = ScopedIndexView
    add_view_class = ScopedCreateView
    copy_view_class = ScopedCopyView
    edit_view_class = ScopedEditView
    delete_view_class = ScopedDeleteView
    usage_view_class = ScopedUsageView
    history_view_class = ScopedHistoryView
    inspect_view_class = ScopedInspectView
