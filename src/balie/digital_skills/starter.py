"""A starting point HR can build on: the "Digicheck balie" assessment (statements, knowledge
questions and the five practical exercises), four job profiles and a small training catalogue.

Used by the demo and the tests; everything goes through the actions, so it is exactly what HR would
make in the back-office.
"""

from __future__ import annotations

from decimal import Decimal

from balie.accounts.models import User

from .actions import add_item, create_assessment, create_job_profile, create_training, publish_version
from .models import AssessmentVersion, ItemKind, JobProfile, Scoring, Training, TrainingKind

STARTER_NAME = "Digicheck balie"

RUBRIC_TRUST = (
    "Geslaagd als de medewerker de site als niet betrouwbaar beoordeelt én minstens twee signalen "
    "noemt: het adres is geen .belgium.be of .fgov.be, de site vraagt de pincode of kaartlezercode, "
    "er is tijdsdruk, er staan taalfouten in."
)

# (kind, competence, level, prompt, feedback, choices [(text, correct)], exercise, scoring, rubric)
STARTER_ITEMS: list[tuple[str, str, int, str, str, list[tuple[str, bool]], str, str, str]] = [
    (
        ItemKind.STATEMENT,
        "1.1",
        2,
        "Ik kan op een website van de overheid de informatie vinden die een burger zoekt.",
        "",
        [],
        "",
        "",
        "",
    ),
    (
        ItemKind.EXERCISE,
        "1.1",
        3,
        "Zoek de openingsuren van het loket Burgerzaken.",
        "De openingsuren staan onder 'Praktisch'.",
        [],
        "informatie-zoeken",
        Scoring.AUTOMATIC,
        "",
    ),
    (
        ItemKind.SINGLE,
        "1.2",
        3,
        "Een website belooft een terugbetaling van de belastingen als je je bankkaartcode ingeeft. "
        "Wat is dat?",
        "De overheid vraagt nooit je bankkaartcode. Dit is oplichting.",
        [("Een gewone dienst van de FOD Financiën", False), ("Oplichting", True), ("Een reclame", False)],
        "",
        "",
        "",
    ),
    (
        ItemKind.EXERCISE,
        "1.2",
        4,
        "Beoordeel of de website betrouwbaar is.",
        "",
        [],
        "betrouwbare-site",
        Scoring.RUBRIC,
        RUBRIC_TRUST,
    ),
    (
        ItemKind.STATEMENT,
        "1.3",
        2,
        "Ik kan een bestand bewaren in een map en het later terugvinden.",
        "",
        [],
        "",
        "",
        "",
    ),
    (
        ItemKind.EXERCISE,
        "1.3",
        3,
        "Bewaar het attest en voeg het toe.",
        "",
        [],
        "bestand-toevoegen",
        Scoring.AUTOMATIC,
        "",
    ),
    (
        ItemKind.EXERCISE,
        "4.2",
        3,
        "Herken de phishingmail.",
        "Let op het adres van de afzender en de link.",
        [],
        "phishing-herkennen",
        Scoring.AUTOMATIC,
        "",
    ),
    (
        ItemKind.MULTIPLE,
        "4.2",
        4,
        "Welke gegevens vraag je een burger nooit via gewone e-mail? (meerdere antwoorden)",
        "Een rijksregisternummer en codes horen niet in een gewone e-mail.",
        [
            ("Het rijksregisternummer", True),
            ("De pincode van de eID", True),
            ("De gemeente waar hij woont", False),
        ],
        "",
        "",
        "",
    ),
    (
        ItemKind.STATEMENT,
        "2.3",
        3,
        "Ik kan een burger tonen hoe hij een attest aanvraagt via Mijn Burgerprofiel.",
        "",
        [],
        "",
        "",
        "",
    ),
    (
        ItemKind.EXERCISE,
        "2.3",
        4,
        "Vul het formulier voor de adreswijziging in.",
        "",
        [],
        "formulier-invullen",
        Scoring.AUTOMATIC,
        "",
    ),
    (
        ItemKind.SINGLE,
        "G.1",
        2,
        "Een burger is de pincode van zijn eID vergeten. Wat raad je aan?",
        "Een nieuwe pin- en pukcode vraag je aan bij de dienst Burgerzaken of via Mijn Burgerprofiel.",
        [
            ("Een nieuwe pin- en pukcode aanvragen", True),
            ("Een nieuwe eID aanvragen", False),
            ("Itsme bellen", False),
        ],
        "",
        "",
        "",
    ),
    (
        ItemKind.STATEMENT,
        "G.1",
        3,
        "Ik kan een burger helpen om itsme te activeren met zijn eID.",
        "",
        [],
        "",
        "",
        "",
    ),
    (
        ItemKind.SINGLE,
        "G.2",
        3,
        "Waar vindt een burger zijn aanslagbiljet personenbelasting online?",
        "Het aanslagbiljet staat in MyMinfin (en in de eBox).",
        [("In MyMinfin", True), ("Op de website van de gemeente", False), ("In Mijn Gezondheid", False)],
        "",
        "",
        "",
    ),
    (
        ItemKind.SINGLE,
        "G.3",
        3,
        "Wat is de eBox?",
        "De eBox is de beveiligde digitale brievenbus van de overheid.",
        [
            ("Een beveiligde digitale brievenbus van de overheid", True),
            ("Een e-mailadres van de gemeente", False),
        ],
        "",
        "",
        "",
    ),
    (
        ItemKind.MULTIPLE,
        "G.4",
        3,
        "Welke signalen kunnen wijzen op digitale kwetsbaarheid? (meerdere antwoorden)",
        "Twijfel, hulp van anderen nodig hebben en geen toestel hebben zijn signalen; "
        "een smartphone hebben zegt weinig.",
        [
            ("De burger laat alles door een kleinkind doen", True),
            ("De burger heeft geen computer of smartphone", True),
            ("De burger heeft een smartphone", False),
        ],
        "",
        "",
        "",
    ),
    (
        ItemKind.SINGLE,
        "G.5",
        3,
        "Een burger vraagt om een foto van zijn identiteitskaart door te mailen naar zijn zoon. Wat doe je?",
        "Persoonsgegevens geef je alleen aan de burger zelf, veilig. Help hem zelf de foto te nemen.",
        [
            ("Ik mail de foto vanuit mijn werkmail", False),
            ("Ik help de burger om het zelf te doen en bewaar niets", True),
            ("Ik bewaar de foto in de gedeelde map", False),
        ],
        "",
        "",
        "",
    ),
    (
        ItemKind.STATEMENT,
        "5.4",
        2,
        "Ik weet welke digitale vaardigheden ik nog wil leren.",
        "",
        [],
        "",
        "",
        "",
    ),
]

STARTER_PROFILES: list[tuple[str, str, bool, dict[str, int]]] = [
    (
        "Onthaal",
        "Onthaalmedewerker aan het loket: helpt burgers ook met digitale vragen.",
        True,
        {
            "1.1": 3,
            "1.2": 4,
            "1.3": 3,
            "2.3": 4,
            "4.2": 4,
            "G.1": 3,
            "G.2": 3,
            "G.3": 3,
            "G.4": 3,
            "G.5": 3,
            "5.4": 2,
        },
    ),
    (
        "Bibliotheek",
        "Bibliotheekmedewerker: begeleidt bezoekers aan de publieke computers.",
        True,
        {"1.1": 4, "1.2": 4, "1.3": 3, "2.3": 3, "4.2": 3, "G.1": 3, "G.3": 2, "G.4": 3, "5.4": 2},
    ),
    (
        "Contactcenter (telefoon)",
        "Beantwoordt vragen aan de telefoon en per e-mail.",
        True,
        {"1.1": 3, "1.2": 3, "2.3": 3, "4.2": 4, "G.1": 2, "G.2": 2, "G.3": 2, "G.4": 3, "G.5": 3},
    ),
    (
        "Backoffice",
        "Dossierbehandeling zonder vast klantencontact.",
        False,
        {"1.1": 3, "1.3": 3, "4.2": 3, "5.4": 2},
    ),
]

STARTER_TRAININGS: list[tuple[str, str, str, Decimal, dict[str, int]]] = [
    (
        "Eerste hulp bij digitale vragen",
        TrainingKind.COURSE,
        "Basisopleiding voor wie aan het onthaal of in de bibliotheek burgers helpt met digitale vragen.",
        Decimal("10"),
        {"1.1": 4, "2.3": 4, "G.1": 3, "G.2": 3, "G.3": 3, "G.4": 3},
    ),
    (
        "Veilig online: phishing en privacy",
        TrainingKind.ELEARNING,
        "E-learning over phishing, betrouwbare websites en persoonsgegevens aan de balie.",
        Decimal("2"),
        {"1.2": 4, "4.2": 4, "G.5": 4},
    ),
    (
        "Digihulp op het werk: itsme, MyMinfin en eBox",
        TrainingKind.INTERNAL,
        "Interne sessie: itsme en de eID, Mijn Burgerprofiel, MyMinfin, de eBox.",
        Decimal("3"),
        {"G.1": 4, "G.2": 4, "G.3": 4},
    ),
    (
        "Bestanden en mappen",
        TrainingKind.ELEARNING,
        "Bestanden bewaren, terugvinden en toevoegen.",
        Decimal("1"),
        {"1.3": 3, "5.4": 3},
    ),
]


def build_starter_assessment(*, by: User | None, publish: bool = True) -> AssessmentVersion:
    version = create_assessment(
        name=STARTER_NAME,
        introduction=(
            "Deze digicheck toont waar je sterk in bent en waar een opleiding je kan helpen. "
            "Je kunt op elk moment pauzeren en later verdergaan."
        ),
        by=by,
    )
    for kind, code, level, prompt, feedback, choices, exercise, scoring_mode, rubric in STARTER_ITEMS:
        add_item(
            version=version,
            kind=kind,
            competence_code=code,
            level=level,
            prompt=prompt,
            feedback=feedback,
            choices=choices,
            exercise=exercise,
            scoring_mode=scoring_mode or Scoring.AUTOMATIC,
            rubric=rubric,
            by=by,
        )
    if publish:
        version = publish_version(version=version, by=by)
    return version


def build_starter_profiles(*, by: User | None) -> dict[str, JobProfile]:
    return {
        name: create_job_profile(
            name=name, description=description, customer_contact=contact, targets=targets, by=by
        )
        for name, description, contact, targets in STARTER_PROFILES
    }


def build_starter_trainings(*, by: User | None) -> list[Training]:
    return [
        create_training(
            title=title, kind=kind, description=description, hours=hours, coverage=coverage, by=by
        )
        for title, kind, description, hours, coverage in STARTER_TRAININGS
    ]
