"""Turn text into index terms for full-text search (used at write time and query time).

The same function runs over stored text and over queries, so whatever it does (folding case
and accents, stemming Indonesian, joining compounds, adding bilingual synonyms) applies to both.
The search module refines this; the schema only needs `index_terms`.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_TOKEN = re.compile(r"\w+", re.UNICODE)


def fold(text: str) -> str:
    """Lower-case and strip accents."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(fold(text))


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    return word


def index_terms(text: str) -> str:
    """Space-separated terms to store in the `terms` column of `search_docs`."""
    return " ".join(stem(t) for t in tokens(text))
