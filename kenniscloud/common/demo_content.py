"""The words of the demo: a fictional cast around Bibliotheek Midden-Brabant.

Data only; `demo.py` loads it. People, addresses and stories are made up; the linked sources
are real public websites.
"""

REGIONS = [
    ("tilburg", "Tilburg"),
    ("langstraat", "Langstraat"),
    ("hart-van-brabant", "Hart van Brabant"),
]

LIBRARY = {
    "slug": "bibliotheek-midden-brabant",
    "name": "Bibliotheek Midden-Brabant",
    "contact_email": "kenniscloud@example.org",
    "website": "https://www.example.org/",
    "brand_colour": "#1a5f7a",
    # The footer and "Over de bibliotheek" show these (communities/site_library.py).
    "phone": "013 000 00 00",
    "opening_hours": "Maandag tot en met vrijdag 10.00 - 20.00 uur\n"
    "Zaterdag 10.00 - 17.00 uur\nZondag 12.00 - 17.00 uur",
}

BRANCHES = [
    {
        "slug": "tilburg-centrum",
        "name": "Bibliotheek Tilburg Centrum",
        "street": "Spoorlaan 100",
        "postcode": "5038 AA",
        "city": "Tilburg",
        "region": "tilburg",
        "accessibility_notes": "Drempelvrij, liften naar alle verdiepingen, ringleiding in de "
        "zalen, invalidenparkeerplaatsen aan de achterzijde.",
    },
    {
        "slug": "tilburg-reeshof",
        "name": "Bibliotheek Reeshof",
        "street": "Bibliotheekplein 1",
        "postcode": "5043 AA",
        "city": "Tilburg",
        "region": "tilburg",
        "accessibility_notes": "Alles op de begane grond, drempelvrij.",
    },
    {
        "slug": "waalwijk",
        "name": "Bibliotheek Waalwijk",
        "street": "Grotestraat 10",
        "postcode": "5141 AA",
        "city": "Waalwijk",
        "region": "langstraat",
        "accessibility_notes": "Drempelvrij, lift aanwezig, ringleiding op verzoek.",
    },
    {
        "slug": "oisterwijk",
        "name": "Bibliotheek Oisterwijk",
        "street": "Kerkplein 5",
        "postcode": "5061 AA",
        "city": "Oisterwijk",
        "region": "hart-van-brabant",
        "accessibility_notes": "Ingang met hellingbaan; de leeszaal is op de begane grond.",
    },
]

THEMES = [
    {
        "slug": "je-huis-verduurzamen",
        "title": "Je huis verduurzamen",
        "intro": "Isoleren, zonnepanelen, van het gas af: waar begin je, wat kost het en wie "
        "heeft het al gedaan? Bewoners delen hier hun ervaringen en cijfers, en de bibliotheek "
        "zoekt er betrouwbare bronnen bij.",
        "featured": True,
    },
    {
        "slug": "nieuwe-woonvormen",
        "title": "Nieuwe woonvormen",
        "intro": "Knarrenhofjes, woongroepen, kangoeroewoningen en tiny houses: steeds meer "
        "mensen zoeken een andere manier van wonen, vaak samen met anderen. Initiatiefnemers "
        "en nieuwsgierigen wisselen hier kennis uit.",
        "featured": True,
    },
    {
        "slug": "samen-tegen-eenzaamheid",
        "title": "Samen tegen eenzaamheid",
        "intro": "Eenzaamheid kan iedereen overkomen, jong en oud. Bewonersinitiatieven, "
        "vrijwilligers en professionals laten zien wat werkt: een buurtkamer, een wandelclub, "
        "een telefooncirkel.",
        "featured": True,
    },
    {
        "slug": "innovatie-in-het-onderwijs",
        "title": "Innovatie in het onderwijs",
        "intro": "Leraren, ouders, leerlingen en onderzoekers over nieuwe manieren van leren: "
        "van mediawijsheid en AI in de klas tot leren buiten de schoolmuren.",
        "featured": False,
    },
]

USERS = [
    {
        "email": "bibliothecaris@example.org",
        "handle": "marieke",
        "findable": True,
        "display_name": "Marieke van den Berg",
        "group": "librarian",
        "region": "tilburg",
        "bio": "Gemeenschapsbibliothecaris bij Bibliotheek Midden-Brabant. Ik breng mensen met "
        "een vraag en mensen met kennis bij elkaar, en zoek er goede bronnen bij.",
        "expertise": ["bronnen zoeken", "informatievaardigheden", "mediawijsheid"],
        "contact_visibility": "everyone",
    },
    {
        "email": "organisator@example.org",
        "handle": "joris",
        "display_name": "Joris Verhoeven",
        "group": "organiser",
        "region": "langstraat",
        "bio": "Ik organiseer de netwerkdagen en energiecafés in onze vestigingen. Een idee "
        "voor een bijeenkomst? Laat het me weten.",
        "expertise": ["evenementen", "netwerkdagen"],
        "contact_visibility": "members",
    },
    {
        "email": "anna@example.org",
        "handle": "anna",
        "findable": True,
        "display_name": "Anna de Vries",
        "group": "host",
        "region": "tilburg",
        "bio": "Wij wonen met z'n vieren in een rijtjeshuis uit 1964 en maken het stap voor "
        "stap duurzamer. Later wil ik graag in een woongroep wonen.",
        "expertise": ["isolatie", "woongroepen"],
        "contact_visibility": "members",
    },
    {
        "email": "henk@example.org",
        "handle": "henk",
        "findable": True,
        "display_name": "Henk Jansen",
        "group": "host",
        "region": "langstraat",
        "bio": "Gepensioneerd buschauffeur en trekker van de buurtkamer in Waalwijk: elke "
        "dinsdag koffie, een praatje en soms een spelletje sjoelen.",
        "expertise": ["buurtkamer", "vrijwilligers"],
    },
    {
        "email": "fatima@example.org",
        "handle": "fatima",
        "findable": True,
        "display_name": "Fatima El Amrani",
        "region": "langstraat",
        "bio": "Wijkverpleegkundige en buurtbewoner in Waalwijk. Ik zie eenzaamheid van "
        "dichtbij en denk graag mee over wat helpt.",
        "expertise": ["zorg", "ouderen", "mantelzorg"],
    },
    {
        "email": "ruud@example.org",
        "handle": "ruud",
        "findable": True,
        "display_name": "Ruud Hendriks",
        "group": "host",
        "region": "tilburg",
        "bio": "Vrijwillig energiecoach. Ik kom graag bij je thuis kijken waar het lekt, "
        "letterlijk en figuurlijk.",
        "expertise": ["warmtepomp", "zonnepanelen", "subsidies"],
        "contact_visibility": "members",
    },
    {
        "email": "lotte@example.org",
        "handle": "lotte",
        "findable": True,
        "display_name": "Lotte Verbeek",
        "group": "host",
        "region": "tilburg",
        "bio": "Leerkracht van groep 7 in Tilburg-Noord. Nieuwsgierig naar alles wat leren "
        "leuker en eerlijker maakt.",
        "expertise": ["onderzoekend leren", "mediawijsheid"],
    },
    {
        "email": "pieter@example.org",
        "handle": "pieter",
        "display_name": "Pieter Smulders",
        "region": "hart-van-brabant",
        "bio": "Net met pensioen en verhuisd naar een appartement in Oisterwijk. Op zoek naar "
        "aanspraak en een nieuwe plek om te wonen, later.",
        "expertise": ["fietsen", "tuinieren"],
    },
]

COMMUNITIES = [
    {
        "slug": "energiek-tilburg",
        "title": "Energiek Tilburg",
        "visibility": "open",
        "region": "tilburg",
        "themes": ["je-huis-verduurzamen"],
        "description": "Tilburgers die hun huis duurzamer maken en elkaar daarbij helpen. Stel "
        "je vraag over isolatie, warmtepompen of subsidies, of vertel hoe het bij jou ging.",
        "welcome_message": "Welkom bij Energiek Tilburg! Vertel in een eerste bijdrage gerust "
        "wat voor huis je hebt en waar je mee bezig bent, dan kunnen anderen je gericht tippen. "
        "Elke eerste donderdag van de maand is er een energiecafé in de bibliotheek.",
    },
    {
        "slug": "zonnedaken-reeshof",
        "title": "Zonnedaken Reeshof",
        "visibility": "open",
        "region": "tilburg",
        "parent": "energiek-tilburg",
        "themes": ["je-huis-verduurzamen"],
        "description": "Buren in de Reeshof die samen zonnepanelen inkopen en ervaringen delen "
        "over installateurs, omvormers en terugleveren.",
        "welcome_message": "Fijn dat je meedoet! Zet je straat in je eerste bijdrage, dan "
        "zoeken we buren bij elkaar voor een gezamenlijke inkoop.",
    },
    {
        "slug": "anders-wonen",
        "title": "Anders wonen in Midden-Brabant",
        "visibility": "open",
        "region": "hart-van-brabant",
        "themes": ["nieuwe-woonvormen"],
        "description": "Voor iedereen die droomt van een knarrenhof, een woongroep of een "
        "kangoeroewoning, en voor wie er al woont. We delen wat werkt, wat tegenvalt en waar "
        "je moet beginnen.",
        "welcome_message": "Welkom! Hier mag je alles vragen, ook als je nog maar net begint "
        "met nadenken. Een goede start is het draadje over de knarrenhof.",
    },
    {
        "slug": "niemand-alleen-waalwijk",
        "title": "Niemand alleen in Waalwijk",
        "visibility": "on_request",
        "region": "langstraat",
        "themes": ["samen-tegen-eenzaamheid"],
        "description": "Waalwijkers die samen iets doen tegen eenzaamheid in de buurt: een "
        "buurtkamer, wandelingen en een telefooncirkel. Omdat we het hier over kwetsbare "
        "buurtgenoten hebben, kijkt een beheerder even naar je aanvraag.",
        "welcome_message": "Welkom in onze gemeenschap! Stel jezelf even voor: wie ben je en "
        "wat zou je willen doen? Praten over buurtgenoten doen we met respect: geen namen, "
        "geen adressen.",
    },
    {
        "slug": "kerngroep-initiatiefnemers",
        "title": "Kerngroep initiatiefnemers",
        "visibility": "private",
        "region": "langstraat",
        "parent": "niemand-alleen-waalwijk",
        "themes": ["samen-tegen-eenzaamheid"],
        "description": "Besloten overleg van de trekkers van bewonersinitiatieven tegen "
        "eenzaamheid: planning, subsidieaanvragen en lastige situaties die niet openbaar horen.",
        "welcome_message": "Welkom in de kerngroep. Wat hier staat, blijft hier.",
    },
    {
        "slug": "leren-van-morgen",
        "title": "Leren van morgen",
        "visibility": "open",
        "region": "tilburg",
        "themes": ["innovatie-in-het-onderwijs"],
        "description": "Leraren, ouders en iedereen die nieuwsgierig is naar nieuwe manieren "
        "van leren: mediawijsheid, AI in de klas, leren in de wijk en in de bibliotheek.",
        "welcome_message": "Welkom bij Leren van morgen! Deel gerust een les die goed ging, of "
        "juist helemaal niet: daar leren we het meest van.",
    },
]

# (community, member handle, role, state)
MEMBERSHIPS = [
    ("energiek-tilburg", "ruud", "host", "active"),
    ("energiek-tilburg", "anna", "member", "active"),
    ("energiek-tilburg", "marieke", "member", "active"),
    ("energiek-tilburg", "pieter", "member", "active"),
    ("zonnedaken-reeshof", "ruud", "host", "active"),
    ("zonnedaken-reeshof", "anna", "member", "active"),
    ("anders-wonen", "anna", "host", "active"),
    ("anders-wonen", "pieter", "member", "active"),
    ("anders-wonen", "henk", "member", "active"),
    ("anders-wonen", "marieke", "member", "active"),
    ("niemand-alleen-waalwijk", "henk", "host", "active"),
    ("niemand-alleen-waalwijk", "fatima", "moderator", "active"),
    ("niemand-alleen-waalwijk", "marieke", "member", "active"),
    ("niemand-alleen-waalwijk", "joris", "member", "active"),
    # A request that waits for Henk: log in as henk@example.org to approve it.
    ("niemand-alleen-waalwijk", "pieter", "member", "pending"),
    ("kerngroep-initiatiefnemers", "henk", "host", "active"),
    ("kerngroep-initiatiefnemers", "fatima", "member", "active"),
    ("kerngroep-initiatiefnemers", "marieke", "member", "active"),
    ("leren-van-morgen", "lotte", "host", "active"),
    ("leren-van-morgen", "anna", "member", "active"),
    ("leren-van-morgen", "marieke", "member", "active"),
    ("leren-van-morgen", "joris", "member", "active"),
]

HOME_INTRO = (
    "<p>Welkom bij <b>KennisCloud</b>, de plek waar de bibliotheek en haar bewoners kennis "
    "delen over wat er in de buurt speelt: je huis verduurzamen, nieuwe manieren van samen "
    "wonen, elkaar vinden tegen eenzaamheid en leren op school en daarbuiten.</p>"
    "<p>Lees rustig rond, ook zonder account. Wil je een vraag stellen, je ervaring delen of "
    "meepraten? Maak een account en word lid van een gemeenschap. Online hier, en offline in "
    "de bibliotheek, op bijeenkomsten en netwerkdagen.</p>"
)
HOME_INTRO_EN = (
    "<p>Welcome to <b>KennisCloud</b>, where the library and the people around it share what "
    "they know about the neighbourhood: making your home sustainable, new ways of living "
    "together, finding each other against loneliness, and learning at school and beyond.</p>"
    "<p>Read as much as you like, no account needed. Want to ask a question, share your "
    "experience or join in? Create an account and join a community. Online here, and offline "
    "in the library, at meetups and network days.</p>"
)

# Comments are (author, body, appreciated_by, [(reply author, reply body), ...]).
CONTRIBUTIONS = [
    {
        "community": "energiek-tilburg",
        "author": "anna",
        "kind": "question",
        "title": "Waar begin je met isoleren van een huis uit de jaren zestig?",
        "days_ago": 24,
        "tags": ["isolatie", "spouwmuur", "jaren 60"],
        "body": """Ons rijtjeshuis is uit 1964 en de energierekening schrikt ons elk jaar weer af.
We willen het **stap voor stap** aanpakken, maar waar begin je?

Wat we al weten:

- de spouwmuur is nog leeg (dat zei de vorige eigenaar)
- de vloer boven de kruipruimte is koud
- op zolder ligt een dunne laag glaswol uit de jaren tachtig

Is het slim om met de spouwmuur te beginnen, of eerst de vloer? @ruud, jij bent toch
energiecoach? Ik hoor graag ook van anderen met zo'n huis.""",
        "appreciated_by": ["pieter", "marieke"],
        "comments": [
            (
                "ruud",
                """Goede vraag, en een heel herkenbaar huis! Mijn vuistregel:

1. **Eerst kieren dichten**: goedkoop en je merkt het meteen.
2. **Dan de spouwmuur**: in een dag gedaan en meestal binnen vijf jaar terugverdiend.
3. **Daarna vloer en dak**, als je toch aan het klussen bent.

Ik kom graag een keer langs met de warmtecamera.""",
                ["anna", "pieter"],
                [
                    ("anna", "Wat fijn, graag! Ik stuur je een berichtje voor een afspraak."),
                    (
                        "pieter",
                        "Die warmtecamera wil ik ook wel eens zien. Kun je die lenen "
                        "bij de bibliotheek?",
                    ),
                ],
            ),
            (
                "marieke",
                "Bij de bibliotheek kun je inderdaad een warmtecamera lenen, en op "
                "[Verbeter je huis](https://www.verbeterjehuis.nl/) van Milieu Centraal staat "
                "per bouwjaar wat verstandig is.",
                ["anna"],
                [],
            ),
        ],
    },
    {
        "community": "energiek-tilburg",
        "author": "ruud",
        "kind": "experience",
        "title": "Een jaar met een hybride warmtepomp: mijn cijfers",
        "days_ago": 18,
        "featured": True,
        "tags": ["warmtepomp", "gasverbruik"],
        "body": """Vorig jaar kwam er een hybride warmtepomp naast onze cv-ketel. Na een volle
winter de eerlijke cijfers:

| | voor | na |
|---|---|---|
| gas (m³) | 1.450 | 520 |
| stroom (kWh) | 2.900 | 4.300 |

Wat me meeviel: het huis is **gelijkmatiger warm**. Wat tegenviel: het buitendeel maakt
meer geluid dan de folder beloofde, dus denk goed na over de plek.

Mijn tip: laat de installateur de stooklijn instellen en kijk die na een maand samen na.""",
        "appreciated_by": ["anna", "marieke", "pieter"],
        "comments": [
            (
                "pieter",
                "Dank voor de eerlijke cijfers! Hoe hoog staat je aanvoertemperatuur nu?",
                [],
                [("ruud", "Rond de 45 graden als het vriest, verder lager.")],
            ),
        ],
    },
    {
        "community": "energiek-tilburg",
        "author": "marieke",
        "kind": "source",
        "title": "Subsidies en leningen voor verduurzaming op een rij",
        "days_ago": 12,
        "tags": ["subsidie", "lening"],
        "source_url": "https://www.verbeterjehuis.nl/",
        "body": """Veel vragen in de energiecafés gaan over geld. Op
[Verbeter je huis](https://www.verbeterjehuis.nl/) van Milieu Centraal vul je je postcode
in en zie je welke subsidies en leningen er voor jouw gemeente zijn.

Liever samen kijken? Kom naar het spreekuur van de energiecoaches in de bibliotheek, of
stel hier je vraag.""",
        "appreciated_by": ["anna", "ruud"],
    },
    {
        "community": "zonnedaken-reeshof",
        "author": "anna",
        "kind": "idea",
        "title": "Samen zonnepanelen inkopen per straat",
        "days_ago": 9,
        "tags": ["zonnepanelen", "collectief"],
        "body": """Wat als we per straat **samen** zonnepanelen inkopen? Dan krijgen we korting,
kunnen we samen één installateur uitkiezen en helpen we buren die het lastig vinden om te
vergelijken.

Wie doet er mee? Zet je straatnaam hieronder, dan kijken we of we een groepje rond krijgen.""",
        "appreciated_by": ["ruud"],
        "comments": [
            (
                "ruud",
                "Goed plan! Ik help graag met het vergelijken van offertes.",
                ["anna"],
                [],
            ),
        ],
    },
    {
        "community": "anders-wonen",
        "author": "pieter",
        "kind": "question",
        "title": "Wie heeft ervaring met een knarrenhof?",
        "days_ago": 21,
        "tags": ["knarrenhof", "ouderen"],
        "body": """Sinds mijn verhuizing woon ik in een appartement waar ik bijna niemand ken.
Ik las over **knarrenhoven**: hofjes waar ouderen zelfstandig wonen maar naar elkaar
omkijken.

- Hoe lang duurt het voordat zo'n hofje er staat?
- Moet je kopen, of kun je ook huren?

@anna, jij schreef dat je met een woongroep bezig bent. Hoe pakken jullie het aan?""",
        "appreciated_by": ["henk", "marieke"],
        "comments": [
            (
                "anna",
                "Bij ons duurt het nu al twee jaar, vooral door het zoeken naar grond. Ik "
                "schrijf er binnenkort een bijdrage over!",
                ["pieter"],
                [("pieter", "Daar kijk ik naar uit, dank je.")],
            ),
            (
                "henk",
                "In Waalwijk wordt over een hofje gepraat. Kom eens langs in de buurtkamer, "
                "dan vertel ik je wie er mee bezig is.",
                [],
                [],
            ),
        ],
    },
    {
        "community": "anders-wonen",
        "author": "anna",
        "kind": "experience",
        "title": "Onze woongroep in oprichting: wat we het eerste jaar leerden",
        "days_ago": 14,
        "tags": ["woongroep", "wooncoöperatie"],
        "body": """Met zes huishoudens willen we samen een woongroep beginnen. Na een jaar
vergaderen, dromen en rekenen, dit zijn onze lessen:

1. **Praat eerst over waarden, dan pas over stenen.** Wat betekent samen wonen voor jou?
2. Richt vroeg een vereniging op, dan kun je met de gemeente en corporaties praten.
3. Spreek af hoe je besluit. Wij kozen voor consent, dat scheelt eindeloze discussies.
4. Zoek hulp: een wooncoöperatie of procesbegeleider heeft dit vaker gedaan.

Vragen? Stel ze hieronder, ik help graag.""",
        "featured": True,
        "appreciated_by": ["pieter", "marieke", "henk"],
    },
    {
        "community": "anders-wonen",
        "author": "marieke",
        "kind": "source",
        "title": "Stichting Knarrenhof: hoe een hofje van de grond komt",
        "days_ago": 6,
        "tags": ["knarrenhof"],
        "source_url": "https://www.knarrenhof.nl/",
        "body": """Naar aanleiding van de vraag van @pieter: Stichting Knarrenhof beschrijft
stap voor stap hoe bewoners, gemeente en ontwikkelaar samen een hofje bouwen. In de
bibliotheek liggen ook boeken over nieuwe woonvormen; vraag ernaar aan de balie.""",
        "appreciated_by": ["pieter"],
    },
    {
        "community": "niemand-alleen-waalwijk",
        "author": "henk",
        "kind": "experience",
        "title": "Een jaar buurtkamer: dit werkte, en dit niet",
        "days_ago": 27,
        "featured": True,
        "tags": ["buurtkamer", "vrijwilligers"],
        "body": """Een jaar geleden openden we de buurtkamer: elke dinsdag koffie, een praatje
en soms een spelletje sjoelen. Gemiddeld komen er nu **vijftien mensen**.

Wat werkte:

- persoonlijk uitnodigen, aan de deur, samen met @fatima
- een vaste dag en een vast gezicht bij de deur
- geen programma: mensen komen voor elkaar, niet voor een activiteit

Wat niet werkte: flyers. Daar kwam niemand op af.""",
        "appreciated_by": ["fatima", "marieke", "joris"],
        "comments": [
            (
                "fatima",
                "Wat mooi om zo terug te kijken, Henk. Het persoonlijke contact maakt echt het "
                "verschil.",
                ["henk"],
                [("henk", "Zonder jou was het nooit zo goed gelopen!")],
            ),
            (
                "joris",
                "Zouden jullie dit willen vertellen op de netwerkdag? Andere buurten kunnen "
                "hier veel van leren.",
                [],
                [("henk", "Graag, zet ons maar op het programma.")],
            ),
        ],
    },
    {
        "community": "niemand-alleen-waalwijk",
        "author": "fatima",
        "kind": "idea",
        "title": "Een telefooncirkel voor wie de deur niet meer uit komt",
        "days_ago": 10,
        "tags": ["telefooncirkel", "ouderen"],
        "body": """Niet iedereen kan naar de buurtkamer komen. Mijn idee: een **telefooncirkel**.
Elke ochtend belt de ene deelnemer de volgende. Neemt iemand niet op, dan gaat er een
vrijwilliger langs.

Het kost bijna niets en het geeft mensen elke dag een stem om mee te praten. Wie wil er
meedenken?""",
        "appreciated_by": ["henk", "joris"],
        "comments": [
            (
                "henk",
                "Ik doe mee. Mijn buurvrouw van 91 zou dit geweldig vinden.",
                ["fatima"],
                [],
            ),
        ],
    },
    {
        "community": "niemand-alleen-waalwijk",
        "author": "joris",
        "kind": "question",
        "title": "Hoe vind je de mensen die niet naar een buurtkamer komen?",
        "days_ago": 4,
        "tags": ["bereik"],
        "body": """De mensen die zich het eenzaamst voelen, zijn vaak het moeilijkst te vinden.
Hoe bereiken jullie hen? Via de huisarts, de kerk, de wijkverpleging, of juist de
supermarkt?""",
        "comments": [
            (
                "fatima",
                "Via de wijkverpleging, maar altijd met toestemming van de persoon zelf.",
                ["joris"],
                [],
            ),
        ],
    },
    {
        "community": "kerngroep-initiatiefnemers",
        "author": "henk",
        "kind": "question",
        "title": "Subsidieaanvraag bij de gemeente: wie schrijft mee?",
        "days_ago": 3,
        "tags": ["subsidie"],
        "body": """De aanvraag voor volgend jaar moet over zes weken binnen zijn. Ik heb een
eerste opzet, maar zoek iemand die **meeleest** en de begroting controleert.

@fatima, heb jij tijd voor een uurtje koffie volgende week?""",
        "comments": [
            ("fatima", "Dinsdag na de buurtkamer? Dan nemen we hem samen door.", [], []),
        ],
    },
    {
        "community": "leren-van-morgen",
        "author": "lotte",
        "kind": "experience",
        "title": "Mediawijsheid in groep 7: nepnieuws ontmaskeren met de bibliotheek",
        "days_ago": 16,
        "featured": True,
        "tags": ["mediawijsheid", "nepnieuws", "basisschool"],
        "body": """Samen met @marieke van de bibliotheek gaven we een lessenserie over nepnieuws.
De kinderen kregen echte en verzonnen berichten en moesten als **factcheckers** uitzoeken
welke waar waren.

Wat opviel:

- ze vertrouwen video's meer dan tekst
- na drie lessen vroegen ze zelf: *wie heeft dit gemaakt, en waarom?*

Het lesmateriaal deel ik graag, stuur me een berichtje.""",
        "appreciated_by": ["anna", "marieke", "joris"],
        "comments": [
            (
                "anna",
                "Mijn dochter zit in groep 7 en vertelde er thuis enthousiast over!",
                ["lotte"],
                [("lotte", "Wat leuk om te horen. Dat is het mooiste compliment.")],
            ),
        ],
    },
    {
        "community": "leren-van-morgen",
        "author": "anna",
        "kind": "question",
        "title": "Hoe gaan scholen om met AI-chatbots bij huiswerk?",
        "days_ago": 7,
        "tags": ["AI", "huiswerk"],
        "body": """Mijn zoon van veertien gebruikt een chatbot voor zijn huiswerk. Soms helpt
het hem echt, soms schrijft hij gewoon over wat eruit komt.

Hoe gaan andere scholen hiermee om? Zijn er **afspraken** of lessen over?""",
        "comments": [
            (
                "lotte",
                "Bij ons op school mag het, als leerlingen laten zien hoe ze het gebruikt "
                "hebben. We leren ze de antwoorden te controleren, net als bij nepnieuws.",
                ["anna"],
                [],
            ),
        ],
    },
    {
        "community": "leren-van-morgen",
        "author": "marieke",
        "kind": "source",
        "title": "Netwerk Mediawijsheid: lesmateriaal voor elke leeftijd",
        "days_ago": 2,
        "tags": ["mediawijsheid", "lesmateriaal"],
        "source_url": "https://www.mediawijsheid.nl/",
        "body": """Op de site van **Netwerk Mediawijsheid** vind je lesmateriaal, spellen en tips
voor ouders, van peuters tot pubers. Goed startpunt voor de vraag van @anna over chatbots.""",
        "appreciated_by": ["lotte"],
    },
]

# Meetups start a number of days from the day the demo is loaded, at a local time.
MEETUPS = [
    {
        "kind": "network_day",
        "title": "Netwerkdag Community Librarians Midden-Brabant",
        "branch": "tilburg-centrum",
        "days_ahead": 12,
        "start": (9, 30),
        "end": (16, 0),
        "capacity": 80,
        "organisers": ["joris"],
        "themes": [
            "je-huis-verduurzamen",
            "nieuwe-woonvormen",
            "samen-tegen-eenzaamheid",
            "innovatie-in-het-onderwijs",
        ],
        "description": "Een dag voor community librarians, vrijwilligers en bewoners die in "
        "hun buurt kennis delen. We leren van elkaar: wat werkt er in Tilburg, Waalwijk en "
        "Oisterwijk, en wat kunnen we samen beter doen? Met werksessies over de vier thema's "
        "van KennisCloud en een lunch waarbij je makkelijk met anderen in gesprek raakt.",
        "accessibility_info": "Drempelvrij en met lift. In de grote zaal is een ringleiding. "
        "Heb je iets nodig om mee te kunnen doen? Laat het ons weten bij je aanmelding.",
        "sessions": [
            ((9, 30), (10, 0), "Inloop met koffie", "Foyer", "", ""),
            (
                (10, 0),
                (10, 45),
                "Opening: de bibliotheek als plek waar kennis ontstaat",
                "Grote zaal",
                "Marieke van Dijk",
                "Wat betekent het om samen mét je gemeenschap kennis te maken? Lessen uit een "
                "jaar KennisCloud.",
            ),
            (
                (11, 0),
                (12, 15),
                "Werksessie: energiecafés die blijven draaien",
                "Zaal 1",
                "Energiek Tilburg",
                "Hoe houd je een maandelijks energiecafé levendig?",
            ),
            (
                (11, 0),
                (12, 15),
                "Werksessie: samen tegen eenzaamheid",
                "Zaal 2",
                "Niemand alleen in Waalwijk",
                "Van een wandelgroep naar een buurtnetwerk.",
            ),
            ((12, 15), (13, 15), "Lunch", "Foyer", "", ""),
            (
                (13, 15),
                (14, 30),
                "Werksessie: nieuwe woonvormen in de praktijk",
                "Zaal 1",
                "Anders wonen in Midden-Brabant",
                "Knarrenhofjes, woongroepen en hofjes: wat kun je als bewoner zelf doen?",
            ),
            (
                (14, 45),
                (15, 45),
                "Oogst: wat nemen we mee?",
                "Grote zaal",
                "",
                "We halen op wat de dag heeft opgeleverd. Het verslag komt op KennisCloud.",
            ),
        ],
    },
    {
        "kind": "meetup",
        "title": "Energiecafé: isoleren voor de winter",
        "community": "energiek-tilburg",
        "branch": "tilburg-centrum",
        "days_ahead": 5,
        "start": (19, 30),
        "end": (21, 30),
        "capacity": 25,
        "organisers": ["joris"],
        "themes": ["je-huis-verduurzamen"],
        "description": "Buren vertellen hoe ze hun huis hebben geïsoleerd en wat het opleverde. "
        "Neem je vragen mee, of een foto van je meterkast. Een energiecoach van de gemeente "
        "schuift aan.",
        "accessibility_info": "",
        "sessions": [],
    },
]

# --- Curated by the library: dossiers, articles, content pages ------------------------------------
# StreamField content as raw JSON ({"type", "value"}); the picks name contributions by title.

DOSSIER_REVIEWED_DAYS_AGO = 20

DOSSIERS = {
    "je-huis-verduurzamen": {
        "introduction": "<p>Bijna de helft van de huizen in Midden-Brabant is gebouwd vóór "
        "1975. Die huizen zijn vaak slecht geïsoleerd, en juist daar valt voor bewoners het "
        "meeste te winnen: een lagere energierekening, een warmer huis en minder uitstoot. In "
        "dit dossier zet de bibliotheek op een rij wat bewoners, energiecoaches en betrouwbare "
        "bronnen tot nu toe hebben uitgezocht.</p>",
        "sections": [
            (
                "Begin bij de kieren en de spouwmuur",
                "<p>Energiecoaches en bewoners zijn het eens: <b>kieren dichten</b> is de "
                "goedkoopste eerste stap. Daarna levert <b>spouwmuurisolatie</b> het meeste op "
                "voor een huis uit de jaren zestig of zeventig; het is in een dag gedaan en "
                "verdient zich meestal binnen vijf jaar terug.</p>",
            ),
            (
                "Een warmtepomp vraagt een goed geïsoleerd huis",
                "<p>Een hybride warmtepomp werkt het best als het huis al redelijk geïsoleerd "
                "is. Bewoners die er een hebben, adviseren om de installateur de stooklijn te "
                "laten instellen en die na een maand samen na te lopen.</p>",
            ),
            (
                "Geld: subsidies, leningen en samen inkopen",
                "<p>Via het Nationaal Warmtefonds en de gemeente zijn er subsidies en leningen. "
                "Buren die samen zonnepanelen of isolatie inkopen, krijgen vaak korting en "
                "helpen elkaar bij het vergelijken van offertes.</p>",
            ),
        ],
        "picks": [
            (
                "Waar begin je met isoleren van een huis uit de jaren zestig?",
                "Een veelgestelde vraag, met een helder stappenplan van een energiecoach in de "
                "reacties.",
            ),
            ("Subsidies en leningen voor verduurzaming op een rij", ""),
        ],
        "further_reading": [
            (
                "Milieu Centraal: isolatie",
                "https://www.milieucentraal.nl/energie-besparen/isoleren-en-besparen/",
                "Onafhankelijke uitleg over alle vormen van isolatie, met kosten en besparing.",
            ),
            (
                "Verbeter je huis",
                "https://www.verbeterjehuis.nl/",
                "Vul je postcode in en zie welke subsidies en leningen er voor jou zijn.",
            ),
            (
                "Nationaal Warmtefonds",
                "https://www.warmtefonds.nl/",
                "Leningen voor energiebesparende maatregelen, ook bij een laag inkomen.",
            ),
        ],
    },
    "nieuwe-woonvormen": {
        "introduction": "<p>Steeds meer mensen willen anders wonen: samen met anderen, kleiner, "
        "of dicht bij familie. Knarrenhofjes, woongroepen en kangoeroewoningen zijn in opkomst, "
        "maar van idee tot sleutel duurt vaak jaren. Dit dossier bundelt wat initiatiefnemers "
        "in de regio al hebben geleerd.</p>",
        "sections": [
            (
                "Eerst de groep, dan de stenen",
                "<p>Initiatiefnemers raden aan om eerst samen te praten over waarden: wat "
                "betekent samen wonen voor jou? Een vereniging of coöperatie maakt het daarna "
                "makkelijker om met de gemeente en corporaties in gesprek te gaan.</p>",
            ),
            (
                "Reken op een lange adem",
                "<p>Het zoeken naar grond of een geschikt gebouw kost de meeste tijd. Twee tot "
                "vijf jaar is gewoon. Hulp van een procesbegeleider of een bestaande "
                "wooncoöperatie scheelt veel zoekwerk.</p>",
            ),
        ],
        "picks": [
            (
                "Onze woongroep in oprichting: wat we het eerste jaar leerden",
                "Vier lessen uit een jaar voorbereiding, herkenbaar voor elke nieuwe groep.",
            ),
            ("Stichting Knarrenhof: hoe een hofje van de grond komt", ""),
        ],
        "further_reading": [
            (
                "Stichting Knarrenhof",
                "https://www.knarrenhof.nl/",
                "Hoe bewoners, gemeente en ontwikkelaar samen een hofje bouwen.",
            ),
            (
                "Platform31: wooncoöperaties",
                "https://www.platform31.nl/",
                "Kennis en voorbeelden over wooncoöperaties in Nederland.",
            ),
        ],
    },
    "samen-tegen-eenzaamheid": {
        "introduction": "<p>Eenzaamheid kan iedereen overkomen. Eén op de tien volwassenen "
        "voelt zich sterk eenzaam. Wat helpt, is vaak klein en dichtbij: een vaste plek om "
        "binnen te lopen, een buur die belt, iemand die persoonlijk uitnodigt. Dit dossier "
        "verzamelt wat bewonersinitiatieven in Waalwijk en omgeving leerden.</p>",
        "sections": [
            (
                "Persoonlijk uitnodigen werkt, flyers niet",
                "<p>De buurtkamer in Waalwijk kreeg bezoekers door mensen aan de deur uit te "
                "nodigen, samen met de wijkverpleging. Een vaste dag en een vast gezicht bij de "
                "deur maken de drempel lager.</p>",
            ),
            (
                "Wie de deur niet uit komt",
                "<p>Een telefooncirkel, waarbij deelnemers elkaar elke ochtend bellen, bereikt "
                "mensen die niet naar een buurtkamer kunnen komen. Vraag altijd eerst "
                "toestemming van de persoon zelf.</p>",
            ),
        ],
        "picks": [
            (
                "Een jaar buurtkamer: dit werkte, en dit niet",
                "Eerlijk verslag van een jaar buurtkamer, met concrete tips.",
            ),
            ("Een telefooncirkel voor wie de deur niet meer uit komt", ""),
        ],
        "further_reading": [
            (
                "Een tegen eenzaamheid",
                "https://www.eentegeneenzaamheid.nl/",
                "Het landelijke programma, met voorbeelden uit gemeenten.",
            ),
            (
                "Week tegen Eenzaamheid",
                "https://www.eentegeneenzaamheid.nl/week-tegen-eenzaamheid/",
                "Ideeën en materialen voor activiteiten in je buurt.",
            ),
        ],
    },
    "innovatie-in-het-onderwijs": {
        "introduction": "<p>Leren verandert: kinderen groeien op met video's, sociale media "
        "en chatbots. Leraren, ouders en de bibliotheek zoeken samen hoe je kinderen leert om "
        "kritisch te kijken en zelf op onderzoek uit te gaan. Dit dossier deelt wat werkt in "
        "de klas en daarbuiten.</p>",
        "sections": [
            (
                "Mediawijsheid: laat kinderen zelf factchecken",
                "<p>In een lessenserie met de bibliotheek ontmaskerden leerlingen van groep 7 "
                "nepnieuws. Na drie lessen vroegen ze zelf: wie heeft dit gemaakt, en "
                "waarom?</p>",
            ),
            (
                "AI-chatbots bij huiswerk",
                "<p>Scholen kiezen verschillend. Een aanpak die werkt: leerlingen mogen een "
                "chatbot gebruiken als ze laten zien hoe, en leren de antwoorden te "
                "controleren, net als bij nepnieuws.</p>",
            ),
        ],
        "picks": [
            (
                "Mediawijsheid in groep 7: nepnieuws ontmaskeren met de bibliotheek",
                "Een lessenserie die andere scholen zo kunnen overnemen.",
            ),
            ("Netwerk Mediawijsheid: lesmateriaal voor elke leeftijd", ""),
        ],
        "further_reading": [
            (
                "Netwerk Mediawijsheid",
                "https://www.mediawijsheid.nl/",
                "Lesmateriaal, spellen en tips voor ouders, van peuters tot pubers.",
            ),
            (
                "Kennisnet",
                "https://www.kennisnet.nl/",
                "Over digitalisering en AI in het onderwijs, voor scholen en leraren.",
            ),
        ],
    },
}

ARTICLES = [
    {
        "slug": "van-tochtig-naar-behaaglijk",
        "title": "Van tochtig naar behaaglijk: wat de energiecafés ons leerden",
        "themes": ["je-huis-verduurzamen"],
        "author": "Marieke van den Berg",
        "summary": "Een jaar energiecafés in de bibliotheek: welke vragen kwamen steeds terug, "
        "en wat adviseren bewoners en energiecoaches elkaar?",
        "body": [
            (
                "paragraph",
                "<p>Elke eerste donderdag van de maand schuiven bewoners aan in de "
                "bibliotheek met een vraag over hun huis. Na een jaar zien we een patroon: "
                "de meeste mensen weten niet waar ze moeten beginnen.</p>",
            ),
            ("heading", {"text": "De drie vragen die steeds terugkomen", "level": "h2"}),
            (
                "paragraph",
                "<ul><li>Waar begin ik: dak, muur of vloer?</li><li>Wat kost het, en wat "
                "levert het op?</li><li>Welke installateur kan ik vertrouwen?</li></ul>",
            ),
            (
                "quote",
                {
                    "quote": "Eerst de kieren, dan de spouwmuur. Daarna pas de rest.",
                    "attribution": "Ruud Hendriks, vrijwillig energiecoach",
                },
            ),
            (
                "paragraph",
                "<p>Wat het meest helpt, is van elkaar horen. Een buurvrouw die vertelt wat "
                "haar isolatie kostte en opleverde, overtuigt meer dan elke folder.</p>",
            ),
            ("contribution", "Waar begin je met isoleren van een huis uit de jaren zestig?"),
            ("community", "energiek-tilburg"),
        ],
    },
    {
        "slug": "samen-wonen-begint-met-praten",
        "title": "Samen wonen begint met praten",
        "themes": ["nieuwe-woonvormen"],
        "author": "Marieke van den Berg",
        "summary": "Woongroepen en knarrenhofjes in Midden-Brabant: waarom het gesprek over "
        "waarden belangrijker is dan de bouwtekening.",
        "body": [
            (
                "paragraph",
                "<p>In de gemeenschap Anders wonen delen initiatiefnemers hun ervaringen. "
                "Wie begint, denkt vaak aan grond, geld en architecten. Wie al verder is, "
                "zegt iets anders: begin bij elkaar.</p>",
            ),
            ("heading", {"text": "Wat een woongroep in oprichting leerde", "level": "h2"}),
            (
                "paragraph",
                "<p>Zes huishoudens vergaderden een jaar lang. Hun belangrijkste les: spreek "
                "vroeg af hoe je samen besluit. Zij kozen voor consent.</p>",
            ),
            ("contribution", "Onze woongroep in oprichting: wat we het eerste jaar leerden"),
            ("community", "anders-wonen"),
        ],
    },
    {
        "slug": "de-buurtkamer-als-voordeur",
        "title": "De buurtkamer als voordeur van de buurt",
        "themes": ["samen-tegen-eenzaamheid"],
        "author": "Marieke van den Berg",
        "summary": "Hoe een wekelijkse buurtkamer in Waalwijk uitgroeide tot een plek waar "
        "vijftien buren elkaar vinden, en wat andere buurten ervan kunnen leren.",
        "body": [
            (
                "paragraph",
                "<p>Koffie, een praatje en soms een spelletje sjoelen. Meer is het niet, en "
                "toch komen er elke dinsdag vijftien mensen.</p>",
            ),
            (
                "quote",
                {
                    "quote": "Mensen komen voor elkaar, niet voor een activiteit.",
                    "attribution": "Henk Jansen, trekker van de buurtkamer",
                },
            ),
            ("contribution", "Een jaar buurtkamer: dit werkte, en dit niet"),
        ],
    },
    {
        "slug": "nepnieuws-in-groep-7",
        "title": "Factcheckers van tien: nepnieuws in groep 7",
        "themes": ["innovatie-in-het-onderwijs"],
        "author": "Marieke van den Berg",
        "summary": "Een lessenserie van school en bibliotheek leert kinderen kritisch kijken "
        "naar wat ze online zien. Wat werkte, en hoe doe je het zelf?",
        "body": [
            (
                "paragraph",
                "<p>Kinderen vertrouwen video's meer dan tekst. Dat bleek in een lessenserie "
                "over nepnieuws die juf Lotte en de bibliotheek samen gaven.</p>",
            ),
            ("heading", {"text": "Zo pak je het aan", "level": "h2"}),
            (
                "paragraph",
                "<ol><li>Laat echte en verzonnen berichten zien.</li><li>Laat de kinderen in "
                "tweetallen uitzoeken wat waar is.</li><li>Bespreek samen: wie maakte dit, en "
                "waarom?</li></ol>",
            ),
            ("contribution", "Mediawijsheid in groep 7: nepnieuws ontmaskeren met de bibliotheek"),
        ],
    },
]

HOME_BLOCKS = [
    {"type": "featured_themes", "value": {"heading": "Thema's", "themes": []}},
    # heading_en: what /en/ shows (a heading left at its default is translated anyway).
    {
        "type": "latest_articles",
        "value": {"heading": "Uit de dossiers", "heading_en": "From the dossiers", "limit": 3},
    },
    {"type": "featured_communities", "value": {"heading": "Gemeenschappen", "communities": []}},
    {"type": "upcoming_meetups", "value": {"limit": 3}},
]
