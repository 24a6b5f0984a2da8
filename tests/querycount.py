"""Lock a page's query count: the same number of queries for 3 items as for 30.

`django_assert_max_num_queries` only caps a number, so an N+1 below the cap goes unnoticed.
Measuring the page at two sizes and requiring equal counts catches every query that grows with
the length of a list, whatever the list.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import connection
from django.test.utils import CaptureQueriesContext

# label -> (queries with 3 items, queries with 30 items); conftest prints them after the run.
measured_counts: dict[str, tuple[int, int]] = {}


def count_queries(client, url: str) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, f"GET {url} -> {response.status_code}"
    return len(ctx.captured_queries), [q["sql"] for q in ctx.captured_queries]


def assert_constant_queries(
    client,
    url: str | Callable[[], str],
    add_items: Callable[[int], None],
    *,
    label: str,
    at_most: int | None = None,
) -> tuple[int, int]:
    """Render `url` with 3 items and with 30 items; both must take the same number of queries.

    `add_items(n)` creates n more items. The page is requested once before each measurement so
    that caches (content types, the Wagtail site root, the site's library, which a save of a
    library or branch in `add_items` forgets) are warm in both: a query per row still shows,
    a cache refilled once after a change does not.
    `at_most` locks the number itself too: a query more on the page, even a constant one, is
    then a decision someone makes (and raises the number), not a drift nobody sees.
    """
    resolve = url if callable(url) else (lambda: url)
    add_items(3)
    client.get(resolve())
    small, small_sql = count_queries(client, resolve())
    add_items(27)
    client.get(resolve())
    large, large_sql = count_queries(client, resolve())
    measured_counts[label] = (small, large)
    extra = "\n".join(q for q in large_sql if q not in small_sql)
    assert small == large, (
        f"{label}: {small} queries for 3 items, {large} for 30 — an N+1.\n"
        f"Queries only in the larger page:\n{extra}"
    )
    if at_most is not None:
        sql = "\n".join(small_sql)
        assert small <= at_most, (
            f"{label}: {small} queries, locked at {at_most}. A new query on this page? Avoid it, "
            f"or raise the lock in the test if the page needs it.\nThe queries:\n{sql}"
        )
    return small, large
