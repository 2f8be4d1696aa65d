"""Reference lists for the benchmark data: Flemish names, streets, topics, departments.

Names come from Faker's Belgian and Dutch lists (installed with factory_boy), so the data has the
spelling and the selectivity of real names. Each list is ordered by rank: the loader draws from it
with a Zipf-like distribution, so a few names are common and most are rare.
"""

from __future__ import annotations

import random
from importlib import import_module

from balie.core.text import normalize

# The most frequent family names in Flanders, in order; the rest follow in a seeded shuffle.
TOP_FAMILY_NAMES = [
    "Peeters", "Janssens", "Maes", "Jacobs", "Mertens", "Willems", "Claes", "Goossens", "Wouters",
    "De Smet", "Dubois", "Hermans", "Aerts", "Michiels", "Lambrechts", "Desmet", "Martens",
    "Smets", "Claeys", "Verstraete", "Vermeulen", "De Backer", "Stevens", "Pauwels", "Van Damme",
    "Wuyts", "De Clercq", "Hendrickx", "Janssen", "Cools", "Lemmens", "Van den Broeck", "Coppens",
    "Leroy", "Verhulst", "Van de Velde", "Segers", "Declercq", "Vandenberghe", "Dewilde",
]  # fmt: skip

# Common given names in Flanders (several generations), before the seeded shuffle of the rest.
TOP_GIVEN_NAMES = {
    "M": ["Jan", "Marc", "Luc", "Peter", "Dirk", "Patrick", "Johan", "Paul", "Geert", "Wim",
          "Bart", "Tom", "Kevin", "Jozef", "Willy", "Frans", "Noah", "Lucas", "Arthur", "Louis"],
    "F": ["Maria", "Anna", "Rita", "Linda", "Martine", "Christiane", "Monique", "Hilde", "Sofie",
          "Els", "Ann", "Nathalie", "Emma", "Olivia", "Louise", "Marie", "Lotte", "Julie", "Sarah",
          "Lies"],
}  # fmt: skip

# Streets that every Flemish municipality has, most common first.
COMMON_STREETS = [
    "Kerkstraat", "Stationsstraat", "Molenstraat", "Dorpsstraat", "Nieuwstraat", "Schoolstraat",
    "Kapelstraat", "Beekstraat", "Veldstraat", "Hoogstraat", "Bosstraat", "Kasteelstraat",
    "Lindenlaan", "Markt", "Grote Markt", "Brugstraat", "Meersstraat", "Kouterstraat",
    "Steenweg", "Heirweg", "Langestraat", "Zandstraat", "Kloosterstraat", "Processiestraat",
    "Koning Albertlaan", "Koningin Astridlaan", "Leopoldlaan", "Parklaan", "Heidestraat",
    "Weverstraat", "Ringlaan", "Vaartstraat", "Bergstraat", "Pastoriestraat", "Hofstraat",
]  # fmt: skip
STREET_SUFFIXES = ["straat", "laan", "dreef", "plein", "weg", "lei", "hof", "baan", "pad", "veld"]

# Deelgemeenten of the fictional municipality, with their postcodes.
SUBMUNICIPALITIES = [
    ("9400", "Zonnedaal"), ("9401", "Zonnedaal-Noord"), ("9402", "Meerbeke"), ("9403", "Okegem"),
    ("9404", "Appelterre"), ("9406", "Outer"), ("9410", "Herzele"), ("9420", "Erpe"),
    ("9450", "Denderhoutem"), ("9470", "Denderleeuw"),
]  # fmt: skip

DEPARTMENTS = [
    ("Onthaal en Communicatie", "onthaal"),
    ("Burgerzaken", "burgerzaken"),
    ("Omgeving", "omgeving"),
    ("Welzijn", "welzijn"),
    ("Financiën", "financien"),
    ("Vrije Tijd", "vrije-tijd"),
    ("Mobiliteit", "mobiliteit"),
    ("Facility", "facility"),
]

# (topic, department code)
TOPICS = [
    ("Identiteitskaart", "burgerzaken"), ("Rijbewijs", "burgerzaken"), ("Reispas", "burgerzaken"),
    ("Adreswijziging", "burgerzaken"), ("Uittreksel strafregister", "burgerzaken"),
    ("Huwelijk en samenwoning", "burgerzaken"), ("Geboorte", "burgerzaken"),
    ("Overlijden en begraafplaatsen", "burgerzaken"), ("Afval en recyclagepark", "omgeving"),
    ("Omgevingsvergunning", "omgeving"), ("Sluikstort", "omgeving"), ("Groenonderhoud", "omgeving"),
    ("Wegenwerken", "mobiliteit"), ("Parkeren en bewonerskaart", "mobiliteit"),
    ("Straatverlichting", "mobiliteit"), ("Verkeershinder", "mobiliteit"),
    ("Leefloon", "welzijn"), ("Schuldbemiddeling", "welzijn"), ("Thuiszorg", "welzijn"),
    ("Kinderopvang", "welzijn"), ("Sociale huur", "welzijn"), ("Gemeentebelastingen", "financien"),
    ("Premies en subsidies", "financien"), ("Facturen", "financien"),
    ("Sportkampen", "vrije-tijd"), ("Bibliotheek", "vrije-tijd"), ("Zaalverhuur", "vrije-tijd"),
    ("Evenementen", "vrije-tijd"), ("Klacht", "onthaal"), ("Algemene vraag", "onthaal"),
]  # fmt: skip

SUMMARIES = [
    "Vraagt wanneer de nieuwe identiteitskaart klaar is.",
    "Wil een afspraak maken voor een reispas; afspraak voorgesteld.",
    "Meldt een adreswijziging; uitgelegd welke documenten nodig zijn.",
    "Vraag over de ophaling van het grofvuil in de straat.",
    "Klaagt over een sluikstort aan de glasbol; doorgegeven aan de dienst Omgeving.",
    "Informeert naar de stand van de omgevingsvergunning voor een carport.",
    "Vraagt een uittreksel uit het strafregister aan voor een sollicitatie.",
    "Heeft een vraag over de aanslag gemeentebelasting van dit jaar.",
    "Wil weten of er nog plaats is in het sportkamp tijdens de paasvakantie.",
    "Defecte straatlamp voor huisnummer gemeld.",
    "Vraagt naar de premie voor dakisolatie; voorwaarden uitgelegd.",
    "Vraagt hulp bij het invullen van de aanvraag voor leefloon.",
    "Belt terug over het gesprek met de schuldbemiddelaar.",
    "Wil de feestzaal huren voor een familiefeest in juni.",
    "Vraag over parkeren met bewonerskaart tijdens de wegenwerken.",
    "Komt een nieuw rijbewijs afhalen.",
    "Meldt het overlijden van een familielid; verdere stappen uitgelegd.",
    "Vraagt een attest van gezinssamenstelling.",
    "Vraagt wanneer het recyclagepark op zaterdag open is.",
    "Heeft een klacht over de behandeling aan het loket; klachtenprocedure uitgelegd.",
    "Wil een boom laten snoeien die over het voetpad hangt.",
    "Vraagt informatie over kinderopvang voor een baby van drie maanden.",
    "Vraagt een duplicaat van een factuur.",
    "Wil een evenement aanvragen op het marktplein.",
    "Vraagt de openingsuren van de bibliotheek.",
    "Zoekt informatie over sociale huurwoningen in de gemeente.",
    "Vraagt of de thuiszorg ook in het weekend langskomt.",
    "Meldt een put in het fietspad.",
    "Vraagt hoe je een huwelijk aangeeft.",
    "Algemene vraag, doorverwezen naar de website.",
]

TASK_DESCRIPTIONS = [
    "Graag terugbellen met een antwoord.",
    "Dossier nakijken en de burger per e-mail informeren.",
    "Ter plaatse gaan kijken en terugkoppelen.",
    "Afspraak inplannen met de burger.",
    "Documenten opvragen en het dossier vervolledigen.",
    "Factuur nakijken en eventueel crediteren.",
]

EMAIL_DOMAINS = [
    "gmail.com", "gmail.com", "gmail.com", "telenet.be", "telenet.be", "hotmail.com",
    "outlook.com", "skynet.be", "proximus.be", "icloud.com",
]  # fmt: skip


def _last_names(locale: str) -> list[str]:
    return list(import_module(f"faker.providers.person.{locale}").Provider.last_names)


def _acceptable(name: str) -> bool:
    return (
        name.replace(" ", "").replace("-", "").replace("'", "").isalpha()
        and len(name.split()) <= 3
        and not any(w in name.lower().split() for w in ("von", "und", "zu"))
    )


def family_names(count: int = 2000) -> list[str]:
    """About `count` unique family names, ranked: the most common Flemish names first."""
    seen: set[str] = set()
    ranked: list[str] = []

    def add(name: str) -> None:
        key = normalize(name)
        if key and key not in seen and _acceptable(name):
            seen.add(key)
            ranked.append(name)

    for name in TOP_FAMILY_NAMES:
        add(name)
    rng = random.Random(1)
    for locale in ("nl_BE", "fr_BE", "nl_NL"):
        names = _last_names(locale)
        rng.shuffle(names)
        for name in names:
            add(name)
    return ranked[:count]


def given_names(count: int = 500) -> list[tuple[str, str]]:
    """(name, gender) pairs, half male and half female, ranked by a seeded shuffle."""
    provider = import_module("faker.providers.person.nl_BE").Provider
    rng = random.Random(2)
    result: list[tuple[str, str]] = []
    for gender, names in (("M", list(provider.first_names_male)), ("F", list(provider.first_names_female))):
        top = TOP_GIVEN_NAMES[gender]
        names = [n for n in names if _acceptable(n) and n not in top]
        rng.shuffle(names)
        result += [(n, gender) for n in (top + names)[: count // 2]]
    return result


def streets(count: int = 1500) -> list[str]:
    """Street names: the common ones first, then streets named after people."""
    rng = random.Random(3)
    seen: set[str] = set()
    ranked: list[str] = []
    for name in COMMON_STREETS:
        seen.add(normalize(name))
        ranked.append(name)
    givens = [g for g, _ in given_names(1000)]
    families = family_names(600)
    while len(ranked) < count:
        if rng.random() < 0.5:
            name = f"{rng.choice(givens)}{rng.choice(STREET_SUFFIXES)}"
        else:
            name = f"{rng.choice(givens)} {rng.choice(families)}{rng.choice(STREET_SUFFIXES)}"
        if normalize(name) not in seen:
            seen.add(normalize(name))
            ranked.append(name)
    return ranked
