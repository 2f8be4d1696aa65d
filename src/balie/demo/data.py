"""The raw material of Gemeente Zonnedaal: names, streets, units, organisations and topics.

Everything here is invented. Zonnedaal (2645) and its hamlet Heikant (2646) do not exist.
"""

from __future__ import annotations

from balie.accounts.models import Role

# The municipality and its hamlet (deelgemeente), each with its own postcode.
LOCALITIES = [("2645", "Zonnedaal"), ("2645", "Zonnedaal"), ("2645", "Zonnedaal"), ("2646", "Heikant")]
EMAIL_DOMAIN = "zonnedaal.be"
DEMO_PASSWORD = "Balie-demo-2026"  # noqa: S105 - printed by `balie demo`, for the demo only


def _names(text: str) -> list[str]:
    return [name.strip() for name in text.split(",")]


MALE_NAMES = _names(
    "Jan, Pieter, Luc, Marc, Dirk, Koen, Bart, Tom, Wim, Geert, Johan, Peter, Kris, Stijn, Jeroen, "
    "Thomas, Lukas, Arne, Wout, Jonas, Robbe, Seppe, Lars, Mathis, Noah, Louis, Vic, Stan, Jef, "
    "Frans, Jozef, Willy, Eddy, Rudi, Patrick, Filip, Ward, Senne, Warre, Kobe, Bram, Joris, Dries, "
    "Hannes, Ruben, Sander, Maarten, Nico, Ivo, Guido, Roger, Herman, André, Rik, Mohamed, Youssef, "
    "Emre, Piotr, Karim, Jules, Mats, Cas"
)
FEMALE_NAMES = _names(
    "An, Els, Katrien, Sofie, Lies, Inge, Veerle, Sarah, Leen, Griet, Hilde, Greet, Marleen, Annemie, "
    "Ilse, Evi, Julie, Lotte, Emma, Marie, Lore, Fien, Nina, Hanne, Elise, Charlotte, Ellen, Jana, "
    "Anouk, Mila, Lena, Louise, Liesbeth, Kaat, Nele, Tine, Ann, Martine, Rita, Godelieve, Maria, "
    "Mariette, Christiane, Josée, Yvonne, Simonne, Lutgart, Femke, Roos, Margot, Yasmine, Fatima, "
    "Aylin, Anna, Zoë, Noor, Amélie, Febe"
)
FAMILY_NAMES = _names(
    "Peeters, Janssens, Maes, Jacobs, Mertens, Willems, Claes, Goossens, Wouters, De Smet, Vermeulen, "
    "Van den Broeck, Hermans, Aerts, Lambrechts, Pauwels, Michiels, Van Damme, Smets, Vandenberghe, "
    "De Backer, Martens, Cools, Verstraeten, Van Dyck, Hendrickx, Dierckx, Van Looy, Vermeiren, "
    "Wuyts, Verbeeck, De Wilde, Bosmans, Van Hoof, Geerts, Huybrechts, Thys, Stevens, Segers, "
    "Coppens, Nijs, Van de Velde, De Cock, Verhoeven, Roels, Leysen, Moens, Op de Beeck, Van Gorp, "
    "Sels, Bogaerts, Schoofs, Van Camp, Adriaensen, Baeten, Celis, D'Hondt, Mommaerts, Van Rompaey, "
    "Heylen, Verschueren, Vos, Tack, Lenaerts, Goris, Van Aken, Cuypers, Engelen, Van Hecke, "
    "El Amrani, Yilmaz, Nowak, Dubois, Lambert, Diallo, Öztürk, Van Osta, Verelst"
)
STREETS = _names(
    "Kerkstraat, Dorpsstraat, Stationsstraat, Molenstraat, Schoolstraat, Kapelstraat, Nieuwstraat, "
    "Beekstraat, Heidestraat, Bosstraat, Zonnelaan, Lindenlaan, Eikenlaan, Kastanjelaan, Berkenlaan, "
    "Veldstraat, Meidoornlaan, Kouterstraat, Hoogstraat, Markt, Gemeenteplein, Prins Boudewijnlaan, "
    "Koning Albertstraat, Ter Heidelaan, Vredestraat, Akkerstraat, Bloemenstraat, Kloosterstraat, "
    "Weversstraat, Kasteeldreef, Neerhofstraat, Sint-Jozefstraat, Boomgaardstraat, Vlinderstraat, "
    "Zonnedauwlaan, Heikantstraat, Watermolenweg, Leliestraat, Pastorijstraat, Broekstraat"
)
ELSEWHERE = [
    ("2000", "Antwerpen"),
    ("2018", "Antwerpen"),
    ("2060", "Antwerpen"),
    ("2640", "Mortsel"),
    ("2650", "Edegem"),
    ("2550", "Kontich"),
    ("2530", "Boechout"),
    ("2500", "Lier"),
    ("2800", "Mechelen"),
    ("2610", "Wilrijk"),
]
EMAIL_PROVIDERS = ["example.com", "example.net", "example.org"]

# (code, name, teams)
DEPARTMENTS = [
    ("burgerzaken", "Burgerzaken", ["Onthaal", "Bevolking", "Burgerlijke stand"]),
    ("omgeving", "Omgeving", ["Omgevingsvergunningen", "Openbaar domein", "Milieu"]),
    ("financien", "Financiën", ["Ontvangsten", "Boekhouding"]),
    ("vrije-tijd", "Vrije Tijd", ["Zalen en infrastructuur", "Sport", "Cultuur en bibliotheek"]),
    ("welzijn", "Welzijn", ["Sociale dienst", "Zorg en wonen"]),
    ("communicatie", "Communicatie", ["Postkamer", "Klachten en meldingen", "Redactie"]),
    ("personeel", "Personeel", ["Personeelsadministratie"]),
    ("ict", "ICT", ["Toepassingsbeheer", "Informatieveiligheid"]),
    ("secretariaat", "Secretariaat", ["Archief", "Directie"]),
]

# One login per role: (username, first name, last name, role, department code, team, job title)
DEMO_LOGINS = [
    ("onthaal", "Sofie", "Peeters", Role.FRONT_DESK, "burgerzaken", "Onthaal", "Onthaalmedewerker"),
    (
        "behandelaar",
        "Pieter",
        "Janssens",
        Role.CASE_HANDLER,
        "omgeving",
        "Omgevingsvergunningen",
        "Dossierbehandelaar omgeving",
    ),
    ("teamlead", "An", "Maes", Role.TEAM_LEAD, "burgerzaken", "Onthaal", "Teamverantwoordelijke onthaal"),
    ("postkamer", "Bart", "Wouters", Role.POST_ROOM, "communicatie", "Postkamer", "Medewerker postkamer"),
    (
        "klachten",
        "Lien",
        "De Smedt",
        Role.COMPLAINT_COORDINATOR,
        "communicatie",
        "Klachten en meldingen",
        "Klachtencoördinator",
    ),
    ("zalen", "Tom", "Claes", Role.ROOM_MANAGER, "vrije-tijd", "Zalen en infrastructuur", "Zaalbeheerder"),
    ("kassa", "Els", "Goossens", Role.CASHIER, "financien", "Ontvangsten", "Kassier"),
    ("hr", "Karen", "Willems", Role.HR, "personeel", "Personeelsadministratie", "HR-adviseur"),
    (
        "privacy",
        "Wim",
        "Mertens",
        Role.PRIVACY_OFFICER,
        "ict",
        "Informatieveiligheid",
        "Functionaris voor gegevensbescherming",
    ),
    ("beheer", "Joris", "Jacobs", Role.FUNCTIONAL_ADMIN, "ict", "Toepassingsbeheer", "Functioneel beheerder"),
    ("archief", "Greet", "Hermans", Role.ARCHIVIST, "secretariaat", "Archief", "Archivaris"),
]

# Logins beside the one per role: the algemeen directeur, who signs letters (balie.demo.signing).
SIGNER_LOGINS = [
    ("directeur", "Katrien", "Lambrechts", Role.TEAM_LEAD, "secretariaat", "Directie", "Algemeen directeur"),
]

# Colleagues without a login of their own: (first, last, department code, team, role, job title)
COLLEAGUES = [
    ("Veerle", "Van Looy", "burgerzaken", "Onthaal", Role.FRONT_DESK, "Onthaalmedewerker"),
    ("Kris", "Vermeiren", "burgerzaken", "Onthaal", Role.FRONT_DESK, "Onthaalmedewerker"),
    ("Nele", "Bosmans", "burgerzaken", "Onthaal", Role.FRONT_DESK, "Onthaalmedewerker"),
    ("Ahmed", "Bouzid", "burgerzaken", "Onthaal", Role.FRONT_DESK, "Onthaalmedewerker"),
    ("Greet", "Huybrechts", "burgerzaken", "Bevolking", Role.CASE_HANDLER, "Deskundige bevolking"),
    ("Dirk", "Segers", "burgerzaken", "Burgerlijke stand", Role.CASE_HANDLER, "Ambtenaar burgerlijke stand"),
    ("Ilse", "Coppens", "omgeving", "Omgevingsvergunningen", Role.CASE_HANDLER, "Omgevingsambtenaar"),
    ("Koen", "Verhoeven", "omgeving", "Openbaar domein", Role.CASE_HANDLER, "Deskundige openbaar domein"),
    ("Lotte", "Moens", "omgeving", "Milieu", Role.CASE_HANDLER, "Milieuambtenaar"),
    ("Stijn", "Van Gorp", "financien", "Boekhouding", Role.CASE_HANDLER, "Boekhouder"),
    ("Hanne", "Schoofs", "vrije-tijd", "Sport", Role.CASE_HANDLER, "Sportfunctionaris"),
    (
        "Jeroen",
        "Baeten",
        "vrije-tijd",
        "Cultuur en bibliotheek",
        Role.CASE_HANDLER,
        "Cultuurbeleidscoördinator",
    ),
    ("Leen", "Celis", "welzijn", "Sociale dienst", Role.CASE_HANDLER, "Maatschappelijk werker"),
    ("Marleen", "Heylen", "welzijn", "Zorg en wonen", Role.CASE_HANDLER, "Woonconsulent"),
    ("Geert", "Tack", "welzijn", "Sociale dienst", Role.TEAM_LEAD, "Hoofd sociale dienst"),
    ("Evi", "Lenaerts", "communicatie", "Redactie", Role.CASE_HANDLER, "Communicatiemedewerker"),
    ("Bram", "Goris", "ict", "Toepassingsbeheer", Role.CASE_HANDLER, "ICT-medewerker"),
    ("Geert", "Wuyts", "secretariaat", "Directie", Role.CASE_HANDLER, "Adjunct-algemeen directeur"),
]

# name, department code, keywords, weight (how often people ask about it)
TOPICS = [
    ("Identiteitskaart (eID)", "burgerzaken", "eid kaart pincode puk verlies diefstal", 14),
    ("Kids-ID", "burgerzaken", "kinderen reizen identiteitsbewijs", 4),
    ("Reispas", "burgerzaken", "paspoort reizen", 5),
    ("Rijbewijs", "burgerzaken", "rijbewijs voorlopig internationaal", 7),
    ("Uittreksel uit het strafregister", "burgerzaken", "bewijs goed gedrag zeden", 4),
    ("Adreswijziging", "burgerzaken", "verhuis domicilie wijkagent", 8),
    ("Attesten bevolking", "burgerzaken", "samenstelling gezin woonst nationaliteit", 4),
    ("Huwelijk en wettelijke samenwoning", "burgerzaken", "trouwen samenwonen", 2),
    ("Geboorte en erkenning", "burgerzaken", "aangifte geboorte", 2),
    ("Overlijden en begraafplaatsen", "burgerzaken", "overlijden concessie urne", 2),
    ("Wilsverklaringen", "burgerzaken", "orgaandonatie euthanasie teraardebestelling", 1),
    ("Omgevingsvergunning", "omgeving", "bouwen verbouwen vergunning stedenbouw", 5),
    ("Inname openbaar domein", "omgeving", "parkeerverbod verhuislift container signalisatie", 4),
    ("Wegenwerken", "omgeving", "werken omleiding riolering", 3),
    ("Afvalkalender", "omgeving", "huisvuil pmd gft papier ophaling", 7),
    ("Recyclagepark", "omgeving", "containerpark openingsuren toegang", 5),
    ("Grofvuil aan huis", "omgeving", "grofvuil ophaling afspraak", 2),
    ("Bomen en groen", "omgeving", "snoeien kappen haag", 2),
    ("Energie- en renovatiepremies", "omgeving", "premie isolatie zonnepanelen", 3),
    ("Gemeentebelastingen", "financien", "aanslagbiljet belasting bezwaar", 4),
    ("Facturen en betalingen", "financien", "factuur betaling herinnering", 3),
    ("Zaalhuur", "vrije-tijd", "zaal reserveren feestzaal vergaderzaal", 5),
    ("Uitleendienst", "vrije-tijd", "tenten podium nadar materiaal", 2),
    ("Evenementen en fuiven", "vrije-tijd", "evenement fuif toelating", 2),
    ("Sportkampen", "vrije-tijd", "sportkamp inschrijving vakantie", 3),
    ("Bibliotheek", "vrije-tijd", "boeken lidkaart", 2),
    ("Leefloon en sociale hulp", "welzijn", "ocmw leefloon hulp budget", 3),
    ("Kinderopvang", "welzijn", "opvang buitenschoolse", 2),
    ("Thuiszorg en senioren", "welzijn", "maaltijden poetsdienst mindermobielen", 2),
    ("Sociale woning", "welzijn", "huren woning inschrijving", 2),
    ("Vacatures", "personeel", "solliciteren jobs werken bij de gemeente", 1),
    ("E-loket en digitale hulp", "ict", "e-loket itsme digitaal", 2),
]

CONFIDENTIAL_TOPICS = {"Leefloon en sociale hulp", "Sociale woning", "Thuiszorg en senioren"}

SUMMARIES: dict[str, list[str]] = {
    "Identiteitskaart (eID)": [
        "Nieuwe identiteitskaart aangevraagd; afhaling met PUK-code over drie weken.",
        "Identiteitskaart afgehaald en pincode ingesteld.",
        "Verlies van identiteitskaart gemeld; kaart geschrapt en nieuwe aangevraagd.",
        "Vraagt wanneer de oproepingsbrief voor een nieuwe eID komt.",
        "Pincode vergeten; nieuwe PIN/PUK-codes aangevraagd.",
    ],
    "Kids-ID": [
        "Kids-ID aangevraagd voor reis naar het buitenland.",
        "Vraagt hoe lang een Kids-ID geldig is.",
    ],
    "Reispas": [
        "Reispas aangevraagd met spoedprocedure.",
        "Informatie over de levertermijn van een reispas.",
    ],
    "Rijbewijs": [
        "Voorlopig rijbewijs model 36 maanden uitgereikt.",
        "Europees rijbewijs aangevraagd na slagen voor praktisch examen.",
        "Vraagt naar een internationaal rijbewijs voor een reis.",
    ],
    "Uittreksel uit het strafregister": [
        "Uittreksel model 596.2 gevraagd voor werken met kinderen.",
        "Uittreksel afgeleverd via e-mail.",
    ],
    "Adreswijziging": [
        "Adreswijziging aangegeven; wijkagent komt langs voor de woonstcontrole.",
        "Vraagt naar de stand van zijn adreswijziging.",
        "Adreswijziging afgerond; adres op de identiteitskaart aangepast.",
    ],
    "Attesten bevolking": [
        "Attest gezinssamenstelling afgeleverd.",
        "Bewijs van woonst afgedrukt aan de balie.",
    ],
    "Huwelijk en wettelijke samenwoning": [
        "Verklaring wettelijke samenwoning opgemaakt.",
        "Informatie gevraagd over de aangifte van een huwelijk en mogelijke data.",
    ],
    "Geboorte en erkenning": ["Vraagt welke documenten nodig zijn voor een erkenning vóór de geboorte."],
    "Overlijden en begraafplaatsen": [
        "Vraagt naar het verlengen van een concessie op de begraafplaats.",
        "Informatie over de asverstrooiing op de strooiweide.",
    ],
    "Wilsverklaringen": ["Wilsverklaring orgaandonatie geregistreerd."],
    "Omgevingsvergunning": [
        "Vraagt of een tuinhuis vergunningsplichtig is.",
        "Vraagt naar de stand van zijn aanvraag voor een verbouwing.",
        "Afspraak gevraagd met de omgevingsambtenaar over een carport.",
    ],
    "Inname openbaar domein": [
        "Parkeerverbod aangevraagd voor een verhuis op zaterdag.",
        "Vraagt toelating voor een container op de rijweg.",
    ],
    "Wegenwerken": [
        "Klaagt over de omleiding door de werken in de Kerkstraat.",
        "Vraagt tot wanneer de rioleringswerken duren.",
    ],
    "Afvalkalender": [
        "PMD-zak niet opgehaald; doorgegeven aan de ophaaldienst.",
        "Vraagt een papieren afvalkalender.",
        "Vraagt waarom de gft-container niet geledigd werd.",
    ],
    "Recyclagepark": [
        "Vraagt naar de openingsuren van het recyclagepark.",
        "Toegangskaart voor het recyclagepark werkt niet.",
    ],
    "Grofvuil aan huis": ["Afspraak gemaakt voor de ophaling van grofvuil."],
    "Bomen en groen": ["Meldt een overhangende tak boven het voetpad.", "Vraagt of hij een boom mag kappen."],
    "Energie- en renovatiepremies": [
        "Informatie over de gemeentelijke premie voor dakisolatie.",
        "Vraagt naar de stand van haar premieaanvraag.",
    ],
    "Gemeentebelastingen": [
        "Vraagt uitleg bij het aanslagbiljet voor de afvalbelasting.",
        "Wil bezwaar indienen tegen een belastingaanslag.",
    ],
    "Facturen en betalingen": [
        "Betaling met verkeerde mededeling; nagekeken met de dienst financiën.",
        "Vraagt een afbetalingsplan voor een factuur.",
    ],
    "Zaalhuur": [
        "Wil de feestzaal reserveren voor een communiefeest.",
        "Vraagt naar de tarieven van de vergaderzaal voor verenigingen.",
        "Reservatie van de parochiezaal geannuleerd.",
    ],
    "Uitleendienst": ["Vraagt om tenten en nadars te ontlenen voor een buurtfeest."],
    "Evenementen en fuiven": ["Toelating gevraagd voor een fuif in de sporthal."],
    "Sportkampen": [
        "Inschrijving voor het sportkamp in de zomervakantie.",
        "Vraagt of er nog plaats is op het kleuterkamp.",
    ],
    "Bibliotheek": [
        "Lidkaart van de bibliotheek verlengd.",
        "Vraagt naar de openingsuren tijdens de feestdagen.",
    ],
    "Leefloon en sociale hulp": [
        "Vraagt een afspraak met de sociale dienst.",
        "Bespreking van de budgetbegeleiding.",
        "Vraagt hulp bij een achterstallige energiefactuur.",
    ],
    "Kinderopvang": ["Vraagt naar vrije plaatsen in de buitenschoolse opvang."],
    "Thuiszorg en senioren": [
        "Vraagt warme maaltijden aan huis voor haar moeder.",
        "Informatie over de mindermobielencentrale.",
    ],
    "Sociale woning": ["Vraagt hoe zij zich kan inschrijven voor een sociale woning."],
    "Vacatures": ["Vraagt naar de openstaande vacatures bij de gemeente."],
    "E-loket en digitale hulp": [
        "Geholpen met aanmelden via itsme op het e-loket.",
        "Kan geen attest downloaden op het e-loket; stap voor stap uitgelegd.",
    ],
}

HANDOFF_DESCRIPTIONS = [
    "Graag terugbellen met een antwoord.",
    "Klant verwacht een antwoord per e-mail.",
    "Dossier nakijken en klant informeren.",
    "Afspraak inplannen met de klant.",
    "Bevestiging sturen aan de klant.",
]

# (name, legal form)
ORGANISATIONS = [
    ("Bakkerij Van Dyck", "BV"),
    ("Garage Zonnedaal", "NV"),
    ("Apotheek De Linde", "BV"),
    ("Brouwerij Het Zonneke", "NV"),
    ("Schrijnwerkerij Peeters", "BV"),
    ("Dakwerken Janssens", "BV"),
    ("Kapsalon Lotte", "BV"),
    ("Frituur 't Pleintje", "BV"),
    ("Immo Zonnedaal", "BV"),
    ("Bouwbedrijf Heikant", "NV"),
    ("Tuinaanleg Groen & Co", "BV"),
    ("Slagerij Maes", "BV"),
    ("Elektro Wouters", "BV"),
    ("Loodgieterij Mertens", "BV"),
    ("Drukkerij De Zonnewijzer", "NV"),
    ("Transport Claes", "NV"),
    ("Boekhoudkantoor Verbeeck", "BV"),
    ("Advocatenkantoor Lambrechts", "BV"),
    ("Huisartsenpraktijk Kouter", "BV"),
    ("Tandartsenpraktijk Zonnelaan", "BV"),
    ("Restaurant De Watermolen", "BV"),
    ("Café Sportwereld", "CommV"),
    ("Fietsen Goossens", "BV"),
    ("Bloemen Roos", "BV"),
    ("Kinderdagverblijf De Zonnestraal", "BV"),
    ("Zonnedaal Solar", "NV"),
    ("IT-Partners Antwerpen", "NV"),
    ("Schoonmaak Proper", "BV"),
    ("Aannemer Van den Broeck", "NV"),
    ("Verzekeringen Hermans", "BV"),
    ("Supermarkt Dorpsplein", "NV"),
    ("Optiek Wuyts", "BV"),
    ("Kinesitherapie De Beek", "BV"),
    ("Notariaat Van Hoof", "BV"),
    ("Houthandel Heylen", "NV"),
    ("Grondwerken Segers", "BV"),
    ("Tuincentrum Zonnedaal", "NV"),
    ("Drankencentrale Aerts", "BV"),
    ("Coöperatie Zonnedaal Energie", "CV"),
    ("Woonzorgcentrum Ter Heide", "VZW"),
]

# (name, legal form or "" for a de facto association, has an enterprise number)
ASSOCIATIONS = [
    ("KFC Zonnedaal", "VZW", True),
    ("Jeugdhuis De Kelder", "VZW", True),
    ("Toneelkring De Zonnebloem", "", False),
    ("Koninklijke Fanfare Sint-Cecilia", "VZW", True),
    ("Chiro Zonnedaal", "VZW", True),
    ("Scouts Sint-Jan Heikant", "VZW", True),
    ("Seniorenclub De Zonnewijzer", "", False),
    ("Buurtcomité Kerkwijk", "", False),
    ("Wielerclub De Trappers", "", False),
    ("Schaakclub Zonnedaal", "", False),
    ("Gezinsvereniging Zonnedaal", "", False),
    ("Volleybalclub Heikant", "VZW", True),
    ("Imkersvereniging De Korf", "", False),
    ("Oudercomité Basisschool De Linde", "", False),
    ("Heemkundige Kring Zonnedaal", "VZW", True),
    ("Kunstacademie Vrienden", "", False),
    ("Tennisclub Zonnelaan", "VZW", True),
    ("Wandelclub De Stappers", "", False),
]
ORGANISATION_CAPACITIES = ["zaakvoerder", "bestuurder", "contactpersoon"]
ASSOCIATION_CAPACITIES = ["voorzitter", "secretaris", "penningmeester"]

CLOSING_DAYS = [
    ((1, 2), "Dag na Nieuwjaar"),
    ((12, 26), "Tweede Kerstdag"),
]
