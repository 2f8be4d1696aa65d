"""Full-text search in documents: the title and the text of the current version.

PostgreSQL keeps a tsvector per document in the `dutch` configuration (title weight A, text
weight B) with a GIN index; a query is ranked with ts_rank_cd and its snippet comes from
ts_headline. SQLite keeps an FTS5 table (rowid = the document's id; accents folded) ranked with
bm25 (the title counting ten times the text) and its snippet() function; each word there is
matched as a prefix.

Dutch plurals: the snowball stemmer of the `dutch` configuration brings "aanvragen" and
"aanvraag" together ('aanvrag'), and "gemeenten"/"gemeente", but not "brieven" ('briev') and
"brief", "huizen" ('huiz') and "huis", or "kinderen" and "kind". `word_forms` adds those forms to a
query word (plural to singular and back, by the regular spelling rules), so that either finds
both, on PostgreSQL and SQLite alike.

Every search starts from documents_for(user): what the user may not see is never a hit, never
counted, never ranked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import F, Value
from django.db.models.functions import Coalesce, Left
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .models import Document
from .queries import documents_for, visible_documents
from .text import HIGHLIGHT_MARKS

CONFIG = "dutch"
MAX_INDEXED_CHARS = 500_000
"""How much of a text goes into the index (a tsvector holds at most 1 MB)."""
MAX_HEADLINE_CHARS = 100_000
"""How much of a text the snippet is looked for in (ts_headline reads all it is given)."""
MAX_WORDS = 8
MAX_PAGES = 10
START, STOP = HIGHLIGHT_MARKS[0], HIGHLIGHT_MARKS[1]
_WORD = re.compile(r"\w+", re.UNICODE)
_VOWELS = "aeiou"


@dataclass(frozen=True)
class Hit:
    document: Document
    rank: float
    snippet: SafeString


@dataclass(frozen=True)
class Results:
    hits: list[Hit]
    has_more: bool
    words: list[str]


def is_postgresql() -> bool:
    return connection.vendor == "postgresql"


# --- keeping the index ---------------------------------------------------------------------------


def index_document(document_id: int, *, title: str | None = None, text: str | None = None) -> None:
    """Put a document's title and its current version's text in the index (call it in the
    transaction that changed either). A caller that has both at hand passes them (no read)."""
    if title is None or text is None:
        row = Document.objects.filter(pk=document_id).values_list("title", "current_version__text").first()
        if row is None:
            return
        title, text = row[0], row[1]
    text = (text or "")[:MAX_INDEXED_CHARS]
    if is_postgresql():
        Document.objects.filter(pk=document_id).update(
            search_vector=SearchVector(Value(title), weight="A", config=CONFIG)
            + SearchVector(Value(text), weight="B", config=CONFIG)
        )
        return
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM documents_search WHERE rowid = %s", [document_id])
        cursor.execute(
            "INSERT INTO documents_search (rowid, title, body) VALUES (%s, %s, %s)",
            [document_id, title, text],
        )


def remove_from_index(document_ids: list[int]) -> None:
    """SQLite's FTS5 rows of deleted documents (PostgreSQL's vector goes with the row)."""
    if is_postgresql() or not document_ids:
        return
    with connection.cursor() as cursor:
        for start in range(0, len(document_ids), 500):
            chunk = document_ids[start : start + 500]
            cursor.execute(
                f"DELETE FROM documents_search WHERE rowid IN ({', '.join(['%s'] * len(chunk))})",
                chunk,
            )


# --- words ---------------------------------------------------------------------------------------


def query_words(query: str) -> list[str]:
    """The words of a query (letters and digits), lower case, at most MAX_WORDS, each once."""
    words = [word.lower() for word in _WORD.findall(query or "") if word.strip("_")]
    return list(dict.fromkeys(word.strip("_") for word in words))[:MAX_WORDS]


def _consonant(letter: str) -> bool:
    return letter.isalpha() and letter not in _VOWELS


def _short_vowel_end(stem: str) -> bool:
    """Ends in consonant, one vowel, consonant: "aanvrag" (of aanvragen), "bus", "strat"."""
    return len(stem) >= 3 and _consonant(stem[-1]) and stem[-2] in _VOWELS and _consonant(stem[-3])


def _long_vowel_end(stem: str) -> bool:
    """Ends in a doubled vowel and a consonant: "aanvraag", "straat", "boom"."""
    return len(stem) >= 4 and _consonant(stem[-1]) and stem[-2] == stem[-3] and stem[-2] in "aou"


def word_forms(word: str) -> list[str]:
    """The word with its regular Dutch singular or plural, by the spelling rules: brieven/brief,
    graven/graaf, huizen/huis, kinderen/kind, aanvragen/aanvraag, straten/straat, bussen/bus,
    gemeenten/gemeente. A form that is not a word costs nothing: it only widens the search."""
    forms = [word]
    if len(word) < 3 or not word.isalpha():
        return forms
    if len(word) > 5 and word.endswith(("ven", "zen")):
        stem, last = word[:-3], "f" if word.endswith("ven") else "s"
        forms.append(stem + last)  # brieven -> brief, huizen -> huis
        if _short_vowel_end(stem + last):
            forms.append(stem + stem[-1] + last)  # graven -> graaf
    elif len(word) > 6 and word.endswith("eren"):
        forms.append(word[:-4])  # kinderen -> kind
    elif len(word) > 4 and word.endswith("en"):
        stem = word[:-2]
        if _consonant(stem[-1]) and stem[-1] == stem[-2]:
            forms.append(stem[:-1])  # bussen -> bus
        elif _short_vowel_end(stem):
            forms.append(stem[:-1] + stem[-2] + stem[-1])  # aanvragen -> aanvraag
        else:
            forms.append(stem)  # gemeenten -> gemeent(e), kerken -> kerk
    elif word[-1] in "fs" and len(word) >= 4 and word[-2] in _VOWELS and word[-3] in _VOWELS:
        plural = "ven" if word[-1] == "f" else "zen"
        if word[-2] == word[-3]:
            forms.append(word[:-2] + plural)  # graaf -> graven
        else:
            forms.append(word[:-1] + plural)  # brief -> brieven, huis -> huizen
    elif _long_vowel_end(word):
        forms.append(word[:-2] + word[-1] + "en")  # aanvraag -> aanvragen, straat -> straten
    elif _short_vowel_end(word):
        forms.append(word + word[-1] + "en")  # bus -> bussen
    return list(dict.fromkeys(forms))


# --- searching -----------------------------------------------------------------------------------


def snippet_html(text: str) -> SafeString:
    """A snippet with its hits marked by START/STOP, as HTML: everything escaped, the marks <mark>."""
    escaped = str(escape(text))
    return mark_safe(escaped.replace(START, "<mark>").replace(STOP, "</mark>"))  # noqa: S308


def search_documents(user: Any, query: str, *, page: int = 1, per_page: int = 20) -> Results:
    """The documents `user` may see that hold every word of `query` (in any of its forms), best
    first, one page of them. Pages go up to MAX_PAGES: refine the search rather than page on."""
    words = query_words(query)
    page = min(max(page, 1), MAX_PAGES)
    if not words or visible_documents(user) is None:
        return Results([], False, [])
    offset = (page - 1) * per_page
    if is_postgresql():
        hits, more = _search_postgresql(user, words, offset=offset, limit=per_page)
    else:
        hits, more = _search_sqlite(user, words, offset=offset, limit=per_page)
    return Results(hits, more and page < MAX_PAGES, words)


def _tsquery(words: list[str]) -> str:
    """A raw tsquery: every word, each in any of its forms. The words are letters and digits
    only (query_words), so nothing in them is tsquery syntax."""
    return " & ".join("(" + " | ".join(word_forms(word)) + ")" for word in words)


def _search_postgresql(user: Any, words: list[str], *, offset: int, limit: int) -> tuple[list[Hit], bool]:
    search = SearchQuery(_tsquery(words), search_type="raw", config=CONFIG)
    found = list(
        documents_for(user)
        .filter(search_vector=search)
        .annotate(rank=SearchRank(F("search_vector"), search, cover_density=True))
        .select_related("current_version", "department")
        .defer("current_version__text", "search_vector")
        .order_by("-rank", "-id")[offset : offset + limit + 1]
    )
    page, more = found[:limit], len(found) > limit
    # The snippets of this page only: ts_headline reads the whole text it is given.
    headlines = dict(
        Document.objects.filter(pk__in=[document.pk for document in page])
        .annotate(
            snippet=SearchHeadline(
                Left(Coalesce(F("current_version__text"), Value("")), MAX_HEADLINE_CHARS),
                search,
                config=CONFIG,
                start_sel=START,
                stop_sel=STOP,
                max_words=30,
                min_words=12,
                max_fragments=2,
                fragment_delimiter=" … ",
            )
        )
        .values_list("pk", "snippet")
    )
    return [
        Hit(document, float(document.rank), snippet_html(headlines.get(document.pk) or ""))
        for document in page
    ], more


def _fts_query(words: list[str]) -> str:
    """An FTS5 query: every word, each as a prefix of any of its forms, quoted (no FTS5 syntax
    gets through)."""
    return " AND ".join("(" + " OR ".join(f'"{form}"*' for form in word_forms(word)) + ")" for word in words)


def _search_sqlite(user: Any, words: list[str], *, offset: int, limit: int) -> tuple[list[Hit], bool]:
    visible, params = documents_for(user).values("id").query.sql_with_params()
    sql = (
        "SELECT rowid, bm25(documents_search, 10.0, 1.0) AS score,"
        " snippet(documents_search, 1, %s, %s, ' … ', 24)"
        " FROM documents_search WHERE documents_search MATCH %s"
        f" AND rowid IN ({visible})"
        " ORDER BY score, rowid DESC LIMIT %s OFFSET %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [START, STOP, _fts_query(words), *params, limit + 1, offset])
        rows = cursor.fetchall()
    page, more = rows[:limit], len(rows) > limit
    documents = (
        Document.objects.filter(pk__in=[row[0] for row in page])
        .select_related("current_version", "department")
        .defer("current_version__text", "search_vector")
        .in_bulk()
    )
    hits = [
        Hit(documents[pk], -float(score), snippet_html(snippet or ""))
        for pk, score, snippet in page
        if pk in documents
    ]
    return hits, more
