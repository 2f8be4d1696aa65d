"""Seed the competence framework: DigComp 2.2 (5 areas, 21 competences, 8 proficiency levels) in
Dutch, and the municipality's own area "G" for helping citizens at the counter.

The data lives in this migration (not imported from the app) so it stays what it was when written.
"""

from django.db import migrations

AREAS = [
    (
        "1",
        "Informatie- en datageletterdheid",
        "digcomp",
        [
            ("1.1", "Browsen, zoeken en filteren van data, informatie en digitale inhoud"),
            ("1.2", "Evalueren van data, informatie en digitale inhoud"),
            ("1.3", "Beheren van data, informatie en digitale inhoud"),
        ],
    ),
    (
        "2",
        "Communicatie en samenwerking",
        "digcomp",
        [
            ("2.1", "Interageren via digitale technologieën"),
            ("2.2", "Delen via digitale technologieën"),
            ("2.3", "Burgerschap uitoefenen via digitale technologieën"),
            ("2.4", "Samenwerken via digitale technologieën"),
            ("2.5", "Netiquette"),
            ("2.6", "Beheren van de digitale identiteit"),
        ],
    ),
    (
        "3",
        "Digitale contentcreatie",
        "digcomp",
        [
            ("3.1", "Ontwikkelen van digitale inhoud"),
            ("3.2", "Integreren en herwerken van digitale inhoud"),
            ("3.3", "Auteursrecht en licenties"),
            ("3.4", "Programmeren"),
        ],
    ),
    (
        "4",
        "Veiligheid",
        "digcomp",
        [
            ("4.1", "Beschermen van apparaten"),
            ("4.2", "Beschermen van persoonsgegevens en privacy"),
            ("4.3", "Beschermen van gezondheid en welzijn"),
            ("4.4", "Beschermen van het milieu"),
        ],
    ),
    (
        "5",
        "Problemen oplossen",
        "digcomp",
        [
            ("5.1", "Oplossen van technische problemen"),
            ("5.2", "Identificeren van behoeften en technologische oplossingen"),
            ("5.3", "Creatief gebruiken van digitale technologieën"),
            ("5.4", "Identificeren van hiaten in digitale competenties"),
        ],
    ),
    (
        "G",
        "Digitale dienstverlening aan de balie",
        "local",
        [
            ("G.1", "Een burger helpen met de eID en itsme"),
            ("G.2", "Een burger helpen met MyMinfin"),
            ("G.3", "Een burger helpen met de eBox"),
            ("G.4", "Digitale kwetsbaarheid herkennen"),
            ("G.5", "Persoonsgegevens van een burger beschermen aan de balie"),
        ],
    ),
]

LEVELS = [
    (1, "Basis 1", "Basis", "Eenvoudige taken, met begeleiding"),
    (2, "Basis 2", "Basis", "Eenvoudige taken, zelfstandig en met hulp waar nodig"),
    (3, "Gemiddeld 3", "Gemiddeld", "Goed omschreven routinetaken en eenvoudige problemen, zelfstandig"),
    (4, "Gemiddeld 4", "Gemiddeld", "Taken en goed omschreven problemen, zelfstandig en naar eigen behoefte"),
    (5, "Gevorderd 5", "Gevorderd", "Verschillende taken en problemen, en anderen begeleiden"),
    (6, "Gevorderd 6", "Gevorderd", "De meest geschikte taken kiezen en anderen helpen in een complexe context"),
    (
        7,
        "Hooggespecialiseerd 7",
        "Hooggespecialiseerd",
        "Complexe problemen met beperkte oplossingen; bijdragen aan de beroepspraktijk",
    ),
    (
        8,
        "Hooggespecialiseerd 8",
        "Hooggespecialiseerd",
        "Complexe problemen met veel factoren; nieuwe ideeën en werkwijzen voorstellen",
    ),
]


def seed(apps, schema_editor):
    CompetenceArea = apps.get_model("digital_skills", "CompetenceArea")
    Competence = apps.get_model("digital_skills", "Competence")
    ProficiencyLevel = apps.get_model("digital_skills", "ProficiencyLevel")
    for area_position, (code, name, framework, competences) in enumerate(AREAS, start=1):
        area = CompetenceArea.objects.create(
            code=code, name=name, framework=framework, position=area_position
        )
        for position, (competence_code, competence_name) in enumerate(competences, start=1):
            Competence.objects.create(
                area=area, code=competence_code, name=competence_name, position=position
            )
    for number, name, band, description in LEVELS:
        ProficiencyLevel.objects.create(number=number, name=name, band=band, description=description)


def unseed(apps, schema_editor):
    apps.get_model("digital_skills", "Competence").objects.all().delete()
    apps.get_model("digital_skills", "CompetenceArea").objects.all().delete()
    apps.get_model("digital_skills", "ProficiencyLevel").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("digital_skills", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
