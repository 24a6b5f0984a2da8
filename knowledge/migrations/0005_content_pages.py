"""The three pages the footer links to: about KennisCloud, the privacy statement and the
accessibility statement, as a first version a library can publish and then make its own.

Each page is created under the home page, live, when no page with its slug is there yet. A page
that exists is never touched: once a librarian has edited it, it is theirs. The demo loader
runs the same step (`create_content_pages`), so there is one text, not two.

The texts name the library and its address when there is exactly one library; otherwise they
speak of "de bibliotheek" and give the site's sender address (DEFAULT_FROM_EMAIL). The privacy
officer checks the retention periods and the processors before the site goes public.
"""

import json
import uuid
from email.utils import parseaddr

from django.conf import settings
from django.db import migrations
from django.utils import timezone

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"  # treebeard's path alphabet, steps of 4


def _h2(text):
    return ("heading", {"text": text, "level": "h2"})


def _h3(text):
    return ("heading", {"text": text, "level": "h3"})


def _p(html):
    return ("paragraph", html)


def _about(library, mail):
    return {
        "slug": "over-kenniscloud",
        "title": "Over KennisCloud",
        "intro": "KennisCloud is een plek van de bibliotheek en de mensen om haar heen: samen "
        "kennis delen, maken en vindbaar maken over wat er in de buurt speelt.",
        "body": [
            _h2("Wat is KennisCloud?"),
            _p(
                "<p>KennisCloud is een netwerk, een website en een manier van werken. Bewoners, "
                "vrijwilligers, professionals en de bibliotheek delen hier wat ze weten over "
                "thema's die er in de buurt toe doen: je huis verduurzamen, nieuwe manieren van "
                "samenwonen, bewonersinitiatieven tegen eenzaamheid, vernieuwing in het "
                "onderwijs. Online op deze website, en offline in de bibliotheek: op "
                "bijeenkomsten en netwerkdagen.</p>"
                "<p>KennisCloud is bedacht door medewerkers van Bibliotheek Midden-Brabant, "
                "speciaal voor bibliotheken.</p>"
            ),
            _h2("Wat je hier kunt doen"),
            _p(
                "<p>Lezen kan iedereen, zonder account. Met een gratis account kun je ook:</p>"
                "<ul><li>lid worden van een gemeenschap rond een thema of je buurt;</li>"
                "<li>een vraag stellen, of een ervaring, idee of bron delen;</li>"
                "<li>reageren op wat anderen delen;</li>"
                "<li>je aanmelden voor bijeenkomsten in de bibliotheek;</li>"
                "<li>een overzicht per mail krijgen van wat er nieuw is, zo vaak als jij "
                "wilt.</li></ul>"
            ),
            _h2("De rol van de bibliotheek"),
            _p(
                f"<p>{library['subject']} zorgt ervoor dat KennisCloud er is. De "
                "gemeenschapsbibliothecaris brengt mensen met elkaar in gesprek, zoekt "
                "betrouwbare bronnen en legt vast wat we samen leren: in de themadossiers en in "
                "artikelen. Bijdragen die de bibliotheek heeft nagekeken, herken je aan het "
                "label 'Gecontroleerd door de bibliotheek'.</p>"
                "<p>Zo wordt de bibliotheek meer dan een plek met boeken: een plek waar de kennis "
                "en ervaring van mensen uit de buurt samenkomen, en waar nieuwe kennis "
                "ontstaat.</p>"
            ),
            (
                "quote",
                {
                    "quote": "De missie van bibliothecarissen is de samenleving te verbeteren "
                    "door het ontstaan van kennis in hun gemeenschappen mogelijk te maken.",
                    "attribution": "David Lankes, 2011 (vrij vertaald)",
                },
            ),
            _h2("Van, door en voor iedereen"),
            _p(
                "<p>We werken volgens het idee van OF/BY/FOR ALL: een organisatie is pas echt "
                "<b>voor</b> iedereen als mensen uit de gemeenschap er deel <b>van</b> zijn en "
                "het aanbod <b>door</b> hen mee tot stand komt. Op KennisCloud betekent dat:</p>"
                "<ul><li><b>Van</b>: bewoners beheren zelf gemeenschappen en heten nieuwe leden "
                "welkom.</li>"
                "<li><b>Door</b>: wat in de dossiers staat en welke bijeenkomsten er komen, "
                "ontstaat uit de vragen en ideeën die hier gedeeld worden.</li>"
                "<li><b>Voor iedereen</b>: lezen kan zonder account, de site werkt op een "
                "telefoon en met hulpmiddelen, in het Nederlands en in het Engels.</li></ul>"
            ),
            _h2("Samen een prettige plek"),
            _p(
                "<p>Deel wat je weet en wees vriendelijk, ook als je het ergens niet mee eens "
                "bent. Zet geen persoonlijke gegevens van anderen online. Gemeenschapsbeheerders "
                "en de bibliotheek kunnen een bijdrage of reactie verbergen die niet past.</p>"
            ),
            _h2("Contact"),
            _p(
                f"<p>Een vraag, een idee voor een thema of een bijeenkomst? Mail naar {mail} of "
                "loop binnen bij de bibliotheek.</p>"
            ),
        ],
    }


# The privacy statement's texts around its generated parts; 0007_privacy_statement_blocks puts
# them into a page made before those parts existed.
RETENTION_INTRO = (
    "<p>Je account, je profiel, je aanmeldingen, je voorkeuren en je meldingen bewaren we zolang "
    "je account bestaat. Sommige gegevens wissen we eerder, vanzelf: de tabel hieronder zegt "
    "welke, na hoeveel tijd en waarom.</p>"
)
RETENTION_ACCOUNT = (
    "<p>Je kunt je account op elk moment zelf verwijderen, op "
    '<a href="/instellingen/">je instellingen</a>. We wissen dan meteen je e-mailadres, je naam, '
    "je profiel, je lidmaatschappen, je aanmeldingen, je voorkeuren en je meldingen. Je "
    "bijdragen en reacties blijven staan onder 'Verwijderd lid', zodat een gesprek te volgen "
    "blijft, tenzij je aanvinkt dat ook die weg moeten. Wat je nodig hebt om mee te doen aan een "
    "bijeenkomst, wissen we ook als je je afmeldt. Logboeken van de server bewaren we hooguit "
    "vier weken.</p>"
)
COMPLAINT = (
    "<p>Ben je niet tevreden over hoe we met je gegevens of met je vraag zijn omgegaan, dan kun "
    'je een klacht indienen bij de <a href="https://autoriteitpersoonsgegevens.nl/">Autoriteit '
    "Persoonsgegevens</a>.</p>"
)


def _privacy(library, mail):
    return {
        "slug": "privacy",
        "title": "Privacyverklaring",
        "intro": "Welke persoonsgegevens KennisCloud bewaart, waarom, hoe lang, wie ze ziet en "
        "welke rechten je hebt, volgens de Algemene verordening gegevensbescherming (AVG).",
        "body": [
            _h2("Wie is verantwoordelijk?"),
            _p(
                f"<p>{library['subject']} biedt KennisCloud aan en is verantwoordelijk voor wat "
                "er met je persoonsgegevens gebeurt (in de AVG heet dat de "
                "verwerkingsverantwoordelijke). We bewaren niet meer dan we nodig hebben en we "
                "verkopen je gegevens nooit.</p>"
            ),
            _h2("Welke gegevens we bewaren, en waarom"),
            _p(
                "<p>Per soort gegevens lees je hieronder wat we bewaren, waarvoor, en op welke "
                "grond uit de AVG (artikel 6 en 9) dat mag.</p>"
            ),
            _h3("Je account"),
            _p(
                "<p><b>Wat:</b> je e-mailadres, naam, gebruikersnaam, wachtwoord (alleen "
                "versleuteld opgeslagen; niemand kan het lezen) en de taal die je kiest. "
                "<b>Waarom:</b> zodat je kunt inloggen, anderen je herkennen en we je de mail "
                "kunnen sturen waar je om vraagt. <b>Grondslag:</b> de overeenkomst die we "
                "sluiten als je een account aanmaakt.</p>"
            ),
            _h3("Je profiel"),
            _p(
                "<p><b>Wat:</b> wat je zelf invult: een korte tekst over jezelf, je regio, waar "
                "je veel van weet of meer over wilt weten, een profielfoto, een website en een "
                "telefoonnummer. Je kiest zelf wie je contactgegevens (e-mailadres, telefoon, "
                "website) ziet: niemand, ingelogde leden of iedereen. Zonder keuze ziet niemand "
                "ze. <b>Waarom:</b> zodat mensen met dezelfde vragen en kennis elkaar vinden. "
                "<b>Grondslag:</b> je toestemming. Niets hiervan is verplicht en je kunt het "
                "altijd aanpassen of weghalen.</p>"
            ),
            _h3("Je bijdragen, reacties en lidmaatschappen"),
            _p(
                "<p><b>Wat:</b> wat je plaatst (vragen, ervaringen, ideeën, bronnen, reacties en "
                "bijlagen), waarvoor je waardering geeft, en van welke gemeenschappen je lid "
                "bent of wilt worden. <b>Waarom:</b> daar is KennisCloud voor: kennis delen, "
                "zodat anderen ervan leren. <b>Grondslag:</b> de overeenkomst. Wat je in een "
                "open gemeenschap plaatst, kan iedereen lezen, ook zonder account, en "
                "zoekmachines kunnen het vinden. Wat je in een besloten gemeenschap plaatst, "
                "zien alleen de leden daarvan.</p>"
            ),
            _h3("Je aanmeldingen voor bijeenkomsten"),
            _p(
                "<p><b>Wat:</b> voor welke bijeenkomsten je je aanmeldt, of je op de wachtlijst "
                "staat of je hebt afgemeld, en of je aanwezig was. En, als je dat invult, wat je "
                "nodig hebt om mee te doen, zoals een rolstoelplek, een ringleiding of een tolk. "
                "<b>Waarom:</b> om de bijeenkomst te organiseren, je een plek te geven, je te "
                "herinneren en de zaal zo in te richten dat iedereen mee kan doen. "
                "<b>Grondslag:</b> de overeenkomst. Voor wat je nodig hebt om mee te doen vragen "
                "we je uitdrukkelijke toestemming, omdat het iets over je gezondheid kan zeggen. "
                "Dat veld is niet verplicht, alleen de organisatoren van die bijeenkomst zien "
                "het, en als je je afmeldt, wissen we het meteen.</p>"
            ),
            _h3("Meldingen en je voorkeuren"),
            _p(
                "<p><b>Wat:</b> welke gemeenschappen, thema's en regio's je volgt, hoe vaak je "
                "een overzicht per mail wilt, of je mail wilt bij reacties en vermeldingen, en "
                "de meldingen die we je op de site tonen. <b>Waarom:</b> zodat je alleen hoort "
                "over wat jou interesseert, zo vaak als jij wilt. <b>Grondslag:</b> je "
                'toestemming. Je past dit aan op <a href="/instellingen/">je '
                "instellingen</a>, en onder elke mail staat een link om je af te melden.</p>"
            ),
            _h3("Gegevens over verzonden mail"),
            _p(
                "<p><b>Wat:</b> wanneer we je een overzicht of melding hebben gemaild en of dat "
                "lukte. Komt mail een paar keer op rij niet aan op een adres, dan onthouden we "
                "dat en mailen we dat adres niet meer tot je het weer aanzet. <b>Waarom:</b> "
                "zodat je niets dubbel krijgt en we niet blijven mailen naar een adres dat niet "
                "werkt. <b>Grondslag:</b> ons gerechtvaardigd belang bij betrouwbare mail.</p>"
            ),
            _h3("Zoekopdrachten die niets vonden"),
            _p(
                "<p><b>Wat:</b> als een zoekopdracht op KennisCloud niets vindt, bewaren we de "
                "woorden waarop gezocht is, hoe vaak en wanneer. Nooit wie er zocht: niet je naam, "
                "niet je account en niet je IP-adres. Van zoekopdrachten die wel iets vinden en "
                "van de suggesties tijdens het typen houden we niets bij, behalve in het logboek "
                "van de server (zie hieronder). <b>Waarom:</b> zo zien "
                "bibliothecarissen welke kennis nog ontbreekt, en kunnen ze die gaan verzamelen. "
                "<b>Grondslag:</b> ons gerechtvaardigd belang. Typ daarom geen persoonsgegevens, "
                "zoals een naam of adres, in het zoekveld als je dat niet wilt.</p>"
            ),
            _h3("Cookies en technische gegevens"),
            _p(
                "<p>We gebruiken alleen cookies die nodig zijn om de site te laten werken: om je "
                "ingelogd te houden, om formulieren te beveiligen en om je taalkeuze te "
                "onthouden. We gebruiken geen cookies voor advertenties, statistieken of het "
                "volgen van je surfgedrag. Zoals elke website houdt onze server een logboek bij "
                "van bezoeken, met je IP-adres, om storingen en misbruik te kunnen onderzoeken "
                "(gerechtvaardigd belang). Staat er in een artikel een video van bijvoorbeeld "
                "YouTube of Vimeo, dan komt die van die dienst en gelden daarvoor hun "
                "privacyregels.</p>"
            ),
            _h2("Wie ziet wat?"),
            _p(
                "<ul><li><b>Iedereen</b>: je naam, je profiel (behalve je contactgegevens, tenzij "
                "je dat kiest) en wat je plaatst in open gemeenschappen.</li>"
                "<li><b>Leden van een besloten gemeenschap</b>: wat je daar plaatst.</li>"
                "<li><b>Beheerders van een gemeenschap</b>: je verzoek om lid te worden, en je "
                "bijdragen en reacties in die gemeenschap, om te modereren.</li>"
                "<li><b>Organisatoren van een bijeenkomst</b>: wie zich heeft aangemeld, de "
                "wachtlijst, wat deelnemers nodig hebben om mee te doen en wie er was.</li>"
                "<li><b>Bibliothecarissen</b> van de bibliotheek: wat nodig is om de site te "
                "beheren en te modereren. Cijfers die we delen met subsidiegevers en gemeenten "
                "zijn totalen per thema en gemeenschap, zonder persoonsgegevens.</li></ul>"
                "<p>De bedrijven die de site voor ons hosten en de mail versturen, werken alleen "
                "in onze opdracht, met een verwerkersovereenkomst. We geven je gegevens niet aan "
                "anderen, tenzij de wet ons daartoe verplicht.</p>"
            ),
            _h2("Hoe lang we je gegevens bewaren"),
            _p(RETENTION_INTRO),
            # The periods themselves come from the settings, at render time (privacy/blocks.py).
            ("retention_periods", None),
            _p(RETENTION_ACCOUNT),
            _h2("Beveiliging"),
            _p(
                "<p>De site werkt alleen via een beveiligde verbinding (https). Wachtwoorden "
                "bewaren we alleen versleuteld. Alleen bibliothecarissen, organisatoren en de "
                "technisch beheerders van de site kunnen in het beheer, en ieder ziet daar wat "
                "bij zijn of haar taak hoort.</p>"
            ),
            _h2("Je rechten"),
            _p(
                "<p>Je hebt het recht om:</p>"
                "<ul><li><b>inzage</b> te vragen in de gegevens die we van je hebben, en een "
                "kopie te krijgen;</li>"
                "<li>gegevens te laten <b>verbeteren</b> als ze niet kloppen;</li>"
                "<li>gegevens te laten <b>verwijderen</b>;</li>"
                "<li><b>bezwaar</b> te maken tegen wat we doen op grond van ons gerechtvaardigd "
                "belang, of te vragen het tijdelijk te beperken;</li>"
                "<li>een <b>toestemming</b> die je gaf, in te trekken.</li></ul>"
                '<p>Veel kun je zelf: je profiel pas je aan op <a href="/instellingen/profiel/">'
                "je profielpagina</a>; je mail en meldingen, een download van al je gegevens en "
                'het verwijderen van je account op <a href="/instellingen/">je instellingen</a>. '
                "Voor de rest neem je contact op met de contactpersoon voor privacy hieronder. "
                "We antwoorden binnen een maand. Soms vragen we je eerst te laten zien dat het om "
                "jouw account gaat; stuur ons daarvoor geen kopie van je identiteitsbewijs.</p>"
            ),
            _h2("Vragen of een klacht"),
            # Name and address from PRIVACY_CONTACT_NAME and PRIVACY_CONTACT_EMAIL.
            ("privacy_contact", None),
            _p(COMPLAINT),
            _h2("Wijzigingen"),
            _p(
                "<p>Gaat KennisCloud anders met je gegevens om, dan passen we deze verklaring "
                "aan. Onderaan de pagina staat wanneer dat voor het laatst gebeurde. Bij "
                "belangrijke wijzigingen laten we het je per mail weten.</p>"
            ),
        ],
    }


def _accessibility(library, mail):
    return {
        "slug": "toegankelijkheid",
        "title": "Toegankelijkheidsverklaring",
        "intro": "KennisCloud moet voor iedereen te gebruiken zijn, ook voor mensen met een "
        "beperking. Hier lees je hoe ver we zijn en wat je kunt doen als iets niet lukt.",
        "body": [
            _h2("Wat we willen"),
            _p(
                f"<p>{library['subject']} wil dat KennisCloud voldoet aan de Web Content "
                "Accessibility Guidelines (<b>WCAG) 2.1, niveau AA</b>, de eisen uit de "
                "Europese norm <b>EN 301 549</b> die ook voor websites van de overheid gelden. "
                "Deze verklaring gaat over de hele website, behalve de beheeromgeving voor "
                "medewerkers van de bibliotheek.</p>"
            ),
            _h2("Hoe ver we zijn"),
            _p(
                "<p>KennisCloud is gebouwd met toegankelijkheid als eis. Zo werkt het nu:</p>"
                "<ul><li>De site werkt met alleen een toetsenbord en is gemaakt voor "
                "schermlezers: elk formulierveld heeft een label, foutmeldingen staan bij het "
                "veld, elke pagina heeft één hoofdkop en de koppen staan in de goede "
                "volgorde.</li>"
                "<li>De site werkt op een telefoonscherm en zonder JavaScript.</li>"
                "<li>Afbeeldingen op pagina's van de bibliotheek hebben een beschrijvende tekst "
                "(alt-tekst): zonder die tekst kan een pagina niet gepubliceerd worden.</li>"
                "<li>Je kunt kiezen tussen Nederlands en Engels.</li></ul>"
                "<p><b>Wat we getest hebben:</b> bij elke wijziging aan de site doorlopen "
                "automatische tests de belangrijkste taken in een echte browser, op "
                "telefoonformaat en deels zonder JavaScript: een account maken, lid worden van "
                "een gemeenschap, een bijdrage plaatsen en erop reageren, een bijeenkomst "
                "voorstellen en organiseren. Een "
                "volledig onderzoek van de site door een onafhankelijke deskundige, volgens de "
                "methode WCAG-EM, is nog niet gedaan. Daarom zeggen we nog niet dat de site aan "
                "alle eisen voldoet: we hebben de eerste maatregelen genomen. Zodra het "
                "onderzoek is gedaan, staat de uitkomst op deze pagina.</p>"
            ),
            _h2("Wat nog niet goed gaat"),
            _p(
                "<ul><li>Video's van andere websites (bijvoorbeeld YouTube) die in een artikel "
                "staan, hebben niet altijd ondertiteling of een beschrijving van het "
                "beeld.</li>"
                "<li>Bijlagen die bewoners delen, zoals pdf-bestanden, zijn niet altijd "
                "toegankelijk voor schermlezers.</li>"
                "<li>Wat bewoners schrijven, controleren we niet vooraf: een tekst kan "
                "bijvoorbeeld een link bevatten die niet zegt waar hij naartoe gaat.</li>"
                "<li>Online bijeenkomsten lopen via programma's van anderen; daarvan kunnen we de "
                "toegankelijkheid niet garanderen. Bij elke bijeenkomst staat wat de organisatie "
                "regelt, en je kunt bij je aanmelding aangeven wat je nodig hebt.</li></ul>"
            ),
            _h2("Loop je ergens tegenaan?"),
            _p(
                "<p>Kun je iets op de site niet lezen, niet bedienen of niet vinden? Laat het "
                f"ons weten via {mail} of aan de balie van de bibliotheek. Vertel op welke "
                "pagina het was, wat je probeerde te doen en, als je wilt, welk hulpmiddel je "
                "gebruikt. Binnen vijf werkdagen hoor je van ons wat we eraan doen. Heb je de "
                "informatie meteen nodig, dan zoeken we samen met je naar een andere manier, "
                "bijvoorbeeld per mail, telefoon of aan de balie.</p>"
                "<p>Ben je niet tevreden over hoe we je melding hebben behandeld, dan kun je een "
                "klacht indienen volgens de klachtenregeling van de bibliotheek.</p>"
            ),
        ],
    }


PAGES = [_about, _privacy, _accessibility]


def _library(apps):
    """How the texts name the library, and the address people write to."""
    Library = apps.get_model("communities.Library")
    libraries = list(Library.objects.order_by("pk")[:2])
    email = parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or "kenniscloud@example.org"
    if len(libraries) == 1:
        name = libraries[0].name
        email = libraries[0].contact_email or email
        library = {"subject": name, "object": name}
    else:
        library = {"subject": "De bibliotheek", "object": "de bibliotheek"}
    return library, f'<a href="mailto:{email}">{email}</a>'


def _next_child_path(Page, parent):
    last = (
        Page.objects.filter(path__startswith=parent.path, depth=parent.depth + 1)
        .order_by("-path")
        .values_list("path", flat=True)
        .first()
    )
    if last is None:
        return parent.path + "0001"
    number = int(last[-4:], 36) + 1
    step = ""
    for _ in range(4):
        number, digit = divmod(number, 36)
        step = ALPHABET[digit] + step
    return parent.path + step


def create_content_pages(apps, schema_editor=None) -> list[str]:
    """Create the missing pages under the home page; returns the slugs it created."""
    Page = apps.get_model("wagtailcore.Page")
    HomePage = apps.get_model("knowledge.HomePage")
    ContentPage = apps.get_model("knowledge.ContentPage")
    ContentType = apps.get_model("contenttypes.ContentType")

    home = HomePage.objects.order_by("path").first()
    if home is None:
        return []
    home = Page.objects.get(pk=home.pk)
    content_type, _ = ContentType.objects.get_or_create(app_label="knowledge", model="contentpage")
    library, mail = _library(apps)
    now = timezone.now()
    created = []
    for build in PAGES:
        spec = build(library, mail)
        siblings = Page.objects.filter(path__startswith=home.path, depth=home.depth + 1)
        if siblings.filter(slug=spec["slug"]).exists():
            continue
        body = [
            {"type": kind, "value": value, "id": str(uuid.uuid4())} for kind, value in spec["body"]
        ]
        ContentPage.objects.create(
            title=spec["title"],
            draft_title=spec["title"],
            slug=spec["slug"],
            content_type=content_type,
            path=_next_child_path(Page, home),
            depth=home.depth + 1,
            numchild=0,
            url_path=f"{home.url_path}{spec['slug']}/",
            locale_id=home.locale_id,
            live=True,
            has_unpublished_changes=False,
            first_published_at=now,
            last_published_at=now,
            search_description=spec["intro"],
            intro=spec["intro"],
            body=json.dumps(body),
            last_reviewed=timezone.localdate(now),
        )
        created.append(spec["slug"])
    if created:
        home.numchild = Page.objects.filter(
            path__startswith=home.path, depth=home.depth + 1
        ).count()
        home.save(update_fields=["numchild"])
    return created


class Migration(migrations.Migration):
    dependencies = [
        ("knowledge", "0004_editorial_workflow"),
        ("communities", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
    ]

    # Going back leaves the pages: they may have been edited since.
    operations = [migrations.RunPython(create_content_pages, migrations.RunPython.noop)]
