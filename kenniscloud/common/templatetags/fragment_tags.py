"""`{% shared_fragment "name" %}…{% endshared_fragment %}`: a part of a page that shows only what
the viewer may see and nothing of the viewer themselves, rendered once for everyone who may see
the same communities (kenniscloud/common/fragments.py). Whatever the part reads from the context
must depend on nothing else but the path; make it lazy (SimpleLazyObject) so a kept part
costs no query."""

from __future__ import annotations

from django import template

from ..fragments import shared_fragment

register = template.Library()


class SharedFragmentNode(template.Node):
    def __init__(self, name: str, nodelist: template.NodeList):
        self.name = name
        self.nodelist = nodelist

    def render(self, context) -> str:
        request = context.get("request")
        if request is None or not hasattr(request, "user"):
            return self.nodelist.render(context)
        origin = getattr(self.origin, "name", "")  # the template: one name, one place
        # The path too: one template shows every theme, each its own part. Not the query
        # string: the pages that use this tag read none, and `?x=1` must not make another.
        return shared_fragment(
            request,
            f"{origin}:{self.name}",
            request.path,
            lambda: self.nodelist.render(context),
        )


@register.tag
def shared_fragment_tag(parser, token):
    bits = token.split_contents()
    if len(bits) != 2 or bits[1][0] not in "\"'" or bits[1][0] != bits[1][-1]:
        raise template.TemplateSyntaxError('Use {% shared_fragment "name" %}')
    nodelist = parser.parse(("endshared_fragment",))
    parser.delete_first_token()
    return SharedFragmentNode(bits[1][1:-1], nodelist)


register.tag("shared_fragment", shared_fragment_tag)
