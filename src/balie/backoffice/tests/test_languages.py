"""Balie in French and English: the employee chooses the language, and the translations stay complete
(every text in the code is in the catalogues, translated, nothing fuzzy)."""

from __future__ import annotations

import ast
import fcntl
import re
import shutil
import tempfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils.translation import trans_real

from .conftest import html

LOCALE_DIR = Path(settings.LOCALE_PATHS[0])
TRANSLATED = ["fr", "en"]
PLURAL_FORMS = {"fr": "nplurals=2; plural=(n > 1);", "en": "nplurals=2; plural=(n != 1);"}
LOGIN = reverse("backoffice:login")
SET_LANGUAGE = reverse("set_language")
MAKEMESSAGES = (
    "cd src/balie && uv run balie makemessages -l fr -l en --ignore=*/tests/* --ignore=*/migrations/*"
)


@pytest.fixture(scope="module", autouse=True)
def _compiled_translations() -> None:
    """./run compiles the catalogues before the tests; a bare `pytest` compiles them here when they
    are missing or older than the .po files. One test worker at a time: another may be reading them."""
    with open(Path(tempfile.gettempdir()) / "balie-compilemessages.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        stale = [
            lang
            for lang in TRANSLATED
            if not (mo := LOCALE_DIR / lang / "LC_MESSAGES" / "django.mo").exists()
            or mo.stat().st_mtime < mo.with_suffix(".po").stat().st_mtime
        ]
        if stale:
            with pytest.MonkeyPatch.context() as patch:
                patch.chdir(LOCALE_DIR.parent)  # compilemessages also walks the working directory
                call_command("compilemessages", locale=stale, verbosity=0)
            # Forget any catalogue this process read before it was compiled.
            trans_real._translations = {}
            trans_real.translation_catalog_exists.cache_clear()


# -- choosing the language ----------------------------------------------------------------------


def test_the_login_page_is_in_french_when_french_was_chosen(db):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"

    response = client.get(LOGIN)

    page = html(response)
    assert response.status_code == 200
    assert 'lang="fr"' in page
    assert "<title>Connexion – Gemeente Zonnedaal</title>" in page
    assert "<h1>Connexion</h1>" in page
    assert '<label for="id_username">Nom d&#x27;utilisateur' in page
    assert '<label for="id_password">Mot de passe' in page
    assert "L'espace de travail des collaborateurs de la commune." in page
    assert '<a class="skip-link" href="#inhoud">Aller au contenu</a>' in page
    assert "Gebruikersnaam" not in page


def test_the_login_page_is_in_english_when_the_browser_asks_for_english(db):
    response = Client().get(LOGIN, HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9,nl;q=0.5")

    page = html(response)
    assert 'lang="en"' in page
    assert "<h1>Log in</h1>" in page
    assert '<label for="id_username">Username' in page
    assert '<label for="id_password">Password' in page
    assert "The workspace of the municipality's employees." in page
    assert '<button type="submit" class="button">Log in</button>' in page


def test_a_browser_that_asks_for_a_language_balie_does_not_speak_gets_dutch(db):
    response = Client().get(LOGIN, HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9")

    page = html(response)
    assert 'lang="nl-be"' in page
    assert "<h1>Aanmelden</h1>" in page


def test_a_wrong_password_is_refused_in_french(front_desk):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"

    response = client.post(LOGIN, {"username": "onthaal", "password": "fout"})

    page = html(response)
    assert response.status_code == 200
    assert "<h2>La connexion a échoué</h2>" in page
    assert "<p>Le nom d&#x27;utilisateur ou le mot de passe est incorrect.</p>" in page
    assert "_auth_user_id" not in client.session


def test_every_page_offers_the_three_languages_in_its_own_name(db):
    response = Client().get(LOGIN)

    page = html(response)
    assert f'<form class="language-switch no-print" method="post" action="{SET_LANGUAGE}"' in page
    assert '<input type="hidden" name="next" value="/aanmelden">' in page
    assert '<label for="language-select">Taal</label>' in page
    assert (
        '<option value="nl-be" lang="nl-be" selected>Nederlands</option>'
        '<option value="fr" lang="fr">Français</option>'
        '<option value="en" lang="en">English</option>'
    ) in page


def test_an_employee_switches_to_french_and_stays_on_the_same_page(front_desk, desk):
    home = reverse("backoffice:home")

    response = desk.post(SET_LANGUAGE, {"language": "fr", "next": home})

    assert response.status_code == 302
    assert response["Location"] == home
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"
    page = html(desk.get(home))
    assert 'lang="fr"' in page
    assert '<h1 id="search-title">Rechercher un usager</h1>' in page
    assert '<option value="fr" lang="fr" selected>Français</option>' in page
    assert "Raccourcis clavier\u00a0:" in page
    assert ">Déconnexion</button>" in page


def test_the_start_page_is_in_english_for_an_employee_who_chose_english(desk):
    desk.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    page = html(desk.get(reverse("backoffice:home")))

    assert '<h1 id="search-title">Find a customer</h1>' in page
    assert ">Register a contact without a customer</a>" in page
    assert "My tasks" in page
    assert "My department's tasks" in page
    assert ">Log out</button>" in page


def test_choosing_a_language_balie_does_not_speak_changes_nothing(db):
    client = Client()

    client.post(SET_LANGUAGE, {"language": "de", "next": LOGIN})
    page = html(client.get(LOGIN))

    assert 'lang="nl-be"' in page
    assert "<h1>Aanmelden</h1>" in page


# -- the catalogues -----------------------------------------------------------------------------


def read_po(path: Path) -> list[dict]:
    """The entries of a .po file (as msgcat writes it): msgctxt, msgid, msgid_plural, msgstr (a
    list: one per plural form), flags, obsolete. Enough for these checks, not a full parser."""
    entries = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        lines = [line for line in block.splitlines() if line.strip()]
        if not lines:
            continue
        entry: dict = {"msgctxt": None, "msgid_plural": None, "msgstr": [], "flags": set()}
        entry["obsolete"] = all(line.startswith("#~") for line in lines)
        field = None
        for line in lines:
            line = line.removeprefix("#~").strip()
            if line.startswith("#,"):
                entry["flags"] |= {flag.strip() for flag in line[2:].split(",")}
            elif line.startswith("#"):
                continue
            elif line.startswith('"'):
                text = ast.literal_eval(line)
                if field == "msgstr":
                    entry["msgstr"][-1] += text
                else:
                    entry[field] += text
            else:
                keyword, _, quoted = line.partition(" ")
                text = ast.literal_eval(quoted)
                if keyword.startswith("msgstr"):
                    field = "msgstr"
                    entry["msgstr"].append(text)
                else:
                    field = keyword
                    entry[field] = text
        entries.append(entry)
    return entries


def catalogue(lang: str) -> tuple[dict[str, str], list[dict]]:
    """The header fields and the live (not obsolete) messages of a language's django.po."""
    entries = [e for e in read_po(LOCALE_DIR / lang / "LC_MESSAGES" / "django.po") if not e["obsolete"]]
    header = next(e for e in entries if e["msgid"] == "" and e["msgctxt"] is None)
    fields = dict(line.split(": ", 1) for line in header["msgstr"][0].splitlines() if ": " in line)
    return fields, [e for e in entries if e is not header]


def describe(entry: dict) -> str:
    return repr(entry["msgid"]) + (f" (context {entry['msgctxt']!r})" if entry["msgctxt"] else "")


@pytest.mark.parametrize("lang", TRANSLATED)
def test_the_catalogue_declares_its_language_plural_rule_and_utf8(lang):
    fields, _ = catalogue(lang)

    assert fields["Language"] == lang
    assert fields["Plural-Forms"] == PLURAL_FORMS[lang]
    assert fields["Content-Type"] == "text/plain; charset=UTF-8"


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_message_is_translated_and_none_is_fuzzy(lang):
    _, messages = catalogue(lang)

    untranslated = [describe(e) for e in messages if not all(e["msgstr"])]
    fuzzy = [describe(e) for e in messages if "fuzzy" in e["flags"]]
    wrong_forms = [describe(e) for e in messages if e["msgid_plural"] and len(e["msgstr"]) != 2]

    assert len(messages) > 400
    assert untranslated == [], f"untranslated in {lang}/django.po"
    assert fuzzy == [], f"fuzzy in {lang}/django.po: check the translation, then remove the flag"
    assert wrong_forms == []


PLACEHOLDER = re.compile(r"%\(\w+\)[-#0 +]*\d*[sdifr]")


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_translation_keeps_the_placeholders_of_its_message(lang):
    _, messages = catalogue(lang)

    wrong = []
    for entry in messages:
        if "python-format" not in entry["flags"]:
            continue
        source = sorted(set(PLACEHOLDER.findall(entry["msgid_plural"] or entry["msgid"])))
        # The first plural form may say "1" instead of the count.
        for form, text in enumerate(entry["msgstr"]):
            found = sorted(set(PLACEHOLDER.findall(text)))
            if found != source and not (form == 0 and entry["msgid_plural"] and set(found) <= set(source)):
                wrong.append((describe(entry), form, found, source))

    assert wrong == []


def test_every_text_in_the_code_and_templates_is_in_the_catalogues(tmp_path, settings):
    """makemessages on a copy of the code: a new text that nobody added to the catalogues fails here."""
    copy = tmp_path / "balie"
    shutil.copytree(
        LOCALE_DIR.parent, copy, ignore=shutil.ignore_patterns("__pycache__", "locale", "static", "*.mo")
    )
    (copy / "locale").mkdir()
    settings.LOCALE_PATHS = []

    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(copy)
        call_command(
            "makemessages", locale=["fr"], ignore_patterns=["*/tests/*", "*/migrations/*"], verbosity=0
        )

    def keys(entries: list[dict]) -> set[tuple[str | None, str]]:
        return {(e["msgctxt"], e["msgid"]) for e in entries if not e["obsolete"] and e["msgid"]}

    in_code = keys(read_po(copy / "locale" / "fr" / "LC_MESSAGES" / "django.po"))
    assert len(in_code) > 400
    for lang in TRANSLATED:
        missing = sorted(in_code - keys(catalogue(lang)[1]), key=str)
        assert missing == [], f"not in {lang}/django.po: run `{MAKEMESSAGES}` and translate them"
