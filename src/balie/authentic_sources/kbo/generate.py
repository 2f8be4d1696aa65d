"""Generate KBO open-data sets in the exact open-data layout, for tests and the benchmark.

    write_full(path, scale="full")      # ~1.9M enterprises, 1.7M establishments, 36.6M activities
    write_update(path, scale="full", number=1)   # the update that follows it

Every file of the real extract, with its header, quoting and formats: text in double quotes,
dates dd-mm-yyyy unquoted, numbers dotted ("0200.065.765", "2.000.000.339"), empty values unquoted
where the KBO leaves them out (country of a Belgian address, JuridicalFormCAC, DateStrikingOff)
and quoted ("") where it writes them so. Numbers pass mod 97. The names, addresses and activities
are fictional combinations of real Belgian names, places and NACE codes.

Everything follows from (scale, seed): each entity has a 64-bit seed and derives its rows from it,
so an update can write "all current rows" of an entity it changes without keeping the full set
in memory. The files are streamed into the ZIP; activity rows are copied from a few thousand
precomputed blocks, which keeps the 36.6M rows cheap.
"""

from __future__ import annotations

import datetime as dt
import io
import random
import zipfile
from array import array
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from . import wordlists as w
from .layout import TABLES, TABLES_BY_NAME, format_number

MASK = (1 << 64) - 1
SNAPSHOT = dt.date(2025, 10, 3)
EXTRACT_NUMBER = 140


@dataclass(frozen=True)
class Scale:
    enterprises: int
    establishments: int
    branches: int


SCALES = {
    # The extract of mid 2025: 1,926,246 enterprises, 1,659,123 establishments, 7,308 branches.
    "full": Scale(1_926_000, 1_659_000, 7_300),
    "medium": Scale(100_000, 86_000, 380),
    "small": Scale(300, 260, 6),
    "tiny": Scale(40, 30, 2),
}


def _rng(seed: int) -> random.Random:
    """Test data, not secrets: a seeded, reproducible generator."""
    return random.Random(seed)  # noqa: S311


def _mix(x: int) -> int:
    """splitmix64: a well-spread 64-bit value from any integer."""
    x = (x + 0x9E3779B97F4A7C15) & MASK
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & MASK
    return x ^ (x >> 31)


class Draw:
    """Cheap choices from one 64-bit seed (more bits are mixed in when needed)."""

    __slots__ = ("state", "x")

    def __init__(self, seed: int) -> None:
        self.state = seed
        self.x = _mix(seed)

    def below(self, n: int) -> int:
        if self.x < (1 << 24):
            self.state += 1
            self.x = _mix(self.state)
        value = self.x % n
        self.x //= n
        return value

    def chance(self, percent: float) -> bool:
        return self.below(10_000) < percent * 100

    def pick(self, items: list[Any] | tuple[Any, ...]) -> Any:
        return items[self.below(len(items))]

    def skewed(self, items: list[Any] | tuple[Any, ...]) -> Any:
        """The first items more often (about Zipf): rank = n ** u - 1."""
        n = len(items)
        u = self.below(1 << 16) / (1 << 16)
        return items[min(n - 1, int((n + 1) ** u) - 1)]


def with_check(base: int) -> str:
    """An 8-digit base and its mod-97 check: 2000657 -> '0200065765'."""
    return f"{base:08d}{97 - base % 97:02d}"


def q(value: str) -> str:
    """A quoted CSV field."""
    return '"' + value.replace('"', '""') + '"'


def be_date(day: int) -> str:
    return dt.date.fromordinal(day).strftime("%d-%m-%Y")


# --- code table ------------------------------------------------------------------------------------

# NACE-BEL 2008 codes with their Dutch and French titles: the activities generated use these.
NACE = [
    ("01110", "Teelt van granen (m.u.v. rijst), peulgewassen en oliehoudende zaden",
     "Culture de céréales (à l'exception du riz), de légumineuses et de graines oléagineuses"),
    ("01130", "Teelt van groenten, meloenen, wortel- en knolgewassen",
     "Culture de légumes, de melons, de racines et de tubercules"),
    ("01410", "Fokken van melkvee", "Élevage de vaches laitières"),
    ("10710", "Vervaardiging van brood en van vers banketbakkerswerk",
     "Fabrication de pain et de pâtisserie fraîche"),
    ("36000", "Winning, behandeling en distributie van water", "Captage, traitement et distribution d'eau"),
    ("41101", "Projectontwikkeling van residentiële gebouwen", "Promotion immobilière résidentielle"),
    ("41201", "Algemene bouw van residentiële gebouwen", "Construction générale de bâtiments résidentiels"),
    ("43211", "Elektrische installatiewerken in gebouwen",
     "Travaux d'installation électrotechnique de bâtiment"),
    ("43221", "Installatie van sanitair", "Travaux de plomberie"),
    ("43222", "Installatie van verwarming, klimaatregeling en ventilatie",
     "Installation de chauffage, de climatisation et de ventilation"),
    ("43320", "Schrijnwerk", "Travaux de menuiserie"),
    ("43341", "Schilderen van gebouwen", "Travaux de peinture de bâtiments"),
    ("43911", "Dakwerkzaamheden", "Travaux de couverture"),
    ("45201", "Algemeen onderhoud en reparatie van auto's en lichte bedrijfsvoertuigen",
     "Entretien général et réparation d'automobiles et de véhicules automobiles légers"),
    ("46900", "Niet-gespecialiseerde groothandel", "Commerce de gros non spécialisé"),
    ("47111", "Detailhandel in niet-gespecialiseerde winkels waarbij voedings- en genotmiddelen overheersen",
     "Commerce de détail en magasin non spécialisé à prédominance alimentaire"),
    ("47241", "Detailhandel in brood en banketbakkerswerk", "Commerce de détail de pain et de pâtisserie"),
    ("47730", "Apotheken", "Commerce de détail de produits pharmaceutiques"),
    ("47761", "Detailhandel in bloemen, planten, zaden en kunstmeststoffen",
     "Commerce de détail de fleurs, de plantes, de graines et d'engrais"),
    ("47910", "Detailhandel via postorderbedrijven of via internet",
     "Vente à distance sur catalogue général ou par internet"),
    ("49410", "Goederenvervoer over de weg", "Transports routiers de fret"),
    ("55100", "Hotels en dergelijke accommodatie", "Hôtels et hébergement similaire"),
    ("56101", "Eetgelegenheden met volledige bediening", "Restauration à service complet"),
    ("56102", "Eetgelegenheden met beperkte bediening", "Restauration à service restreint"),
    ("56301", "Cafés en bars", "Cafés et bars"),
    ("62010", "Ontwerpen en programmeren van computerprogramma's", "Programmation informatique"),
    ("62020", "Computerconsultancy-activiteiten", "Conseil informatique"),
    ("64200", "Holdings", "Activités des sociétés holding"),
    ("66220", "Activiteiten van verzekeringsagenten en -makelaars",
     "Activités des agents et courtiers d'assurances"),
    ("68100", "Handel in eigen onroerend goed", "Activités des marchands de biens immobiliers"),
    ("68201", "Verhuur en exploitatie van eigen of geleasd residentieel onroerend goed",
     "Location et exploitation de biens immobiliers résidentiels propres ou loués"),
    ("68311", "Bemiddeling bij de aankoop, verkoop en verhuur van onroerend goed",
     "Intermédiation en achat, vente et location de biens immobiliers"),
    ("69101", "Activiteiten van advocaten", "Activités des avocats"),
    ("69201", "Accountants en belastingconsulenten",
     "Activités des experts-comptables et des conseils fiscaux"),
    ("70100", "Activiteiten van hoofdkantoren", "Activités des sièges sociaux"),
    ("70220", "Overige adviesbureaus op het gebied van bedrijfsbeheer",
     "Conseil pour les affaires et autres conseils de gestion"),
    ("71111", "Architecten", "Activités d'architecture"),
    ("71121", "Ingenieurs en aanverwante technische adviseurs",
     "Activités d'ingénierie et de conseils techniques"),
    ("73110", "Reclamebureaus", "Activités des agences de publicité"),
    ("74100", "Gespecialiseerde ontwerpactiviteiten", "Activités spécialisées de design"),
    ("81210", "Algemene reiniging van gebouwen", "Nettoyage courant des bâtiments"),
    ("81300", "Landschapsverzorging", "Services d'aménagement paysager"),
    ("84110", "Algemeen overheidsbestuur", "Administration publique générale"),
    ("84130", "Openbaar bestuur op het gebied van het economisch beleid",
     "Administration publique (tutelle) des activités économiques"),
    ("85100", "Kleuteronderwijs", "Enseignement préprimaire"),
    ("85201", "Gewoon lager onderwijs", "Enseignement primaire ordinaire"),
    ("85592", "Beroepsopleiding", "Formation professionnelle"),
    ("86210", "Huisartspraktijken", "Activités des médecins généralistes"),
    ("86230", "Tandartspraktijken", "Pratique dentaire"),
    ("86901", "Activiteiten van verpleegkundigen", "Activités des infirmiers et des sages-femmes"),
    ("88911", "Kinderopvang", "Accueil de jeunes enfants"),
    ("90011", "Beoefening van uitvoerende kunsten", "Arts du spectacle vivant"),
    ("93120", "Activiteiten van sportclubs", "Activités de clubs de sports"),
    ("93199", "Overige sportactiviteiten", "Autres activités liées au sport"),
    ("94110", "Bedrijfs- en werkgeversorganisaties", "Activités des organisations patronales et économiques"),
    ("94991", "Verenigingen en bewegingen voor volwassenen", "Associations et mouvements pour adultes"),
    ("94999", "Overige verenigingen", "Autres organisations associatives"),
    ("96021", "Haarverzorging", "Coiffure"),
    ("96022", "Schoonheidsverzorging", "Soins de beauté"),
]  # fmt: skip
SECTIONS = [
    ("A", "LANDBOUW, BOSBOUW EN VISSERIJ", "AGRICULTURE, SYLVICULTURE ET PÊCHE"),
    ("B", "WINNING VAN DELFSTOFFEN", "INDUSTRIES EXTRACTIVES"),
    ("C", "INDUSTRIE", "INDUSTRIE MANUFACTURIÈRE"),
    ("D", "PRODUCTIE EN DISTRIBUTIE VAN ELEKTRICITEIT, GAS, STOOM EN GEKOELDE LUCHT",
     "PRODUCTION ET DISTRIBUTION D'ÉLECTRICITÉ, DE GAZ, DE VAPEUR ET D'AIR CONDITIONNÉ"),
    ("E", "DISTRIBUTIE VAN WATER; AFVAL- EN AFVALWATERBEHEER EN SANERING",
     "PRODUCTION ET DISTRIBUTION D'EAU; ASSAINISSEMENT, GESTION DES DÉCHETS ET DÉPOLLUTION"),
    ("F", "BOUWNIJVERHEID", "CONSTRUCTION"),
    ("G", "GROOT- EN DETAILHANDEL; REPARATIE VAN AUTO'S EN MOTORFIETSEN",
     "COMMERCE DE GROS ET DE DÉTAIL; RÉPARATION DE VÉHICULES AUTOMOBILES ET DE MOTOCYCLES"),
    ("H", "VERVOER EN OPSLAG", "TRANSPORTS ET ENTREPOSAGE"),
    ("I", "VERSCHAFFEN VAN ACCOMMODATIE EN MAALTIJDEN", "HÉBERGEMENT ET RESTAURATION"),
    ("J", "INFORMATIE EN COMMUNICATIE", "INFORMATION ET COMMUNICATION"),
    ("K", "FINANCIËLE ACTIVITEITEN EN VERZEKERINGEN", "ACTIVITÉS FINANCIÈRES ET D'ASSURANCE"),
    ("L", "EXPLOITATIE VAN EN HANDEL IN ONROEREND GOED", "ACTIVITÉS IMMOBILIÈRES"),
    ("M", "VRIJE BEROEPEN EN WETENSCHAPPELIJKE EN TECHNISCHE ACTIVITEITEN",
     "ACTIVITÉS SPÉCIALISÉES, SCIENTIFIQUES ET TECHNIQUES"),
    ("N", "ADMINISTRATIEVE EN ONDERSTEUNENDE DIENSTEN", "ACTIVITÉS DE SERVICES ADMINISTRATIFS ET DE SOUTIEN"),
    ("O", "OPENBAAR BESTUUR EN DEFENSIE; VERPLICHTE SOCIALE VERZEKERINGEN",
     "ADMINISTRATION PUBLIQUE ET DÉFENSE; SÉCURITÉ SOCIALE OBLIGATOIRE"),
    ("P", "ONDERWIJS", "ENSEIGNEMENT"),
    ("Q", "MENSELIJKE GEZONDHEIDSZORG EN MAATSCHAPPELIJKE DIENSTVERLENING",
     "SANTÉ HUMAINE ET ACTION SOCIALE"),
    ("R", "KUNST, AMUSEMENT EN RECREATIE", "ARTS, SPECTACLES ET ACTIVITÉS RÉCRÉATIVES"),
    ("S", "OVERIGE DIENSTEN", "AUTRES ACTIVITÉS DE SERVICES"),
    ("T", "HUISHOUDENS ALS WERKGEVER", "ACTIVITÉS DES MÉNAGES EN TANT QU'EMPLOYEURS"),
    ("U", "EXTRATERRITORIALE ORGANISATIES EN LICHAMEN", "ACTIVITÉS DES ORGANISMES EXTRA-TERRITORIAUX"),
]  # fmt: skip
# (code, Dutch, French, weight among legal persons)
JURIDICAL_FORMS = [
    ("610", "Besloten vennootschap", "Société à responsabilité limitée", 40),
    ("015", "Besloten vennootschap met beperkte aansprakelijkheid",
     "Société privée à responsabilité limitée", 14),
    ("014", "Naamloze vennootschap", "Société anonyme", 10),
    ("017", "Vereniging zonder winstoogmerk", "Association sans but lucratif", 16),
    ("706", "Coöperatieve vennootschap", "Société coopérative", 4),
    ("008", "Coöperatieve vennootschap met beperkte aansprakelijkheid",
     "Société coopérative à responsabilité limitée", 3),
    ("011", "Vennootschap onder firma", "Société en nom collectif", 3),
    ("012", "Gewone commanditaire vennootschap", "Société en commandite simple", 3),
    ("013", "Commanditaire vennootschap op aandelen", "Société en commandite par actions", 1),
    ("026", "Private stichting", "Fondation privée", 1),
    ("029", "Stichting van openbaar nut", "Fondation d'utilité publique", 1),
    ("030", "Buitenlandse entiteit", "Entité étrangère", 2),
    ("124", "Openbare instelling", "Établissement public", 1),
    ("020", "Beroepsvereniging", "Union professionnelle", 1),
    ("001", "Europese coöperatieve vennootschap", "Société coopérative européenne", 0),
    ("002", "Organisme voor de financiering van pensioenen", "Organisme de financement de pensions", 0),
    ("003", "BTW-eenheid", "Unité TVA", 0),
]  # fmt: skip
JURIDICAL_SITUATIONS = [
    ("000", "Normale toestand", "Situation normale", "gewöhnlicher Zustand"),
    ("001", "Juridische oprichting", "Création juridique", "juristische Gründung"),
    ("002", "Verlenging", "Prorogation", "Verlängerung"),
    ("012", "Gerechtelijke ontbinding", "Dissolution judiciaire", "gerichtliche Auflösung"),
    ("014", "Gerechtelijke reorganisatie", "Réorganisation judiciaire", "gerichtliche Reorganisation"),
    ("050", "Faillissement", "Faillite", "Konkurs"),
]
SMALL_CODES = [
    ("ActivityGroup", [
        ("001", "BTW-activiteiten", "Activités TVA"), ("002", "EDRL-activiteiten", "Activités EDRL"),
        ("003", "Activiteiten", "Activités"),
        ("004", "Activiteiten federaal openbaar ambt", "Activités de la fonction publique fédérale"),
        ("005", "RSZPPO-activiteiten", "Activités ONSSAPL"), ("006", "RSZ-activiteiten", "Activités ONSS"),
        ("007", "Activiteiten gesubsideerd onderwijs", "Activités de l'enseignement subventionné")]),
    ("Classification", [
        ("ANCI", "Hulpactiviteit", "Activité auxiliaire"), ("MAIN", "Hoofdactiviteit", "Activité principale"),
        ("SECO", "Nevenactiviteit", "Activité secondaire")]),
    ("ContactType", [
        ("EMAIL", "E-mailadres", "Adresse e-mail"), ("FAX", "Faxnummer", "Numéro de fax"),
        ("TEL", "Telefoonnummer", "Numéro de téléphone"), ("WEB", "Webadres", "Adresse web")]),
    ("EntityContact", [
        ("BRA", "Bijkantoor", "Succursale"), ("ENT", "Onderneming", "Entreprise"),
        ("EST", "Vestigingseenheid", "Unité d'établissement")]),
    ("Language", [
        ("0", "Onbekend", "inconnu"), ("1", "Frans", "français"), ("2", "Nederlands", "néerlandais"),
        ("3", "Duits", "allemand"), ("4", "Engels", "anglais")]),
    ("Status", [("AC", "Actief", "Actif")]),
    ("TypeOfAddress", [
        ("ABBR", "Bijkantoor", "Succursale"), ("BAET", "Vestigingseenheid", "Unité d'établissement"),
        ("OBAD", "Oudste actieve vestigingseenheid", "Première unité d'établissement active"),
        ("REGO", "Zetel", "Siège")]),
    ("TypeOfDenomination", [
        ("001", "Naam", "Dénomination"), ("002", "Afkorting", "Abréviation"),
        ("003", "Commerciële naam", "Dénomination commerciale"),
        ("004", "Naam van het bijkantoor", "Dénomination de la succursale")]),
    ("TypeOfEnterprise", [
        ("0", "Onbekend", "Inconnu"), ("1", "Natuurlijk persoon", "Personne physique"),
        ("2", "Rechtspersoon", "Personne morale")]),
]  # fmt: skip
NACE_VERSIONS = ("2003", "2008", "2025")
CODES_PER_NACE_VERSION = 3_480  # about 20,900 NACE rows in NL and FR, as in the real code table


def code_rows() -> Iterator[tuple[str, str, str, str]]:
    """(category, code, language, description), sorted as the KBO sorts code.csv."""
    rows: list[tuple[str, str, str, str]] = []
    for category, entries in SMALL_CODES:
        for code, nl, fr in entries:
            rows += [(category, code, "FR", fr), (category, code, "NL", nl)]
    for code, nl, fr, _ in JURIDICAL_FORMS:
        rows += [("JuridicalForm", code, "FR", fr), ("JuridicalForm", code, "NL", nl)]
    for code, nl, fr, de in JURIDICAL_SITUATIONS:
        rows += [("JuridicalSituation", code, "DE", de), ("JuridicalSituation", code, "FR", fr)]
        rows.append(("JuridicalSituation", code, "NL", nl))
    real = {code: (nl, fr) for code, nl, fr in NACE}
    for version in NACE_VERSIONS:
        category = f"Nace{version}"
        for letter, nl, fr in SECTIONS:
            rows += [(category, letter, "FR", fr), (category, letter, "NL", nl)]
        codes = dict(real)
        step = 99_999 // CODES_PER_NACE_VERSION
        n = 0
        while len(codes) < CODES_PER_NACE_VERSION:
            n += step
            code = f"{n:05d}"
            section = SECTIONS[min(len(SECTIONS) - 1, n * len(SECTIONS) // 100_000)]
            codes.setdefault(
                code,
                (
                    f"Overige activiteiten {code[:2]}.{code[2:]} ({section[1].split(';')[0].lower()})",
                    f"Autres activités {code[:2]}.{code[2:]} ({section[2].split(';')[0].lower()})",
                ),
            )
        for code, (nl, fr) in codes.items():
            rows += [(category, code, "FR", fr), (category, code, "NL", nl)]
    rows.sort()
    yield from rows


# --- entities ----------------------------------------------------------------------------------------

ASPECT_ATTR, ASPECT_NAME, ASPECT_ADDRESS, ASPECT_CONTACT, ASPECT_ACTIVITY = range(5)
DAY_1920 = dt.date(1920, 1, 1).toordinal()
DAY_1970 = dt.date(1970, 1, 1).toordinal()
DAY_END = SNAPSHOT.toordinal()
FORMS_WEIGHTED = [f[0] for f in JURIDICAL_FORMS for _ in range(f[3])]
REGION = {r: [m for m in w.MUNICIPALITIES if m[3] == r] for r in "VWB"}
FOREIGN = [
    ("Nederland", "Pays-Bas", "4811 AB", "Breda", "Ginnekenweg"),
    ("Frankrijk", "France", "62000", "Arras", "Rue des Jongleurs"),
    ("Duitsland (Bondsrep.)", "Allemagne (Rép.féd.)", "52222", "Stolberg", "Rathausstraße"),
    ("Luxemburg (Groothertogdom)", "Luxembourg (Grand-Duché)", "L-1118", "Luxembourg", "Rue Aldringen"),
    ("Verenigde Staten van Amerika", "Etats-Unis d'Amérique", "19808", "Wilmington, Delaware",
     "Centerville Road, Suite 400"),
]  # fmt: skip


@dataclass
class Entity:
    """What one enterprise or establishment derives from its seed; computed on demand."""

    index: int
    number: str  # compact
    seed: int
    versions: dict[int, int] = field(default_factory=dict)  # aspect -> version (updates)

    def draw(self, aspect: int) -> Draw:
        return Draw(self.seed ^ (aspect * 0x1000193 + self.versions.get(aspect, 0) * 0x51ED27))


def _region(d: Draw) -> str:
    r = d.below(100)
    return "V" if r < 60 else ("W" if r < 90 else "B")


def _place(d: Draw, region: str) -> tuple[str, str, str, str]:
    return d.skewed(REGION[region])


def _name_parts(d: Draw, region: str) -> tuple[str, str, str]:
    if region == "V":
        family, given = d.skewed(w.FAMILY_NL), d.pick(w.GIVEN_NL)
    elif region == "W" and d.chance(4):
        family, given = d.pick(w.FAMILY_DE), d.pick(w.GIVEN_NL)
    elif region == "W":
        family, given = d.skewed(w.FAMILY_FR), d.pick(w.GIVEN_FR)
    else:
        family = d.skewed(w.FAMILY_FR) if d.chance(60) else d.skewed(w.FAMILY_NL)
        given = d.pick(w.GIVEN_FR) if d.chance(60) else d.pick(w.GIVEN_NL)
    return family, given, d.pick(w.WORDS)


def _trade_name(d: Draw, region: str, form: str) -> str:
    family, given, word = _name_parts(d, region)
    french = region == "W" or (region == "B" and d.chance(60))
    if form in ("017", "026", "029", "020"):
        pattern = d.pick(w.ASSOCIATION_FR if french else w.ASSOCIATION_NL)
    else:
        pattern = d.pick(w.TRADE_FR if french else w.TRADE_NL)
    place = _place(d, region)[2 if french else 1]
    family2 = d.skewed(w.FAMILY_FR if french else w.FAMILY_NL)
    name = pattern.format(f=family, g=given, p=place, w=word, f2=family2)
    if d.chance(2):
        name = f'{name.split(" ")[0]} "{word}"'  # a quote in a name, as the KBO has them
    return name


def _abbreviation(name: str) -> str:
    letters = "".join(part[0] for part in name.replace("-", " ").split() if part[0].isalpha())
    return letters.upper() if len(letters) >= 2 else name.upper()[:12]


def _activity_blocks(count: int, seed: int) -> list[bytes]:
    """Precomputed activity rows, "\0" where the entity number goes. Per entity: a main activity and
    secondary ones (a long tail: some list 20+), under VAT (001) in NACE 2008 and 2025 (and 2003 for
    the main one, when old enough), the main one again under RSZ (006) for employers."""
    rng = _rng(seed)
    codes = [c for c, _, _ in NACE]
    blocks = []
    for _ in range(count):
        r = rng.random()
        secondary = (
            0
            if r < 0.32
            else rng.randint(1, 3)
            if r < 0.66
            else rng.randint(4, 8)
            if r < 0.92
            else rng.randint(9, 20)
        )
        chosen = rng.sample(codes, min(len(codes), 1 + secondary))
        rows = []
        for version in ("2008", "2025"):
            for i, code in enumerate(chosen):
                rows.append(("001", version, code, "MAIN" if i == 0 else "SECO"))
        if rng.random() < 0.55:
            rows.append(("001", "2003", chosen[0], "MAIN"))
        if rng.random() < 0.35:
            rows += [("006", "2008", chosen[0], "MAIN"), ("006", "2025", chosen[0], "MAIN")]
        if rng.random() < 0.03:
            rows.append(("003", "2008", chosen[-1], "ANCI"))
        rng.shuffle(rows)
        blocks.append(b"".join(f'"\0","{g}","{v}","{c}","{k}"\n'.encode() for g, v, c, k in rows))
    return blocks


class Dataset:
    """All enterprises, establishments and branches of one (scale, seed), and the updates after it."""

    def __init__(self, scale: str | Scale = "small", seed: int = 2025) -> None:
        self.scale = SCALES[scale] if isinstance(scale, str) else scale
        self.seed = seed
        rng = _rng(seed)
        n_ent, n_est, n_bra = self.scale.enterprises, self.scale.establishments, self.scale.branches
        # Enterprise numbers 0200.000.000 to 0899.999.999 in order, 3% from 1000.000.000 (since 2023);
        # a base is the first 8 digits, the check follows from it.
        n_old = n_ent - n_ent * 3 // 100
        self.ent_base = self._bases(rng, n_old, 2_000_000, 8_999_999)
        self.ent_base.extend(self._bases(rng, n_ent - n_old, 10_000_000, 10_150_000))
        self.ent_seed = array("Q", (rng.getrandbits(64) for _ in range(n_ent)))
        self.est_base = self._bases(rng, n_est, 20_000_000, 23_500_000)
        self.est_seed = array("Q", (rng.getrandbits(64) for _ in range(n_est)))
        # Establishments belong to enterprises: most to one with a single establishment, some chains.
        owners = array("l")
        while len(owners) < n_est:
            e = rng.randrange(n_ent)
            r = rng.random()
            owners.extend([e] * (1 if r < 0.9 else rng.randint(2, 5) if r < 0.995 else rng.randint(6, 200)))
        del owners[n_est:]
        rng.shuffle(owners)  # numbered in order of registration, not per enterprise
        self.est_owner = owners
        self.bra_base = self._bases(rng, n_bra, 90_000_000, 90_400_000)
        self.bra_owner = array("l", (rng.randrange(n_ent) for _ in range(n_bra)))
        self.bra_seed = array("Q", (rng.getrandbits(64) for _ in range(n_bra)))
        self.blocks = _activity_blocks(4096, seed)

    @staticmethod
    def _bases(rng: random.Random, count: int, low: int, high: int) -> array[int]:
        """`count` increasing 8-digit bases between low and high (a 9th digit for the first digit)."""
        bases = array("q")
        if not count:
            return bases
        gap = max(1, (high - low) // count)
        n = low
        for _ in range(count):
            n += 1 + rng.randrange(2 * gap - 1) if gap > 1 else 1
            bases.append(n)
        return bases

    # -- entities --------------------------------------------------------------------------------

    def enterprise(self, i: int, versions: dict[int, int] | None = None) -> Entity:
        return Entity(i, with_check(self.ent_base[i]), self.ent_seed[i], versions or {})

    def establishment(self, i: int, versions: dict[int, int] | None = None) -> Entity:
        return Entity(i, with_check(self.est_base[i]), self.est_seed[i], versions or {})

    def branch_number(self, i: int) -> str:
        return with_check(self.bra_base[i])

    # An enterprise's traits (stable unless an update changes the aspect).

    def traits(self, e: Entity) -> dict[str, Any]:
        """Kind, region, legal form and start stay; the situation (and a pending alignment of the
        legal form with the company code, JuridicalFormCAC) change when an update says so."""
        d = Draw(e.seed)
        natural = d.chance(39)
        region = _region(d)
        form = "" if natural else d.pick(FORMS_WEIGHTED)
        oldest = DAY_1970 if natural else DAY_1920
        start = DAY_END - int((d.below(1 << 16) / (1 << 16)) ** 1.6 * (DAY_END - oldest))
        if e.number[0] == "1":
            start = max(start, dt.date(2023, 9, 19).toordinal())
        a = e.draw(ASPECT_ATTR)
        situation = "000" if a.below(100) < 97 else a.pick([s[0] for s in JURIDICAL_SITUATIONS[1:]])
        cac = "610" if form == "015" and a.chance(5) else ""
        return {
            "natural": natural, "region": region, "form": form, "start": start, "situation": situation,
            "cac": cac,
        }  # fmt: skip

    def enterprise_name(self, e: Entity, traits: dict[str, Any]) -> str:
        d = e.draw(ASPECT_NAME)
        if traits["natural"]:
            family, given, _ = _name_parts(d, traits["region"])
            return f"{family}, {given}"
        return _trade_name(d, traits["region"], traits["form"])

    # -- rows ------------------------------------------------------------------------------------

    def enterprise_row(self, e: Entity) -> str:
        t = self.traits(e)
        return (
            f'{q(format_number(e.number))},"AC",{q(t["situation"])},"{1 if t["natural"] else 2}",'
            f"{q(t['form'])},{q(t['cac']) if t['cac'] else ''},{be_date(t['start'])}\n"
        )

    def enterprise_denominations(self, e: Entity) -> list[str]:
        t = self.traits(e)
        name = self.enterprise_name(e, t)
        number = q(format_number(e.number))
        lang = {"V": "2", "W": "1", "B": "1"}[t["region"]]
        d = e.draw(ASPECT_NAME + 16)
        if d.chance(6):
            lang = "0"
        rows = [f'{number},"{lang}","001",{q(name)}\n']
        if t["natural"]:
            return rows
        if t["region"] == "B" and d.chance(30):
            rows.append(f'{number},"2","001",{q(name)}\n')
        if d.chance(26):
            rows.append(f'{number},"{lang}","002",{q(_abbreviation(name))}\n')
        if d.chance(14):
            rows.append(f'{number},"{lang}","003",{q(_trade_name(d, t["region"], ""))}\n')
        return rows

    def _address(self, d: Draw, region: str, kind: str, number: str) -> str:
        if region != "B" and d.chance(1) and kind == "REGO":
            country_nl, country_fr, zipcode, city, street = d.pick(FOREIGN)
            return (
                f"{number},{q(kind)},{q(country_nl)},{q(country_fr)},{q(zipcode)},{q(city)},{q(city)},"
                f'{q(street)},{q(street)},{q(str(1 + d.below(400)))},"","",\n'
            )
        zipcode, city_nl, city_fr, _ = _place(d, region)
        if region == "B":
            street_nl, street_fr = d.pick(w.STREETS_BILINGUAL)
        elif region == "W":
            street_nl = street_fr = d.skewed(w.STREETS_FR)
        else:
            street_nl = street_fr = d.skewed(w.STREETS_NL)
            city_fr = city_nl if d.chance(70) else city_fr
        house = str(1 + int((d.below(1000) / 1000) ** 2 * 250))
        if d.chance(8):
            house += d.pick(("A", "B", "C", "D"))
        box = str(d.below(30) + 1) if d.chance(12) else ""
        extra = "Industriezone" if d.chance(1) else ""
        struck = be_date(DAY_END - d.below(2000)) if d.chance(1) else ""
        return (
            f"{number},{q(kind)},,,{q(zipcode)},{q(city_nl)},{q(city_fr)},{q(street_nl)},{q(street_fr)},"
            f"{q(house)},{q(box)},{q(extra)},{struck}\n"
        )

    def enterprise_addresses(self, e: Entity) -> list[str]:
        t = self.traits(e)
        if t["natural"]:
            return []  # natural persons have no seat address in the open data
        return [self._address(e.draw(ASPECT_ADDRESS), t["region"], "REGO", q(format_number(e.number)))]

    def _contacts(self, d: Draw, entity_contact: str, number: str, name: str, percent: float) -> list[str]:
        if not d.chance(percent):
            return []
        rows = []
        domain = "".join(c for c in name.lower() if c.isalnum())[:18] or "bedrijf"
        for _ in range(1 + (d.below(100) < 45) + (d.below(100) < 15)):
            kind = d.pick(["TEL", "TEL", "EMAIL", "EMAIL", "WEB", "FAX"])
            if kind in ("TEL", "FAX"):
                digits = f"0{d.pick(['2', '3', '9', '50', '56', '89', '4'])}{d.below(10**7):07d}"
                value = d.pick([digits, f"{digits[:3]}/{digits[3:5]}.{digits[5:7]}.{digits[7:]}",
                                f"{digits[:3]} {digits[3:5]} {digits[5:7]} {digits[7:]}"])  # fmt: skip
            elif kind == "EMAIL":
                value = f"{d.pick(['info', 'contact', 'administratie', 'boekhouding'])}@{domain}.be"
            else:
                value = f"www.{domain}.be"
            rows.append(f"{number},{q(entity_contact)},{q(kind)},{q(value)}\n")
        return rows

    def enterprise_contacts(self, e: Entity) -> list[str]:
        t = self.traits(e)
        if t["natural"]:
            return []
        name = self.enterprise_name(e, t)
        return self._contacts(e.draw(ASPECT_CONTACT), "ENT", q(format_number(e.number)), name, 25)

    def activities(self, e: Entity) -> bytes:
        d = e.draw(ASPECT_ACTIVITY)
        return self.blocks[d.below(len(self.blocks))].replace(b"\0", format_number(e.number).encode())

    def establishment_owner(self, s: Entity) -> Entity:
        return self.enterprise(self.est_owner[s.index])

    def establishment_row(self, s: Entity) -> str:
        owner = self.establishment_owner(s)
        t = self.traits(owner)
        d = s.draw(ASPECT_ATTR)
        start = t["start"] + d.below(max(1, DAY_END - t["start"]))
        return f"{q(format_number(s.number))},{be_date(start)},{q(format_number(owner.number))}\n"

    def establishment_denominations(self, s: Entity) -> list[str]:
        d = s.draw(ASPECT_NAME)
        if not d.chance(50):
            return []
        owner = self.establishment_owner(s)
        t = self.traits(owner)
        lang = {"V": "2", "W": "1", "B": "1"}[t["region"]]
        if t["natural"] or d.chance(50):
            name = _trade_name(d, t["region"], "")
        else:
            name = f"{self.enterprise_name(owner, t)} {_place(d, t['region'])[1]}"
        return [f'{q(format_number(s.number))},"{lang}","003",{q(name)}\n']

    def establishment_addresses(self, s: Entity) -> list[str]:
        owner = self.establishment_owner(s)
        d = s.draw(ASPECT_ADDRESS)
        region = self.traits(owner)["region"] if d.chance(85) else _region(d)
        return [self._address(d, region, "BAET", q(format_number(s.number)))]

    def establishment_contacts(self, s: Entity) -> list[str]:
        return self._contacts(s.draw(ASPECT_CONTACT), "EST", q(format_number(s.number)), "vestiging", 8)

    def branch_row(self, i: int) -> str:
        owner = self.enterprise(self.bra_owner[i])
        start = self.traits(owner)["start"] + Draw(self.bra_seed[i]).below(5000)
        number, owner_number = format_number(self.branch_number(i)), format_number(owner.number)
        return f"{q(number)},{be_date(min(start, DAY_END))},{q(owner_number)}\n"

    # -- files -----------------------------------------------------------------------------------

    def rows(
        self, table: str, enterprises: Iterable[Entity], establishments: Iterable[Entity]
    ) -> Iterator[Any]:
        """The rows of one table for these entities, in file order (enterprises, then establishments)."""
        if table == "enterprise":
            yield from (self.enterprise_row(e) for e in enterprises)
        elif table == "establishment":
            yield from (self.establishment_row(s) for s in establishments)
        elif table == "activity":
            yield from (self.activities(e) for e in enterprises)
            yield from (self.activities(s) for s in establishments)
        else:
            plural = {"denomination": "denominations", "address": "addresses", "contact": "contacts"}[table]
            ent: Callable[[Entity], list[str]] = getattr(self, f"enterprise_{plural}")
            est: Callable[[Entity], list[str]] = getattr(self, f"establishment_{plural}")
            for e in enterprises:
                yield from ent(e)
            for s in establishments:
                yield from est(s)

    def all_enterprises(
        self, gone: set[int] | None = None, versions: dict[int, dict[int, int]] | None = None
    ) -> Iterator[Entity]:
        for i in range(len(self.ent_base)):
            if not gone or i not in gone:
                yield self.enterprise(i, (versions or {}).get(i))

    def all_establishments(self, gone: set[int] | None = None) -> Iterator[Entity]:
        for i in range(len(self.est_base)):
            if not gone or i not in gone:
                yield self.establishment(i)


# --- writing ZIPs ----------------------------------------------------------------------------------


def _header(headers: Iterable[str]) -> str:
    return ",".join(q(h) for h in headers) + "\n"


def _write_member(
    zf: zipfile.ZipFile,
    name: str,
    header: str,
    rows: Iterable[Any],
    progress: Callable[[str, int], None] | None,
) -> int:
    count = 0
    with zf.open(name, "w", force_zip64=True) as raw:
        out: IO[bytes] = raw
        out.write(header.encode())
        pieces: list[bytes] = []
        size = 0
        for row in rows:
            piece = row if isinstance(row, bytes) else row.encode()
            pieces.append(piece)
            size += len(piece)
            count += piece.count(b"\n") if isinstance(row, bytes) else 1
            if size > 1 << 22:
                out.write(b"".join(pieces))
                pieces, size = [], 0
                if progress:
                    progress(name, count)
        out.write(b"".join(pieces))
    if progress:
        progress(name, count)
    return count


def _meta(kind: str, number: int, snapshot: dt.date) -> str:
    stamp = dt.datetime.combine(snapshot + dt.timedelta(days=2), dt.time(7, 7, 49))
    rows = [
        ("SnapshotDate", snapshot.strftime("%d-%m-%Y")),
        ("ExtractTimestamp", stamp.strftime("%d-%m-%Y %H:%M:%S")),
        ("ExtractType", kind),
        ("ExtractNumber", str(number)),
        ("Version", "1.0.0"),
    ]
    return _header(["Variable", "Value"]) + "".join(f"{q(a)},{q(b)}\n" for a, b in rows)


def _code_csv() -> str:
    return "".join(f"{q(a)},{q(b)},{q(c)},{q(d)}\n" for a, b, c, d in code_rows())


def file_name(kind: str, number: int, snapshot: dt.date) -> str:
    """KboOpenData_0140_2025_10_05_Full.zip, as the KBO names its files."""
    day = snapshot + dt.timedelta(days=2)
    return f"KboOpenData_{number:04d}_{day:%Y_%m_%d}_{'Full' if kind == 'full' else 'Update'}.zip"


def write_full(
    path: str | Path | IO[bytes],
    scale: str | Scale = "small",
    *,
    seed: int = 2025,
    compresslevel: int = 6,
    progress: Callable[[str, int], None] | None = None,
    dataset: Dataset | None = None,
) -> dict[str, int]:
    """Write a full extract; return the number of rows per file."""
    data = dataset or Dataset(scale, seed)
    counts: dict[str, int] = {}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=compresslevel) as zf:
        zf.writestr("meta.csv", _meta("full", EXTRACT_NUMBER, SNAPSHOT))
        zf.writestr("code.csv", _header(TABLES_BY_NAME["code"].headers) + _code_csv())
        counts["code.csv"] = sum(1 for _ in code_rows())
        for table in TABLES[1:]:
            if table.name == "branch":
                rows: Iterable[Any] = (data.branch_row(i) for i in range(len(data.bra_base)))
            else:
                rows = data.rows(table.name, data.all_enterprises(), data.all_establishments())
            counts[table.file] = _write_member(zf, table.file, _header(table.headers), rows, progress)
    return counts


@dataclass
class UpdatePlan:
    """What update `number` changes, on top of the updates before it."""

    stopped: list[int]  # enterprises gone (with their establishments)
    stopped_establishments: list[int]
    changed: dict[int, list[int]]  # enterprise -> aspects changed now
    changed_establishments: dict[int, list[int]]
    new: int  # enterprises added now (numbers after the last one)
    versions: dict[int, dict[int, int]]  # enterprise -> aspect -> version (cumulative)
    est_versions: dict[int, dict[int, int]]
    gone: set[int]
    gone_establishments: set[int]


def plan_update(data: Dataset, number: int, churn: float = 0.004) -> UpdatePlan:
    """Replay updates 1..number: which entities stop or change in each (deterministic)."""
    n_ent, n_est = len(data.ent_base), len(data.est_base)
    versions: dict[int, dict[int, int]] = {}
    est_versions: dict[int, dict[int, int]] = {}
    gone: set[int] = set()
    gone_est: set[int] = set()
    owned: dict[int, list[int]] = {}
    for s, owner in enumerate(data.est_owner):
        owned.setdefault(owner, []).append(s)
    plan = UpdatePlan([], [], {}, {}, 0, versions, est_versions, gone, gone_est)
    for k in range(1, number + 1):
        rng = _rng(data.seed * 1000 + k)
        stopped = [i for i in rng.sample(range(n_ent), max(1, int(n_ent * churn * 0.1))) if i not in gone]
        stopped_est = sorted({s for i in stopped for s in owned.get(i, [])} - gone_est)
        changed: dict[int, list[int]] = {}
        for i in rng.sample(range(n_ent), max(2, int(n_ent * churn))):
            if i in gone or i in stopped:
                continue
            aspects = rng.sample([ASPECT_ATTR, ASPECT_NAME, ASPECT_ADDRESS, ASPECT_CONTACT, ASPECT_ACTIVITY],
                                 rng.randint(1, 2))  # fmt: skip
            changed[i] = aspects
            for a in aspects:
                versions.setdefault(i, {})[a] = k
        changed_est: dict[int, list[int]] = {}
        for s in rng.sample(range(n_est), max(1, int(n_est * churn * 0.5))) if n_est else []:
            if s in gone_est or s in stopped_est:
                continue
            aspects = [rng.choice([ASPECT_ADDRESS, ASPECT_NAME, ASPECT_ACTIVITY, ASPECT_CONTACT])]
            changed_est[s] = aspects
            for a in aspects:
                est_versions.setdefault(s, {})[a] = k
        gone.update(stopped)
        gone_est.update(stopped_est)
        plan = UpdatePlan(
            sorted(stopped), stopped_est, changed, changed_est, max(1, int(n_ent * churn * 0.15)),
            versions, est_versions, gone, gone_est,
        )  # fmt: skip
    return plan


ASPECT_TABLES = {
    ASPECT_ATTR: ("enterprise",),
    ASPECT_NAME: ("denomination",),
    ASPECT_ADDRESS: ("address",),
    ASPECT_CONTACT: ("contact",),
    ASPECT_ACTIVITY: ("activity",),
}


def write_update(
    path: str | Path | IO[bytes],
    scale: str | Scale = "small",
    *,
    number: int = 1,
    seed: int = 2025,
    churn: float = 0.004,
    dataset: Dataset | None = None,
) -> dict[str, int]:
    """Write update `number` after the full extract of (scale, seed): per table `<t>_delete.csv` (keys)
    and `<t>_insert.csv` (all current rows of every entity it touches), a complete code.csv and meta.

    Stopped enterprises and their establishments are deleted everywhere; changed ones are deleted
    and inserted again with all their rows of the tables that changed; new enterprises are inserted
    (with a seat address, names and activities). An entity changed in an attribute of its own table
    (e.g. its juridical situation) is deleted and re-inserted in that table too."""
    data = dataset or Dataset(scale, seed)
    plan = plan_update(data, number, churn)
    n_ent = len(data.ent_base)
    snapshot = SNAPSHOT + dt.timedelta(days=number)
    # New enterprises get numbers after the last one, and seeds of their own.
    rng = _rng(seed * 7919 + number)
    last = data.ent_base[-1] if n_ent else 10_000_000
    new = []
    for j in range(plan.new):
        new.append(Entity(n_ent + j, with_check(last + 100_000 * number + 7 * j + 1), rng.getrandbits(64)))

    def ent(i: int) -> Entity:
        return data.enterprise(i, plan.versions.get(i))

    def est(s: int) -> Entity:
        return data.establishment(s)

    counts: dict[str, int] = {}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("meta.csv", _meta("update", EXTRACT_NUMBER + number, snapshot))
        zf.writestr("code.csv", _header(TABLES_BY_NAME["code"].headers) + _code_csv())
        for table in TABLES[1:]:
            deleted_ent = list(plan.stopped)
            deleted_est = list(plan.stopped_establishments)
            touched_ent = sorted(i for i, aspects in plan.changed.items()
                                 if any(table.name in ASPECT_TABLES[a] for a in aspects))  # fmt: skip
            touched_est = sorted(s for s, aspects in plan.changed_establishments.items()
                                 if any(table.name in ASPECT_TABLES[a] for a in aspects))  # fmt: skip
            if table.name == "establishment":
                deleted = [format_number(est(s).number) for s in deleted_est + touched_est]
                inserts: list[Any] = [data.establishment_row(est(s)) for s in touched_est]
            elif table.name == "enterprise":
                deleted = [format_number(ent(i).number) for i in deleted_ent + touched_ent]
                inserts = [data.enterprise_row(ent(i)) for i in touched_ent] + [
                    data.enterprise_row(e) for e in new
                ]
            elif table.name == "branch":
                stopped = set(plan.stopped)
                gone = [b for b in range(len(data.bra_base)) if data.bra_owner[b] in stopped]
                deleted = [format_number(data.branch_number(b)) for b in gone]
                inserts = []
            else:
                keys_ent = deleted_ent + touched_ent
                keys_est = deleted_est + touched_est
                deleted = [format_number(ent(i).number) for i in keys_ent] + [
                    format_number(est(s).number) for s in keys_est
                ]
                inserts = list(
                    data.rows(table.name, [ent(i) for i in touched_ent] + new, [est(s) for s in touched_est])
                )
            key_header = _header([table.key])
            counts[f"{table.name}_delete.csv"] = len(deleted)
            zf.writestr(
                f"{table.name}_delete.csv", key_header + "".join(f"{q(k)}\n" for k in sorted(set(deleted)))
            )
            body = b"".join(r if isinstance(r, bytes) else r.encode() for r in inserts)
            counts[f"{table.name}_insert.csv"] = body.count(b"\n")
            zf.writestr(f"{table.name}_insert.csv", _header(table.headers).encode() + body)
    return counts


def small_zip(scale: str = "tiny", seed: int = 2025) -> bytes:
    """A full extract in memory (tests)."""
    buffer = io.BytesIO()
    write_full(buffer, scale, seed=seed)
    return buffer.getvalue()
