from django.shortcuts import render

from .selectors import FILTER_PARAMS, search_for


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
    _link_facets(request, result)
    return render(request, "search/search.html", {"result": result})


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
