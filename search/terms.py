"""A query's words, for the engines that do not read the query language themselves: the SQLite
fallback (icontains), the marking of excerpts in Python, and Wagtail's search backends
(search/engine.py). PostgreSQL's own path hands the text to `websearch_to_tsquery` instead.

"quoted phrases" and words are looked for, -words left out; "or" and Dutch "of" are dropped
(these engines do not support them).
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class QueryTerms:
    included: tuple[str, ...]  # words and phrases, in the order typed
    phrases: frozenset[str]  # which of `included` were quoted
    excluded: tuple[str, ...]  # the -words, without their minus


def query_terms(query: str) -> QueryTerms:
    included: list[str] = []
    phrases: set[str] = set()
    excluded: list[str] = []
    for phrase, word in re.findall(r'"([^"]+)"|(\S+)', query):
        if phrase:
            included.append(phrase)
            phrases.add(phrase)
        elif word.startswith("-") and len(word) > 1:
            excluded.append(word[1:])
        elif word.lower() not in ("or", "of"):
            included.append(word)
    return QueryTerms(tuple(included), frozenset(phrases), tuple(excluded))
