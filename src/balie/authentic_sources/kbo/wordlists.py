"""Word lists for the KBO test-data generator: Belgian names, municipalities, streets, trades.

Real spellings, so that generated names look and search like real ones (accents included); the
combinations are fictional. Lists are ordered roughly by frequency: the generator draws the first
entries more often.
"""

from __future__ import annotations

FAMILY_NL = [
    "Peeters", "Janssens", "Maes", "Jacobs", "Mertens", "Willems", "Claes", "Goossens", "Wouters",
    "De Smet", "Hermans", "Aerts", "Michiels", "Lambrechts", "Desmet", "Martens", "Smets", "Claeys",
    "Verstraete", "Vermeulen", "De Backer", "Stevens", "Pauwels", "Van Damme", "Wuyts", "De Clercq",
    "Hendrickx", "Cools", "Lemmens", "Van den Broeck", "Coppens", "Verhulst", "Van de Velde",
    "Segers", "Declercq", "Vandenberghe", "Dewilde", "Vermeersch", "Van Hecke", "Verbruggen",
    "De Vos", "Bogaerts", "Thys", "Verhoeven", "Geerts", "Van Dyck", "Heylen", "Baeten", "Huysmans",
    "Vervoort", "Vanderstraeten", "Nijs", "Verschueren", "Luyten", "Van Acker", "Dierckx",
    "Timmermans", "Van Hoof", "Mortier", "Verlinden", "Bosmans", "De Wilde", "Schepens", "Ceulemans",
    "Moens", "Van Gool", "Sterckx", "Vandamme", "De Meyer", "Roels", "Goethals", "Vercammen",
    "Van Loock", "De Coninck", "Van Laere", "Van Mol", "Daems", "Vandevelde", "Buysse", "Vlaeminck",
    "De Paepe", "Van Rompaey", "Everaert", "Cornelis", "Bulcke", "Dhondt", "D'hondt", "Van Praet",
    "Verbeke", "De Ridder", "Van Hove", "Vanhoutte", "Haesaert", "Baert", "Van Ransbeeck", "Lauwers",
    "Van Houdt", "Scheerlinck", "Devriendt", "Vanneste", "Lemaître", "Blommaert", "Stroobants",
    "Coenen", "Swinnen", "Vanderhaeghen", "De Groote", "Van Cauwenberghe", "Verheyen", "Ooms",
    "Gielen", "Bruyninckx", "Jaspers", "Engelen", "Hellemans", "Van Belle", "Dockx", "Struyf",
]  # fmt: skip
FAMILY_FR = [
    "Dubois", "Lambert", "Dupont", "Martin", "Simon", "Leroy", "Laurent", "Dumont", "Lejeune",
    "Renard", "Lefèbvre", "François", "Leclercq", "Mathieu", "Gérard", "Collin", "Hubert", "Denis",
    "Thiry", "Lemaire", "Jacquet", "Fontaine", "Henrard", "Pirard", "Wauters", "Mahieu", "Dethier",
    "Goffin", "Noël", "Bastin", "Gilson", "Deprez", "Marchal", "Michel", "Chevalier", "Stassen",
    "Hennuy", "Delvaux", "Englebert", "Lecomte", "Poncelet", "Dumoulin", "Massart", "Delhaye",
    "Piette", "Grégoire", "Masson", "Frère", "Collard", "Leemans", "Dufour", "Baudoux", "Bodart",
    "Lhoest", "Legrand", "Delcourt", "Godefroid", "Bouchat", "Léonard", "Tilmant", "Hérion",
]  # fmt: skip
FAMILY_DE = ["Schmitz", "Müller", "Schröder", "Kessler", "Lentz", "Heinen", "Jost", "Kohnen"]

GIVEN_NL = [
    "Jan", "Marc", "Luc", "Peter", "Dirk", "Patrick", "Johan", "Paul", "Geert", "Wim", "Bart", "Tom",
    "Kevin", "Jozef", "Frank", "Koen", "Stijn", "Pieter", "Joris", "Jens", "Maria", "Anna", "Rita",
    "Linda", "Martine", "Hilde", "Sofie", "Els", "Ann", "Nathalie", "Katrien", "Lies", "Griet",
    "An", "Veerle", "Inge", "Sarah", "Julie", "Lotte", "Emma",
]  # fmt: skip
GIVEN_FR = [
    "Jean", "Michel", "Philippe", "Pierre", "Christian", "Alain", "Éric", "André", "Jacques",
    "Thierry", "François", "Stéphane", "Frédéric", "Benoît", "Jérôme", "Marie", "Nathalie",
    "Isabelle", "Anne", "Christine", "Françoise", "Véronique", "Sylvie", "Hélène", "Céline",
    "Amélie", "Chloé", "Léa", "Zoé", "Renée",
]  # fmt: skip

# (postcode, name in Dutch, name in French, region: V(landeren), W(allonie), B(russel)).
MUNICIPALITIES = [
    ("1000", "Brussel", "Bruxelles", "B"), ("1030", "Schaarbeek", "Schaerbeek", "B"),
    ("1040", "Etterbeek", "Etterbeek", "B"), ("1050", "Elsene", "Ixelles", "B"),
    ("1060", "Sint-Gillis", "Saint-Gilles", "B"), ("1070", "Anderlecht", "Anderlecht", "B"),
    ("1080", "Sint-Jans-Molenbeek", "Molenbeek-Saint-Jean", "B"), ("1180", "Ukkel", "Uccle", "B"),
    ("1200", "Sint-Lambrechts-Woluwe", "Woluwe-Saint-Lambert", "B"), ("1190", "Vorst", "Forest", "B"),
    ("2000", "Antwerpen", "Anvers", "V"), ("2018", "Antwerpen", "Anvers", "V"),
    ("2100", "Deurne", "Deurne", "V"), ("2140", "Borgerhout", "Borgerhout", "V"),
    ("2300", "Turnhout", "Turnhout", "V"), ("2400", "Mol", "Mol", "V"), ("2500", "Lier", "Lierre", "V"),
    ("2610", "Wilrijk", "Wilrijk", "V"), ("2800", "Mechelen", "Malines", "V"),
    ("2850", "Boom", "Boom", "V"), ("2900", "Schoten", "Schoten", "V"),
    ("2930", "Brasschaat", "Brasschaat", "V"), ("2960", "Brecht", "Brecht", "V"),
    ("3000", "Leuven", "Louvain", "V"), ("3001", "Heverlee", "Heverlee", "V"),
    ("3200", "Aarschot", "Aarschot", "V"), ("3290", "Diest", "Diest", "V"),
    ("3300", "Tienen", "Tirlemont", "V"), ("3500", "Hasselt", "Hasselt", "V"),
    ("3520", "Zonhoven", "Zonhoven", "V"), ("3600", "Genk", "Genk", "V"),
    ("3700", "Tongeren", "Tongres", "V"), ("3800", "Sint-Truiden", "Saint-Trond", "V"),
    ("3900", "Pelt", "Pelt", "V"), ("1500", "Halle", "Hal", "V"), ("1700", "Dilbeek", "Dilbeek", "V"),
    ("1731", "Asse", "Asse", "V"), ("1800", "Vilvoorde", "Vilvorde", "V"),
    ("1930", "Zaventem", "Zaventem", "V"), ("8000", "Brugge", "Bruges", "V"),
    ("8200", "Sint-Andries", "Saint-André", "V"), ("8400", "Oostende", "Ostende", "V"),
    ("8500", "Kortrijk", "Courtrai", "V"), ("8560", "Wevelgem", "Wevelgem", "V"),
    ("8800", "Roeselare", "Roulers", "V"), ("8830", "Hooglede", "Hooglede", "V"),
    ("8900", "Ieper", "Ypres", "V"), ("8970", "Poperinge", "Poperinge", "V"),
    ("9000", "Gent", "Gand", "V"), ("9040", "Sint-Amandsberg", "Sint-Amandsberg", "V"),
    ("9070", "Destelbergen", "Destelbergen", "V"), ("9100", "Sint-Niklaas", "Saint-Nicolas", "V"),
    ("9200", "Dendermonde", "Termonde", "V"), ("9300", "Aalst", "Alost", "V"),
    ("9400", "Ninove", "Ninove", "V"), ("9500", "Geraardsbergen", "Grammont", "V"),
    ("9520", "Sint-Lievens-Houtem", "Sint-Lievens-Houtem", "V"), ("9600", "Ronse", "Renaix", "V"),
    ("9700", "Oudenaarde", "Audenarde", "V"), ("9800", "Deinze", "Deinze", "V"),
    ("9900", "Eeklo", "Eeklo", "V"), ("1300", "Waver", "Wavre", "W"),
    ("1332", "Rixensart", "Rixensart", "W"), ("1348", "Louvain-la-Neuve", "Louvain-la-Neuve", "W"),
    ("1400", "Nijvel", "Nivelles", "W"), ("1420", "Eigenbrakel", "Braine-l'Alleud", "W"),
    ("4000", "Luik", "Liège", "W"), ("4020", "Luik", "Liège", "W"), ("4100", "Seraing", "Seraing", "W"),
    ("4500", "Hoei", "Huy", "W"), ("4700", "Eupen", "Eupen", "W"), ("4800", "Verviers", "Verviers", "W"),
    ("5000", "Namen", "Namur", "W"), ("5100", "Jambes", "Jambes", "W"), ("5500", "Dinant", "Dinant", "W"),
    ("6000", "Charleroi", "Charleroi", "W"), ("6040", "Jumet", "Jumet", "W"),
    ("6700", "Aarlen", "Arlon", "W"), ("6800", "Libramont-Chevigny", "Libramont-Chevigny", "W"),
    ("7000", "Bergen", "Mons", "W"), ("7100", "La Louvière", "La Louvière", "W"),
    ("7500", "Doornik", "Tournai", "W"), ("7700", "Moeskroen", "Mouscron", "W"),
]  # fmt: skip

STREETS_NL = [
    "Kerkstraat", "Stationsstraat", "Molenstraat", "Dorpsstraat", "Nieuwstraat", "Schoolstraat",
    "Kapelstraat", "Beekstraat", "Veldstraat", "Hoogstraat", "Bosstraat", "Kasteelstraat",
    "Lindenlaan", "Markt", "Grote Markt", "Brugstraat", "Meersstraat", "Kouterstraat", "Steenweg",
    "Heirweg", "Langestraat", "Zandstraat", "Kloosterstraat", "Koning Albertlaan",
    "Koningin Astridlaan", "Leopoldlaan", "Parklaan", "Heidestraat", "Vaartstraat", "Bergstraat",
    "Pastoriestraat", "Hofstraat", "Gentsesteenweg", "Brusselsesteenweg", "Antwerpsesteenweg",
    "Industrieweg", "Nijverheidsstraat", "Ambachtenlaan", "Kempenlaan", "Sint-Jansstraat",
    "Sint-Pietersplein", "O.-L.-Vrouwstraat", "Michel Theysstraat", "Panhuisstraat", "Stropstraat",
    "Brabantdam", "Woensdagmarkt", "Budastraat", "Noordstraat", "Zuidstraat", "Oostlaan",
    "Westlaan", "Processiestraat", "Weverstraat", "Ringlaan", "Broekstraat", "Populierenlaan",
    "Dennenlaan", "Eikenlaan", "Berkenlaan", "Rozenstraat", "Tuinstraat", "Ter Heide",
]  # fmt: skip
STREETS_FR = [
    "Rue de l'Église", "Rue de la Station", "Rue du Moulin", "Grand-Place", "Place communale",
    "Rue Haute", "Rue Neuve", "Chaussée de Bruxelles", "Chaussée d'Alsemberg", "Avenue Louise",
    "Rue de Namur", "Rue du Cerf", "Rue de la Religion", "Rue de Nimy", "Rue des Jongleurs",
    "Avenue des Combattants", "Rue du Château", "Rue de la Gare", "Rue Saint-Lambert",
    "Boulevard d'Avroy", "Rue Léopold", "Rue Albert Ier", "Rue des Écoles", "Rue du Pont",
    "Avenue Reine Astrid", "Rue de Liège", "Rue Émile Vandervelde", "Rue de la Paix",
    "Route de Marche", "Chemin des Prés",
]  # fmt: skip
# Brussels streets in both languages.
STREETS_BILINGUAL = [
    ("Wetstraat", "Rue de la Loi"), ("Eikstraat", "Rue du Chêne"), ("Nieuwstraat", "Rue Neuve"),
    ("Louizalaan", "Avenue Louise"), ("Koningsstraat", "Rue Royale"),
    ("Anspachlaan", "Boulevard Anspach"), ("Kunstlaan", "Avenue des Arts"),
    ("Waterloosesteenweg", "Chaussée de Waterloo"), ("Vlaamsesteenweg", "Rue de Flandre"),
    ("Hoogstraat", "Rue Haute"), ("Elsensesteenweg", "Chaussée d'Ixelles"),
    ("Sint-Katelijneplein", "Place Sainte-Catherine"),
]  # fmt: skip

# Trades and name patterns: {f} family name, {g} given name, {p} place, {w} a word.
TRADE_NL = [
    "Bouwbedrijf {f}", "Bakkerij {f}", "Garage {f}", "Immo {f}", "Schrijnwerkerij {f}",
    "Advocatenkantoor {f}", "Huisartsenpraktijk {f}", "{f} Consult", "{f} & Zonen", "{f} Group",
    "Transport {f}", "Elektro {f}", "Loodgieterij {f}", "Dakwerken {f}", "Kapsalon {g}",
    "Tandartsenpraktijk {f}", "Boekhoudkantoor {f}", "Architectenbureau {f}", "Slagerij {f}",
    "Frituur {w}", "Café {w}", "Brasserie {w}", "Taverne {w}", "Bloemen {g}", "Apotheek {f}",
    "Schilderwerken {f}", "Tuinaanleg {f}", "Vastgoed {f}", "{f} Invest", "{f} Holding",
    "Beenhouwerij {f}", "Optiek {f}", "Fietsen {f}", "Kinderopvang {w}", "Dierenartsenpraktijk {f}",
    "Verzekeringen {f}", "{f}-{f2}", "{f} & {f2}", "Vennootschap {f}", "Kantoor {f}",
]  # fmt: skip
TRADE_FR = [
    "Boulangerie {f}", "Garage {f}", "Immobilière {f}", "Cabinet {f}", "{f} et Fils",
    "Entreprise {f}", "Pâtisserie {f}", "Électricité Générale {f}", "Boucherie {f}",
    "Toitures {f}", "Menuiserie {f}", "Pharmacie {f}", "Crèche {w}", "Hôtel {w}", "Café {w}",
    "Brasserie {w}", "Résidence {w}", "Fiduciaire {f}", "Transports {f}", "Société {f}",
    "Les Jardins de {p}", "Boulangerie-Pâtisserie {f}", "Coiffure {g}", "Bureau d'études {f}",
    "Assurances {f}", "Chauffage {f}", "Peintures {f}", "{f} & Associés",
]  # fmt: skip
ASSOCIATION_NL = [
    "Voetbalclub {p}", "Harmonie Sint-Cecilia {p}", "Oudercomité {w}", "Jeugdhuis {w}",
    "Toneelvereniging {w}", "Tennisclub {p}", "Vriendenkring {p}", "Chiro {w}", "Scouts {w}",
    "Intergemeentelijke Vereniging {w}", "Kerkfabriek Sint-{g} {p}", "Wielerclub {w}",
    "Koninklijke Fanfare {w}", "Gezinsbond {p}", "Vzw {w}",
]  # fmt: skip
ASSOCIATION_FR = [
    "Club de football de {p}", "Asbl {w}", "Fabrique d'église Saint-{g} {p}", "Comité des fêtes de {p}",
    "Royal Tennis Club {p}", "Amicale {w}", "Maison de jeunes {w}", "Fanfare royale {w}",
]  # fmt: skip
WORDS = [
    "De Kroon", "'t Hoekske", "De Gouden Leeuw", "De Zwaan", "Het Anker", "De Linde", "Sint-Jozef",
    "De Kempen", "Ter Beuken", "De Molen", "Den Engel", "De Sterre", "Zonnebloem", "De Regenboog",
    "Het Klavertje", "De Vlinder", "Cœur de Ville", "Le Relais", "La Bonne Étoile", "Les Tilleuls",
    "L'Écureuil", "Le Coq Hardi", "Saint-Hubert", "Notre-Dame", "Bel Horizon", "De Hoeve",
    "De Wijngaard", "Ter Elst", "Den Ouden Brouwer", "'t Pleintje", "Vivaldi", "Horizon", "Atlas",
    "Phœnix", "Noordzee", "Ardennes", "Brabant", "Zuiderkempen", "Smaak", "Groen", "Fénix",
]  # fmt: skip
