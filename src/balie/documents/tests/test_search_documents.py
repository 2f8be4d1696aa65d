"""Full-text search in the title and text of documents: ranked (the title counts more), with a
snippet that marks the words found, Dutch singular and plural finding each other; on PostgreSQL
(the `dutch` configuration) and on SQLite (FTS5) alike. What the user may not see is no hit."""

from __future__ import annotations

import pytest
from django.db import connection

from balie.core.worker import run_ready_tasks
from balie.documents.actions import add_version, destroy_documents, store_document
from balie.documents.search import search_documents, word_forms

from .samples import upload


def stored(user, title: str, text: str, **options):  # type: ignore[no-untyped-def]
    document = store_document(file=upload(f"{title}.txt", text.encode()), title=title, by=user, **options)
    run_ready_tasks()
    return document


def titles(user, query: str) -> list[str]:
    return [hit.document.title for hit in search_documents(user, query).hits]


def test_a_word_in_the_text_finds_the_document(handler):
    stored(handler, "Verslag", "Het college besliste over het terras van café De Zon.")
    stored(handler, "Nota", "Een nota over de wekelijkse markt.")

    assert titles(handler, "terras") == ["Verslag"]
    assert titles(handler, "markt") == ["Nota"]
    assert titles(handler, "kerkhof") == []


def test_every_word_must_be_found(handler):
    stored(handler, "Verslag", "Het terras van café De Zon.")
    stored(handler, "Nota", "Het terras van de bibliotheek.")

    assert titles(handler, "terras bibliotheek") == ["Nota"]


def test_a_word_in_the_title_ranks_above_the_same_word_in_the_text(handler):
    stored(handler, "Notulen", "Een lange tekst waarin ergens het woord kermis staat.")
    stored(handler, "Kermis 2026", "Aanvraag voor standplaatsen.")

    results = search_documents(handler, "kermis")

    assert [hit.document.title for hit in results.hits] == ["Kermis 2026", "Notulen"]
    assert results.hits[0].rank > results.hits[1].rank


def test_the_snippet_marks_the_words_and_escapes_the_text(handler):
    stored(handler, "Klacht", "De buurman schreef: 5 < 7 & <b>vet</b> over het lawaai van de fuif.")

    [hit] = search_documents(handler, "lawaai").hits

    assert "<mark>lawaai</mark>" in hit.snippet
    # PostgreSQL's ts_headline leaves tags out, SQLite's snippet keeps them: escaped either way
    assert "5 &lt; 7 &amp;" in hit.snippet and "vet" in hit.snippet and "<b>" not in hit.snippet


@pytest.mark.parametrize(
    ("text", "query"),
    [
        ("Wij ontvingen uw brief van 3 maart.", "brieven"),
        ("Alle brieven werden verstuurd.", "brief"),
        ("De huizen in de Kerkstraat.", "huis"),
        ("Een huis in de Kerkstraat.", "huizen"),
        ("Uw aanvraag is volledig.", "aanvragen"),
        ("Drie aanvragen zijn volledig.", "aanvraag"),
        ("De straten worden geveegd.", "straat"),
        ("Alle gemeenten van de provincie.", "gemeente"),
        ("De kinderen van de school.", "kinderen"),
        ("Het kind van de buren.", "kinderen"),
    ],
)
def test_dutch_singular_and_plural_find_each_other(handler, text, query):
    stored(handler, "Document", text)

    assert titles(handler, query) == ["Document"]


def test_the_word_forms_follow_the_spelling_rules():
    assert word_forms("brieven") == ["brieven", "brief"]
    assert word_forms("graaf") == ["graaf", "graven"]
    assert word_forms("aanvraag") == ["aanvraag", "aanvragen"]
    assert word_forms("bussen") == ["bussen", "bus"]
    assert word_forms("2026") == ["2026"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the snowball stemmer is PostgreSQL's")
def test_postgresql_stems_dutch_words_itself(handler):
    stored(handler, "Vergunning", "De bouwvergunningen werden verleend.")

    assert titles(handler, "bouwvergunning") == ["Vergunning"]
    assert titles(handler, "verlenen") == []  # a different stem ('verlen' / 'verleend')


def test_accents_do_not_matter_on_sqlite_and_are_kept_apart_by_postgresql_only_where_dutch_does(handler):
    stored(handler, "Café", "Het café aan de markt.")

    assert titles(handler, "café") == ["Café"]


def test_a_confidential_document_of_another_department_is_never_a_hit(handler, front_desk):
    stored(handler, "Tuchtdossier", "Het tuchtdossier van een personeelslid.", confidential=True)
    stored(handler, "Openbaar", "Het reglement over het tuchtdossier.")

    assert titles(handler, "tuchtdossier") == ["Tuchtdossier", "Openbaar"]
    results = search_documents(front_desk, "tuchtdossier")
    assert [hit.document.title for hit in results.hits] == ["Openbaar"]
    assert results.has_more is False


def test_a_citizen_finds_nothing(handler, citizen):
    stored(handler, "Verslag", "Het terras van café De Zon.")

    assert titles(citizen, "terras") == []


def test_a_query_without_words_finds_nothing(handler):
    stored(handler, "Verslag", "Het terras.")

    assert titles(handler, "  ' \" * -- ( ") == []
    assert titles(handler, "") == []


def test_search_syntax_in_the_query_is_only_text(handler):
    stored(handler, "Verslag", "Het terras van café De Zon.")

    assert titles(handler, 'terras" OR "x*') == []
    assert titles(handler, "terras & | ! :*") == ["Verslag"]


def test_results_come_a_page_at_a_time(handler):
    for number in range(5):
        stored(handler, f"Verslag {number}", "De vergadering over het terras.")

    first = search_documents(handler, "terras", per_page=2)
    third = search_documents(handler, "terras", page=3, per_page=2)

    assert len(first.hits) == 2 and first.has_more
    assert len(third.hits) == 1 and not third.has_more
    seen = {
        hit.document.pk
        for page in (1, 2, 3)
        for hit in search_documents(handler, "terras", page=page, per_page=2).hits
    }
    assert len(seen) == 5


def test_the_text_of_the_current_version_is_searched(handler):
    document = stored(handler, "Nota", "Eerste versie over de markt.")

    add_version(document=document, file=upload("v2.txt", b"Tweede versie over de kermis."), by=handler)
    assert titles(handler, "markt") == []  # the new version is not read yet; the title still finds it
    assert titles(handler, "nota") == ["Nota"]
    run_ready_tasks()

    assert titles(handler, "kermis") == ["Nota"]
    assert titles(handler, "markt") == []


def test_a_destroyed_document_is_gone_from_the_search(handler):
    document = stored(handler, "Verslag", "Het terras van café De Zon.")

    destroy_documents(documents=[document], by=handler, reason="test")

    assert titles(handler, "terras") == []
