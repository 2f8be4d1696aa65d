"""The practical exercises an assessment can use, done in the browser (plain forms, no script).

Each exercise reads its outcome from the submitted form (and file) and, where the outcome can be
checked, checks it. HR composes exercises into an assessment (which competence and level each one
measures, and whether it is scored automatically or by an evaluator with a rubric).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def strip_control_chars(value: str) -> str:
    return _CONTROL.sub("", value)


def practice_file(attempt_uuid: str) -> bytes:
    """The file the attachment exercise asks to save and attach again: unique per attempt."""
    return (
        f"Gemeente Zonnedaal – attest gezinssamenstelling (oefenbestand digicheck)\nKenmerk: {attempt_uuid}\n"
    ).encode()


def _digits(value: str) -> str:
    return re.sub(r"\D", "", value)


def _text(value: str) -> str:
    return " ".join(strip_control_chars(value).split()).casefold()


@dataclass(frozen=True)
class Exercise:
    slug: str
    title: Any
    task: Any
    checkable: bool
    read: Callable[[Mapping[str, str], UploadedFile | None], dict[str, Any]]
    check: Callable[[dict[str, Any], str], bool]

    @property
    def template(self) -> str:
        return f"backoffice/digicheck/exercises/{self.slug}.html"


def _read_field(name: str) -> Callable[[Mapping[str, str], UploadedFile | None], dict[str, Any]]:
    def read(data: Mapping[str, str], _file: UploadedFile | None) -> dict[str, Any]:
        return {name: strip_control_chars(data.get(name, ""))[:500]}

    return read


FORM_EXPECTED = {
    "naam": "an peeters",
    "straat": "kerkstraat 12",
    "postcode": "2645",
    "verhuisdatum": "2026-12-01",
}


def _read_form(data: Mapping[str, str], _file: UploadedFile | None) -> dict[str, Any]:
    return {name: strip_control_chars(data.get(name, ""))[:200] for name in FORM_EXPECTED}


def _check_form(outcome: dict[str, Any], _attempt: str) -> bool:
    return all(_text(str(outcome.get(name, ""))) == expected for name, expected in FORM_EXPECTED.items())


def _read_file(_data: Mapping[str, str], file: UploadedFile | None) -> dict[str, Any]:
    if file is None:
        return {"file": None}
    digest = hashlib.sha256()
    size = 0
    for chunk in file.chunks():
        size += len(chunk)
        if size > 1_000_000:
            return {"file": {"name": strip_control_chars(file.name or "")[:200], "too_large": True}}
        digest.update(chunk)
    return {
        "file": {
            "name": strip_control_chars(file.name or "")[:200],
            "size": size,
            "sha256": digest.hexdigest(),
        }
    }


def _check_file(outcome: dict[str, Any], attempt_uuid: str) -> bool:
    file = outcome.get("file") or {}
    return bool(file.get("sha256") == hashlib.sha256(practice_file(attempt_uuid)).hexdigest())


def _read_trust(data: Mapping[str, str], _file: UploadedFile | None) -> dict[str, Any]:
    return {
        "oordeel": data.get("oordeel", "")
        if data.get("oordeel") in ("betrouwbaar", "niet-betrouwbaar")
        else "",
        "uitleg": strip_control_chars(data.get("uitleg", ""))[:2000],
    }


EXERCISES: dict[str, Exercise] = {
    exercise.slug: exercise
    for exercise in [
        Exercise(
            slug="informatie-zoeken",
            title=_("Informatie zoeken op een webpagina"),
            task=_("Zoek op de webpagina van Burgerzaken tot hoe laat het loket op donderdag open is."),
            checkable=True,
            read=_read_field("antwoord"),
            check=lambda outcome, _a: _digits(str(outcome.get("antwoord", ""))) in ("19", "1900"),
        ),
        Exercise(
            slug="phishing-herkennen",
            title=_("Een phishingmail herkennen"),
            task=_("Welke van deze vier e-mails is phishing?"),
            checkable=True,
            read=_read_field("mail"),
            check=lambda outcome, _a: outcome.get("mail") == "mail-3",
        ),
        Exercise(
            slug="formulier-invullen",
            title=_("Een formulier correct invullen"),
            task=_("Vul het formulier voor de adreswijziging in met de gegevens uit de opdracht."),
            checkable=True,
            read=_read_form,
            check=_check_form,
        ),
        Exercise(
            slug="bestand-toevoegen",
            title=_("Een bestand bewaren en toevoegen"),
            task=_("Download het attest, bewaar het op je computer en voeg het daarna hier toe."),
            checkable=True,
            read=_read_file,
            check=_check_file,
        ),
        Exercise(
            slug="betrouwbare-site",
            title=_("Beoordelen of een website betrouwbaar is"),
            task=_("Bekijk de website. Is ze betrouwbaar? Leg in je eigen woorden uit waarom."),
            checkable=True,
            read=_read_trust,
            check=lambda outcome, _a: outcome.get("oordeel") == "niet-betrouwbaar",
        ),
    ]
}


def exercise_choices() -> list[tuple[str, Any]]:
    return [(slug, exercise.title) for slug, exercise in EXERCISES.items()]
