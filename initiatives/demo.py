"""Demo initiatives: about 150 realistic Dutch initiatives that ``seed_demo`` adds, and the building
blocks (subjects and approaches) that ``generate_scale_data`` reuses.

Deterministic and safe to run again: the whole plan is computed from a fixed random seed before the
database is touched, and an initiative whose slug exists already is left alone. Everything is
written through the services, so each initiative has its events and its phase timeline.
"""

import random
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils.text import slugify

from initiatives.models import CollaborationRole, Initiative, InitiativePhase, InitiativeStatus, Theme
from initiatives.services.initiative import (
    initiative_archive,
    initiative_change_phase,
    initiative_create,
    initiative_publish,
)
from initiatives.themes import ensure_default_themes
from municipalities.models import Membership, Organisation
from samenorg.accounts.models import User
from samenorg.core.actors import Actor

SEED = 2026
PHASES = [phase.value for phase in InitiativePhase]  # in order: idea → proven practice

PEOPLE, DIGITAL, SPACE = "people", "digital", "space"
ALL_KINDS = frozenset({PEOPLE, DIGITAL, SPACE})


@dataclass(frozen=True)
class Subject:
    name: str
    theme: str  # theme slug
    kind: str
    tags: tuple[str, ...]
    summary: str
    problem: str
    extra_theme: str = ""


@dataclass(frozen=True)
class Approach:
    phrase: str  # completes a subject into a title: "<subject> <phrase>"
    kinds: frozenset[str]
    tag: str
    summary: str
    how: str


S = Subject
SUBJECTS = [
    # Dienstverlening
    S("Eén telefoonnummer voor alle vragen", "dienstverlening", PEOPLE, ("klantcontact", "kcc"),
      "Inwoners bellen één nummer en krijgen in één gesprek antwoord, ook als er meerdere afdelingen nodig zijn.",
      "Inwoners werden gemiddeld drie keer doorverbonden voordat hun vraag beantwoord was."),
    S("Brieven in begrijpelijke taal", "dienstverlening", PEOPLE, ("taalniveau b1", "communicatie"),
      "Standaardbrieven zijn herschreven op taalniveau B1, zodat inwoners direct weten wat ze moeten doen.",
      "Veel inwoners belden na een brief van de gemeente omdat ze niet begrepen wat er van hen werd verwacht."),
    S("Afspraak maken via WhatsApp", "dienstverlening", DIGITAL, ("whatsapp", "afspraken"),
      "Inwoners plannen en verzetten afspraken voor paspoort en rijbewijs in een WhatsApp-gesprek.",
      "Het afsprakenformulier op de website werd vaak afgebroken en de telefoonlijn raakte overbelast."),
    S("Proactieve dienstverlening bij levensgebeurtenissen", "dienstverlening", PEOPLE,
      ("levensgebeurtenissen", "proactief"),
      "Bij een geboorte, verhuizing of overlijden krijgen inwoners vanzelf een overzicht van de regelingen die "
      "voor hen gelden.",
      "Inwoners liepen regelingen mis omdat ze niet wisten dat die bestonden op het moment dat hun leven "
      "veranderde.", "sociaal-domein"),
    S("Digitale balie voor ondernemers", "dienstverlening", DIGITAL, ("ondernemersloket", "vergunningen"),
      "Ondernemers regelen vergunningen, meldingen en vragen in één digitale omgeving met een vaste contactpersoon.",
      "Ondernemers moesten voor één nieuwe vestiging bij vijf verschillende loketten langs."),
    # Digitalisering
    S("Zaakgericht werken met een gedeeld zaaksysteem", "digitalisering", DIGITAL,
      ("zaakgericht werken", "zaaksysteem"),
      "Gemeenten delen één zaaksysteem en hoeven het niet ieder voor zich aan te schaffen en te onderhouden.",
      "Elke gemeente kocht en onderhield een eigen zaaksysteem, met dure maatwerkkoppelingen."),
    S("Toegankelijke e-formulieren", "digitalisering", DIGITAL, ("e-formulieren", "toegankelijkheid"),
      "Een bibliotheek van toegankelijke e-formulieren die elke gemeente kan hergebruiken.",
      "Formulieren werden telkens opnieuw gebouwd en voldeden vaak niet aan de toegankelijkheidseisen."),
    S("Automatische archivering van zaakgerelateerde e-mail", "digitalisering", DIGITAL, ("archivering", "e-depot"),
      "E-mail die bij een zaak hoort wordt automatisch herkend en duurzaam gearchiveerd.",
      "Belangrijke e-mail bleef in persoonlijke mailboxen staan en ging verloren als medewerkers vertrokken.",
      "bedrijfsvoering"),
    S("Openbaar algoritmeregister", "digitalisering", DIGITAL, ("algoritmes", "transparantie"),
      "Een openbaar register laat zien welke algoritmes de gemeente gebruikt, waarvoor en met welke waarborgen.",
      "Inwoners en raadsleden hadden geen zicht op waar algoritmes invloed hebben op besluiten.",
      "privacy-en-data-ethiek"),
    S("Wijkdashboard", "digitalisering", DIGITAL, ("dashboard", "open data"),
      "Een dashboard met actuele cijfers over wijken, gebouwd op open data en herbruikbaar voor andere gemeenten.",
      "Cijfers zaten verspreid over afdelingen en waren verouderd tegen de tijd dat ze in een rapport stonden."),
    # Informatieveiligheid
    S("Phishingoefeningen voor medewerkers", "informatieveiligheid", DIGITAL, ("phishing", "bewustwording"),
      "Medewerkers krijgen elk kwartaal een nagebootste phishingmail en direct uitleg als ze erin trappen.",
      "Bijna alle incidenten begonnen met een medewerker die op een link in een valse e-mail klikte."),
    S("Gezamenlijk security operations center", "informatieveiligheid", DIGITAL, ("soc", "monitoring"),
      "Gemeenten delen één beveiligingsteam dat dag en nacht verdacht netwerkverkeer bewaakt.",
      "Een eigen team dat dag en nacht bewaakt is voor één gemeente onbetaalbaar."),
    S("Draaiboek voor een ransomware-aanval", "informatieveiligheid", DIGITAL, ("ransomware", "bio"),
      "Een beproefd draaiboek beschrijft wie wat doet in de eerste 48 uur na een ransomware-aanval.",
      "Bij een oefening bleek niemand te weten wie mocht besluiten om systemen af te sluiten."),
    S("Informatieveiligheid in contracten met leveranciers", "informatieveiligheid", DIGITAL, ("leveranciers", "bio"),
      "Vaste beveiligingsafspraken en een jaarlijkse toets voor elke leverancier die gegevens van de gemeente "
      "verwerkt.", "Afspraken over beveiliging verschilden per contract en werden zelden gecontroleerd.",
      "bedrijfsvoering"),
    S("Veilig thuiswerken", "informatieveiligheid", DIGITAL, ("thuiswerken", "bewustwording"),
      "Een korte training en een checklist helpen medewerkers om thuis net zo veilig te werken als op kantoor.",
      "Sinds het hybride werken kwamen er meer meldingen van datalekken vanaf thuiswerkplekken."),
    # Privacy en data-ethiek
    S("Privacyvriendelijke wijkmonitor", "privacy-en-data-ethiek", DIGITAL, ("anonimiseren", "wijkmonitor"),
      "Een wijkmonitor die alleen met geanonimiseerde en geaggregeerde gegevens werkt.",
      "Voor wijkanalyses werden bestanden met persoonsgegevens gekopieerd en gedeeld."),
    S("Ethische commissie voor datagebruik", "privacy-en-data-ethiek", PEOPLE, ("data-ethiek", "begeleidingsethiek"),
      "Een onafhankelijke commissie beoordeelt nieuwe datatoepassingen voordat ze in gebruik gaan.",
      "Ethische vragen over datagebruik kwamen pas op tafel als een project al klaar was."),
    S("Inzage in eigen gegevens", "privacy-en-data-ethiek", DIGITAL, ("avg", "inzageverzoek"),
      "Inwoners zien na inloggen welke gegevens de gemeente van hen heeft en met wie die worden gedeeld.",
      "Inzageverzoeken kostten veel handwerk en werden vaak te laat beantwoord."),
    S("Privacytoets in een uur", "privacy-en-data-ethiek", PEOPLE, ("dpia", "avg"),
      "Een korte, begeleide toets laat projectteams in een uur zien of een volledige DPIA nodig is.",
      "Projecten liepen maanden vertraging op omdat ze te laat aan privacy dachten."),
    S("Bewaartermijnen automatisch toepassen", "privacy-en-data-ethiek", DIGITAL, ("bewaartermijnen", "archiefwet"),
      "Gegevens worden automatisch vernietigd zodra hun bewaartermijn verstrijkt.",
      "Systemen bewaarden persoonsgegevens jaren langer dan de wet toestaat."),
    # Sociaal domein
    S("Vroegsignalering van schulden", "sociaal-domein", PEOPLE, ("schuldhulp", "vroegsignalering"),
      "Inwoners met betalingsachterstanden bij huur, energie of zorgverzekering krijgen binnen een week hulp "
      "aangeboden.", "Inwoners kwamen gemiddeld pas na vijf jaar en met hoge schulden bij de schuldhulpverlening.",
      "werk-en-inkomen"),
    S("Eén gezinsplan in het wijkteam", "sociaal-domein", PEOPLE, ("wijkteam", "jeugd"),
      "Eén hulpverlener en één plan voor het hele gezin, in plaats van losse trajecten per probleem.",
      "Gezinnen met meerdere problemen hadden soms met tien verschillende hulpverleners te maken."),
    S("Waardering voor mantelzorgers", "sociaal-domein", PEOPLE, ("mantelzorg", "wmo"),
      "Mantelzorgers krijgen een jaarlijkse waardering en een vast aanspreekpunt voor respijtzorg.",
      "Mantelzorgers raakten overbelast en wisten niet waar ze terechtkonden."),
    S("Eenvoudige aanvraag van huishoudelijke hulp", "sociaal-domein", PEOPLE, ("wmo", "huishoudelijke hulp"),
      "Inwoners vragen huishoudelijke hulp aan met een kort gesprek in plaats van een uitgebreid onderzoek.",
      "Het volledige keukentafelgesprek was voor eenvoudige hulpvragen zwaar en duurde lang."),
    S("Preventie van eenzaamheid onder ouderen", "sociaal-domein", PEOPLE, ("eenzaamheid", "ouderen"),
      "Vrijwilligers en huisartsen signaleren eenzaamheid vroeg en brengen ouderen in contact met activiteiten "
      "in de buurt.", "Eén op de twee 75-plussers in de gemeente gaf aan zich eenzaam te voelen."),
    # Werk en inkomen
    S("Snelle beslissing op een bijstandsaanvraag", "werk-en-inkomen", PEOPLE, ("bijstand", "participatiewet"),
      "Inwoners horen binnen tien werkdagen of ze recht hebben op bijstand.",
      "De wettelijke beslistermijn van acht weken bracht aanvragers in acute geldnood."),
    S("Leerwerkplekken bij de gemeente", "werk-en-inkomen", PEOPLE, ("leerwerkplek", "arbeidsmarkt"),
      "De gemeente biedt zelf leerwerkplekken aan voor inwoners met afstand tot de arbeidsmarkt.",
      "Werkgevers in de regio boden te weinig plekken voor mensen die nog moeten leren werken."),
    S("Bijverdienen zonder gedoe", "werk-en-inkomen", PEOPLE, ("inkomsten", "bijstand"),
      "Inwoners in de bijstand geven wisselende inkomsten eenvoudig door en houden zekerheid over hun uitkering.",
      "Angst voor terugvorderingen weerhield mensen ervan om parttime werk aan te nemen."),
    S("Schuldhulp voor jongeren", "werk-en-inkomen", PEOPLE, ("jongeren", "schuldhulp"),
      "Jongeren met schulden krijgen een coach en een saneringskrediet, in ruil voor werk of opleiding.",
      "Jongeren met schulden haakten af op school en werk, waardoor hun schulden verder opliepen.",
      "sociaal-domein"),
    S("Taalcoaching voor statushouders", "werk-en-inkomen", PEOPLE, ("inburgering", "taal"),
      "Statushouders leren Nederlands op de werkvloer, met een taalcoach uit hun eigen buurt.",
      "Statushouders vonden moeilijk werk omdat de taallessen los stonden van de praktijk."),
    # Fysiek domein en Omgevingswet
    S("Vergunningcheck voor dakkapellen", "fysiek-domein-en-omgevingswet", DIGITAL,
      ("omgevingsloket", "vergunningvrij"),
      "Een korte vragenlijst laat inwoners direct zien of hun dakkapel vergunningvrij is.",
      "Een groot deel van de aanvragen betrof bouwwerken waarvoor helemaal geen vergunning nodig was."),
    S("Omgevingsgesprek vóór de aanvraag", "fysiek-domein-en-omgevingswet", PEOPLE, ("omgevingswet", "vooroverleg"),
      "Initiatiefnemers bespreken hun plan vooraf met alle betrokken vakspecialisten aan één tafel.",
      "Aanvragen werden vaak afgewezen om punten die in een vroeg gesprek eenvoudig op te lossen waren."),
    S("Digitaal omgevingsplan", "fysiek-domein-en-omgevingswet", DIGITAL, ("omgevingsplan", "dso"),
      "Alle regels voor de fysieke leefomgeving in één digitaal plan, per locatie te raadplegen.",
      "Regels stonden verspreid over tientallen bestemmingsplannen en verordeningen."),
    S("Meldingen openbare ruimte met foto", "fysiek-domein-en-omgevingswet", DIGITAL, ("meldingen", "openbare ruimte"),
      "Inwoners melden een losliggende stoeptegel of volle container met foto en locatie, en volgen de afhandeling.",
      "Meldingen kwamen via vijf kanalen binnen en inwoners hoorden zelden wat ermee gebeurde."),
    S("Integraal beheer van bruggen en kademuren", "fysiek-domein-en-omgevingswet", SPACE,
      ("assetmanagement", "kademuren"),
      "Eén meerjarenplan voor onderhoud van bruggen en kademuren, gebaseerd op sensordata en inspecties.",
      "Onderhoud werd pas ingepland als er schade zichtbaar was, wat duur en soms gevaarlijk was."),
    # Klimaat en energie
    S("Energiecoaches aan huis", "klimaat-en-energie", PEOPLE, ("energiearmoede", "isolatie"),
      "Getrainde energiecoaches helpen huishoudens met kleine maatregelen die de energierekening direct verlagen.",
      "Huishoudens met een laag inkomen konden hun energierekening niet meer betalen."),
    S("Wijkwarmteplan", "klimaat-en-energie", SPACE, ("warmtetransitie", "aardgasvrij"),
      "Per wijk een plan om van het aardgas af te gaan, opgesteld met bewoners en netbeheerder.",
      "Bewoners wisten niet wanneer en hoe hun wijk van het aardgas af zou gaan.", "participatie"),
    S("Groene schoolpleinen", "klimaat-en-energie", SPACE, ("klimaatadaptatie", "vergroening"),
      "Betegelde schoolpleinen worden groene speelplekken die regenwater opvangen en verkoeling geven.",
      "Versteende schoolpleinen liepen onder bij hoosbuien en werden heet in de zomer."),
    S("Zonnepanelen op gemeentelijk vastgoed", "klimaat-en-energie", SPACE, ("zonne-energie", "vastgoed"),
      "Alle geschikte daken van gemeentelijke gebouwen krijgen zonnepanelen.",
      "De gemeente wilde in 2030 klimaatneutraal zijn maar gebruikte haar eigen daken niet.", "bedrijfsvoering"),
    S("Hittekaart voor de wijk", "klimaat-en-energie", DIGITAL, ("hittestress", "klimaatadaptatie"),
      "Een kaart toont per straat waar het in de zomer het heetst wordt en waar koele plekken zijn.",
      "Bij hittegolven was niet bekend welke kwetsbare bewoners in de heetste straten woonden."),
    # Wonen
    S("Woningdelen voor ouderen", "wonen", PEOPLE, ("woningdelen", "ouderen"),
      "Ouderen met een grote woning verhuren een deel aan een jongere, met begeleiding en een modelcontract.",
      "Veel ouderen woonden alleen in een grote woning terwijl jongeren geen kamer konden vinden."),
    S("Tijdelijke woningen voor spoedzoekers", "wonen", SPACE, ("flexwonen", "spoedzoekers"),
      "Verplaatsbare woningen op braakliggende grond voor mensen die snel een woning nodig hebben.",
      "Mensen na een scheiding of uit een instelling stonden jaren op de wachtlijst."),
    S("Transformatie van leegstaande kantoren", "wonen", SPACE, ("transformatie", "leegstand"),
      "Leegstaande kantoren worden omgebouwd tot betaalbare woningen, met één regisseur bij de gemeente.",
      "Kantoren stonden jaren leeg terwijl de woningnood groeide."),
    S("Aanpak van malafide verhuurders", "wonen", PEOPLE, ("goed verhuurderschap", "handhaving"),
      "Een meldpunt en gerichte controles pakken verhuurders aan die huurders intimideren of te veel vragen.",
      "Arbeidsmigranten en studenten werden uitgebuit door verhuurders met slechte woningen.",
      "openbare-orde-en-veiligheid"),
    S("Verhuiscoach voor doorstroming", "wonen", PEOPLE, ("doorstroming", "verhuiscoach"),
      "Een verhuiscoach helpt senioren naar een passende woning, zodat gezinswoningen vrijkomen.",
      "Senioren wilden wel verhuizen, maar zagen op tegen alles wat erbij komt kijken."),
    # Openbare orde en veiligheid
    S("Buurtpreventie via een app", "openbare-orde-en-veiligheid", DIGITAL, ("buurtpreventie", "whatsapp"),
      "Bewoners, wijkagent en boa delen signalen in één app met duidelijke spelregels.",
      "Buurtapps groeiden uit tot kanalen vol geruchten zonder contact met politie of gemeente."),
    S("Aanpak van ondermijning op bedrijventerreinen", "openbare-orde-en-veiligheid", PEOPLE,
      ("ondermijning", "bedrijventerreinen"),
      "Gemeente, politie en ondernemers controleren samen bedrijfspanden op signalen van criminaliteit.",
      "Op afgelegen bedrijventerreinen vestigden zich drugslabs en hennepkwekerijen."),
    S("Persoonsgerichte aanpak van overlast", "openbare-orde-en-veiligheid", PEOPLE, ("overlast", "zorg en veiligheid"),
      "Zorg en veiligheid werken met één plan voor inwoners die veel overlast veroorzaken.",
      "Dezelfde inwoners kwamen steeds terug in meldingen bij politie, zorg en woningcorporatie.",
      "sociaal-domein"),
    S("Veilig uitgaan in de binnenstad", "openbare-orde-en-veiligheid", SPACE, ("nachtleven", "horeca"),
      "Horeca, gemeente en politie maken samen afspraken over verlichting, toezicht en vervoer bij sluitingstijd.",
      "Rond sluitingstijd liep de spanning in de binnenstad regelmatig op tot geweld."),
    S("Weerbare ambtenaren en bestuurders", "openbare-orde-en-veiligheid", PEOPLE, ("agressie", "weerbaarheid"),
      "Training en een vast meldpunt helpen medewerkers en bestuurders om te gaan met agressie en bedreiging.",
      "Het aantal bedreigingen van medewerkers aan de balie en online nam ieder jaar toe."),
    # Bedrijfsvoering
    S("Duurzaam inkopen met een gezamenlijk raamcontract", "bedrijfsvoering", PEOPLE, ("inkoop", "duurzaam inkopen"),
      "Gemeenten kopen kantoorartikelen, meubilair en ICT duurzaam in via één raamcontract.",
      "Kleine gemeenten hadden niet de kennis om duurzaamheid goed in aanbestedingen op te nemen.",
      "klimaat-en-energie"),
    S("Robotisering van factuurverwerking", "bedrijfsvoering", DIGITAL, ("rpa", "facturen"),
      "Softwarerobots verwerken standaardfacturen, zodat medewerkers tijd hebben voor de uitzonderingen.",
      "Leveranciers werden te laat betaald omdat facturen handmatig werden overgetypt."),
    S("Gezamenlijke traineepool", "bedrijfsvoering", PEOPLE, ("arbeidsmarkt", "trainees"),
      "Jonge professionals werken twee jaar bij verschillende gemeenten in de regio.",
      "Gemeenten konden vacatures voor ICT en ruimtelijke ordening moeilijk vervullen."),
    S("Begroting in één oogopslag", "bedrijfsvoering", DIGITAL, ("begroting", "open data"),
      "Een interactieve website laat zien waar het geld van de gemeente naartoe gaat.",
      "De begroting was een document van honderden pagina's dat weinig inwoners lazen.", "participatie"),
    S("Hybride werken met flexibele werkplekken", "bedrijfsvoering", SPACE, ("hybride werken", "huisvesting"),
      "Het gemeentehuis is ingericht voor ontmoeting en samenwerken, met minder maar betere werkplekken.",
      "Na de coronaperiode stond de helft van de werkplekken in het gemeentehuis leeg."),
    # Participatie
    S("Burgerberaad over de energietransitie", "participatie", PEOPLE, ("burgerberaad", "energietransitie"),
      "Een groep gelote inwoners adviseert de gemeenteraad over de keuzes in de energietransitie.",
      "Inspraakavonden trokken steeds dezelfde kleine groep inwoners.", "klimaat-en-energie"),
    S("Bewonersbudget per wijk", "participatie", PEOPLE, ("wijkbudget", "burgerbegroting"),
      "Bewoners stemmen zelf over de besteding van een deel van het budget voor hun wijk.",
      "Bewoners hadden het gevoel dat er over hun wijk werd beslist zonder hen."),
    S("Digitaal participatieplatform", "participatie", DIGITAL, ("participatieplatform", "inspraak"),
      "Een online platform waar inwoners plannen bekijken, ideeën indienen en op elkaar reageren.",
      "Wie niet naar een avondbijeenkomst kon komen, had geen manier om mee te praten."),
    S("Jongerenraad", "participatie", PEOPLE, ("jongeren", "jongerenraad"),
      "Een jongerenraad krijgt een eigen budget en adviseert gevraagd en ongevraagd over beleid.",
      "Jongeren voelden zich niet gehoord en kwamen nauwelijks naar inspraakmomenten."),
    S("Right to Challenge", "participatie", PEOPLE, ("right to challenge", "burgerinitiatief"),
      "Bewoners nemen een taak van de gemeente over als ze kunnen laten zien dat het beter of goedkoper kan.",
      "Bewonersgroepen hadden goede ideeën voor het beheer van hun buurt maar kregen daar geen ruimte voor.",
      "sociaal-domein"),
]  # fmt: skip
del S

A = Approach
APPROACHES = [
    A("samen met inwoners", ALL_KINDS, "co-creatie", "Samen met inwoners ontworpen en in de praktijk getest.",
      "We begonnen met gesprekken met inwoners en hebben elke versie met hen getest voordat we verder bouwden."),
    A("in regionaal verband", ALL_KINDS, "regionale samenwerking",
      "Gemeenten in de regio werken met één aanpak en delen de kosten.",
      "De gemeenten in de regio hebben één projectteam en één begroting; elke gemeente levert een medewerker."),
    A("als open-source bouwsteen", frozenset({DIGITAL}), "open source",
      "De broncode en documentatie zijn openbaar, zodat elke gemeente ze kan hergebruiken.",
      "Alles wat we bouwen staat openbaar online onder een EUPL-licentie, met een handleiding voor installatie."),
    A("met ervaringsdeskundigen", frozenset({PEOPLE}), "ervaringsdeskundigheid",
      "Ervaringsdeskundigen denken mee over elke stap en werken mee in de uitvoering.",
      "Ervaringsdeskundigen zitten in het kernteam, worden betaald voor hun inzet en toetsen elke wijziging."),
    A("voor kleine gemeenten", ALL_KINDS, "kleine gemeenten",
      "Zo ingericht dat ook een gemeente met weinig capaciteit het kan invoeren.",
      "We hielden het bewust eenvoudig: één beheerder, weinig maatwerk en afspraken die in een dag te regelen zijn."),
    A("in de wijk", frozenset({PEOPLE, SPACE}), "wijkgericht",
      "Begonnen in één wijk, dicht bij de mensen om wie het gaat.",
      "We startten in één wijk, met een vaste plek in het buurthuis en korte lijnen met de wijkpartners."),
    A("met een vast aanspreekpunt", frozenset({PEOPLE}), "vast aanspreekpunt",
      "Inwoners houden van begin tot eind hetzelfde aanspreekpunt.",
      "Elke inwoner krijgt één contactpersoon die het hele traject volgt en zelf de lijnen in de organisatie legt."),
    A("op basis van open standaarden", frozenset({DIGITAL}), "open standaarden",
      "Gebouwd op open standaarden, zodat leveranciers uitwisselbaar blijven.",
      "We gebruiken de standaarden van het Forum Standaardisatie en de VNG en vragen die ook van leveranciers."),
    A("in honderd dagen", ALL_KINDS, "snel resultaat",
      "In honderd dagen van idee naar een werkende eerste versie, in kleine concrete stappen.",
      "We werkten in sprints van twee weken met een vaste demonstratie aan bestuurders en medewerkers."),
    A("met lokale partners", frozenset({PEOPLE, SPACE}), "partnerschap",
      "Uitgevoerd met woningcorporaties, welzijnsorganisaties en ondernemers uit de gemeente.",
      "De gemeente is regisseur; lokale partners voeren uit en delen hun kennis en netwerk."),
    A("met een gezamenlijke aanbesteding", frozenset({DIGITAL, SPACE}), "gezamenlijk inkopen",
      "Meerdere gemeenten kochten het samen in en kregen zo betere voorwaarden.",
      "Eén gemeente voerde de aanbesteding uit namens de andere; de eisen zijn samen opgesteld."),
    A("volgens Common Ground", frozenset({DIGITAL}), "common ground",
      "Gegevens blijven bij de bron en worden via API's opgevraagd, volgens de Common Ground-principes.",
      "We kopiëren geen gegevens meer tussen systemen maar vragen ze op bij de bron, met logging van elk gebruik."),
]  # fmt: skip
del A

STEPS = [
    "Een klein team met iemand uit de uitvoering, een informatieadviseur en een beleidsmedewerker.",
    "Elke twee weken een demonstratie van wat er werkt en wat nog niet.",
    "Een evaluatie na drie maanden, met inwoners en medewerkers.",
    "Afspraken over privacy en beveiliging vooraf vastgelegd.",
    "De werkwijze is beschreven zodat andere gemeenten hem kunnen overnemen.",
    "Een klankbordgroep van inwoners die elke maand meekijkt.",
    "Duidelijke meetpunten vooraf: doorlooptijd, tevredenheid en kosten.",
    "Een bestuurlijk opdrachtgever die knopen doorhakt als het vastloopt.",
    "Kennis gedeeld in het netwerk van Samen Organiseren.",
]

ROLE_WORDS = {
    CollaborationRole.CO_DEVELOPER: "gemeenten die willen meebouwen",
    CollaborationRole.PARTICIPANT: "gemeenten die de aanpak willen uitproberen",
    CollaborationRole.FUNDER: "een financier voor de volgende fase",
    CollaborationRole.KNOWLEDGE_PARTNER: "een kennispartner voor onderzoek en evaluatie",
    CollaborationRole.SUPPLIER: "een leverancier die het kan beheren",
}
SOUGHT_ROLES = list(ROLE_WORDS)

# Owners of the demo initiatives: the municipalities with demo members own several, partners some,
# and the rest are spread over the country (CBS codes from the loaded list).
DEMO_MUNICIPALITY_SHARE = {"GM0344": 10, "GM0363": 8, "GM0599": 8, "GM0193": 7, "GM0014": 7, "GM0855": 6}
PARTNER_SHARE = {
    "open-stad-software": (5, ("digitalisering", "dienstverlening", "participatie")),
    "lectoraat-digitale-overheid": (4, ("privacy-en-data-ethiek", "digitalisering", "dienstverlening")),
    "waterschap-groote-waard": (3, ("klimaat-en-energie", "fysiek-domein-en-omgevingswet")),
    "buurtenergie-coop": (3, ("klimaat-en-energie", "participatie")),
    "vng": (2, ("bedrijfsvoering", "informatieveiligheid")),
}
OTHER_MUNICIPALITIES = [
    "GM0518", "GM0772", "GM0034", "GM0202", "GM0268", "GM0153", "GM0546", "GM0392", "GM0935", "GM0080",
    "GM0114", "GM0106", "GM0307", "GM0796", "GM0758", "GM0503", "GM0200", "GM0479", "GM0361", "GM0687",
    "GM0718", "GM0983", "GM0917", "GM0988", "GM0150", "GM0164", "GM0228", "GM0222", "GM0252", "GM0289",
    "GM0301", "GM0327", "GM0355", "GM0394", "GM0402", "GM0437", "GM0484", "GM0505", "GM0513", "GM0606",
    "GM0637", "GM0664", "GM0715", "GM0748", "GM0794", "GM0828", "GM0845", "GM0893", "GM0944", "GM0957",
    "GM0995", "GM1680", "GM1681", "GM1690", "GM1730", "GM1900", "GM1949", "GM1970", "GM0096", "GM0088",
]  # fmt: skip
OTHER_MUNICIPALITY_COUNT = 150 - sum(DEMO_MUNICIPALITY_SHARE.values()) - sum(n for n, _ in PARTNER_SHARE.values())


@dataclass(frozen=True)
class DemoInitiative:
    owner: str  # "GM0344" (CBS code) or a partner organisation's slug
    title: str
    summary: str
    description: str
    themes: tuple[str, ...]
    tags: tuple[str, ...]
    phase: str
    status: str
    roles_sought: tuple[str, ...]
    results: str = ""
    organisations_using: int | None = None
    inhabitants_reached: int | None = None
    cost_eur: int | None = None
    savings_eur: int | None = None
    link: tuple[str, str] | None = None

    @property
    def slug(self) -> str:
        return slugify(self.title)


def title_for(subject: Subject, approach: Approach) -> str:
    return f"{subject.name} {approach.phrase}"


def dutch_number(number: int) -> str:
    return f"{number:,}".replace(",", ".")


def demo_plan() -> list[DemoInitiative]:
    """The demo initiatives, computed from a fixed seed without touching the database."""
    rng = random.Random(SEED)  # noqa: S311 (demo content, not secrets)
    items = _subject_approach_pairs(rng)
    owners: list[tuple[str, tuple[str, ...]]] = []
    for code, count in DEMO_MUNICIPALITY_SHARE.items():
        owners += [(code, ())] * count
    for slug, (count, themes) in PARTNER_SHARE.items():
        owners += [(slug, themes)] * count
    others = OTHER_MUNICIPALITIES * 2
    owners += [(code, ()) for code in others[:OTHER_MUNICIPALITY_COUNT]]
    # Partners first, so they find subjects of their own themes.
    owners.sort(key=lambda owner: not owner[1])
    plan = []
    for owner, preferred in owners:
        index = next((i for i, (s, _) in enumerate(items) if s.theme in preferred), 0) if preferred else 0
        subject, approach = items.pop(index)
        plan.append(_initiative(rng, owner, subject, approach))
    return plan


def _subject_approach_pairs(rng: random.Random) -> list[tuple[Subject, Approach]]:
    """150 distinct (subject, approach) pairs, every subject two or three times, in a shuffled order."""
    pairs = []
    for number, subject in enumerate(SUBJECTS):
        fitting = [approach for approach in APPROACHES if reads_well(subject, approach)]
        pairs += [(subject, approach) for approach in rng.sample(fitting, 3 if number % 2 == 0 else 2)]
    rng.shuffle(pairs)
    return pairs


def reads_well(subject: Subject, approach: Approach) -> bool:
    """No "... met ... met ..." or "wijkplan in de wijk" in a title."""
    words = subject.name.lower().split()
    first, last = approach.phrase.split()[0], approach.phrase.split()[-1]
    return subject.kind in approach.kinds and first not in words and last not in subject.name.lower()


def _initiative(rng: random.Random, owner: str, subject: Subject, approach: Approach) -> DemoInitiative:
    phase = rng.choices(PHASES, weights=[20, 22, 24, 20, 14])[0]
    draw = rng.random()
    if draw < 0.12:
        status = InitiativeStatus.DRAFT
        phase = PHASES[min(PHASES.index(phase), 2)]  # drafts are young
    elif draw < 0.18:
        status = InitiativeStatus.ARCHIVED
    else:
        status = InitiativeStatus.PUBLISHED
    level = PHASES.index(phase)
    roles = tuple(sorted(rng.sample(SOUGHT_ROLES, rng.randint(0, 3 if level < 4 else 1))))
    steps = rng.sample(STEPS, 3)
    wanted = (
        "We zoeken " + ", ".join(ROLE_WORDS[role] for role in roles) + "."
        if roles
        else "We zoeken nu geen nieuwe partners, maar delen graag wat we geleerd hebben."
    )
    description = (
        f"## Aanleiding\n\n{subject.problem}\n\n## Aanpak\n\n{approach.how}\n\n"
        + "".join(f"- {step}\n" for step in steps)
        + f"\n## Wat we zoeken\n\n{wanted}\n"
    )
    themes = (subject.theme, subject.extra_theme) if subject.extra_theme else (subject.theme,)
    figures: dict[str, int | None] = {}
    results = ""
    if level >= 2:  # pilot and later have something to show
        reached = rng.randint(1, 40) * (50 if level == 2 else 250 * level)
        organisations = {2: rng.randint(1, 3), 3: rng.randint(2, 12), 4: rng.randint(8, 60)}[level]
        figures = {"organisations_using": organisations, "inhabitants_reached": reached}
        satisfied = rng.randint(68, 94)
        if level == 2:
            results = (
                f"De pilot liep {rng.randint(3, 9)} maanden. {dutch_number(reached)} inwoners deden mee en "
                f"{satisfied}% van hen was tevreden of zeer tevreden."
            )
        else:
            cost = rng.randint(2, 60) * 5_000
            savings = cost * rng.randint(12, 40) // 10
            figures |= {"cost_eur": cost, "savings_eur": savings}
            faster = rng.randint(15, 60)
            results = (
                f"Sinds de invoering bereikten we {dutch_number(reached)} inwoners. De doorlooptijd daalde met "
                f"{faster}% en {satisfied}% van de inwoners is tevreden. Eenmalige kosten: € {dutch_number(cost)}; "
                f"besparing per jaar: € {dutch_number(savings)}."
            )
            if level == 4:
                results += (
                    f"\n\nInmiddels werken {organisations} organisaties met deze aanpak. Een onafhankelijke "
                    "evaluatie bevestigde de resultaten in gemeenten van verschillende grootte."
                )
    title = title_for(subject, approach)
    link = None
    if level >= 2 and rng.random() < 0.2:
        link = ("Projectpagina", f"https://samen-organiseren.example/projecten/{slugify(title)}")
    return DemoInitiative(
        owner=owner,
        title=title,
        summary=f"{subject.summary} {approach.summary}",
        description=description,
        themes=themes,
        tags=(*subject.tags, approach.tag),
        phase=phase,
        status=status,
        roles_sought=roles,
        results=results,
        link=link,
        **figures,  # type: ignore[arg-type]
    )


@transaction.atomic
def seed_demo_initiatives() -> int:
    """Write the demo initiatives that do not exist yet; returns how many it created."""
    plan = demo_plan()
    existing = set(Initiative.objects.filter(slug__in=[item.slug for item in plan]).values_list("slug", flat=True))
    ensure_default_themes()
    themes = {theme.slug: theme for theme in Theme.objects.all()}
    actors: dict[str, Actor] = {}
    created = 0
    for item in plan:
        if item.slug in existing:
            continue
        if item.owner not in actors:
            actors[item.owner] = demo_actor_for(item.owner)
        _write(actors[item.owner], item, themes)
        created += 1
    return created


def demo_actor_for(owner: str) -> Actor:
    """An existing demo member of the organisation, or a deterministic demo member created for it."""
    if owner.startswith("GM"):
        organisation = Organisation.objects.get(municipality__code=owner)
    else:
        organisation = Organisation.objects.get(slug=owner)
    membership = (
        Membership.objects.filter(organisation=organisation, user__is_active=True)
        .select_related("user")
        .order_by("user__email")
        .first()
    )
    if membership is not None:
        return Actor(organisation=organisation, user=membership.user)
    user, created = User.objects.get_or_create(
        email=f"demo@{organisation.slug}.demo.example",
        defaults={"name": f"Demo-medewerker {organisation.name}", "job_title": "Projectleider"},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    Membership.objects.get_or_create(user=user, organisation=organisation)
    return Actor(organisation=organisation, user=user)


def _write(actor: Actor, item: DemoInitiative, themes: dict[str, Theme]) -> Initiative:
    if actor.user is None:
        raise ValueError("the demo acts as a person")
    initiative = initiative_create(
        actor=actor,
        title=item.title,
        summary=item.summary,
        themes=[themes[slug] for slug in item.themes],
        description=item.description,
        tags=list(item.tags),
        roles_sought=list(item.roles_sought),
        results=item.results,
        organisations_using=item.organisations_using,
        inhabitants_reached=item.inhabitants_reached,
        cost_eur=None if item.cost_eur is None else Decimal(item.cost_eur),
        savings_eur=None if item.savings_eur is None else Decimal(item.savings_eur),
        contact_name=actor.user.name,
        contact_email=actor.user.email,
        links=[item.link] if item.link else [],
    )
    if item.status != InitiativeStatus.DRAFT:
        initiative = initiative_publish(actor=actor, initiative=initiative)
    for phase in PHASES[1 : PHASES.index(item.phase) + 1]:
        initiative = initiative_change_phase(actor=actor, initiative=initiative, phase=phase)
    if item.status == InitiativeStatus.ARCHIVED:
        initiative = initiative_archive(actor=actor, initiative=initiative)
    return initiative
