from django.http import HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control, patch_vary_headers

from .ratelimit import suggest_allowed
from .selectors import FILTER_PARAMS, search_for, search_suggest
from .services import search_miss_record


def search(request):
    """/zoeken/?q=…: results, filters with counts, pages. Works without JavaScript."""
    get = request.GET
    result = search_for(
        request.user,
        get.get("q", ""),
        kind=get.get("soort"),
        theme=get.get("thema"),
        community=get.get("gemeenschap"),
        region=get.get("regio"),
        order=get.get("volgorde", "relevantie"),
        page=get.get("pagina"),
    )
    if _is_plain_miss(request, result):
        search_miss_record(query=get.get("q", ""))
    _link_facets(request, result)
    return render(request, "search/search.html", {"result": result})


def _is_plain_miss(request, result) -> bool:
    """A query that alone found nothing, asked on its first page: what librarians see under
    Niet gevonden. A filter that narrows the results to none is no gap in the collection."""
    return (
        result.searched
        and result.total == 0
        and not result.filters
        and request.GET.get("pagina", "1") in ("", "1")
    )


def _link_facets(request, result) -> None:
    """Each facet links to these results with its filter set, or cleared when it is chosen."""
    for param, facets in zip(FILTER_PARAMS, result.facet_groups, strict=True):
        for facet in facets:
            params = request.GET.copy()
            params.pop("pagina", None)
            if facet.selected:
                params.pop(param, None)
            else:
                params[param] = facet.value
            facet.href = f"?{params.urlencode()}"


def suggest(request):
    """/zoeken/suggesties/?q=…: the listbox options for the header field's script
    (static/js/search-suggest.js), an HTML fragment. Per visitor, never in a shared cache: it
    depends on who asks. Past the rate limit an empty 429, which the script ignores."""
    if not suggest_allowed(request):
        response = HttpResponse(status=429)
    else:
        groups = search_suggest(request.user, request.GET.get("q", ""))
        count = sum(len(group.suggestions) for group in groups)
        response = render(request, "search/suggestions.html", {"groups": groups, "count": count})
    patch_cache_control(response, private=True, no_store=True)
    patch_vary_headers(response, ("Cookie",))
    return response
