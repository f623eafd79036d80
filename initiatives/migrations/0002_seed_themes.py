"""The curated themes facilitators start from; they keep the list in the admin afterwards."""

from django.db import migrations

THEMES = [
    ("dienstverlening", "Dienstverlening", "Hoe inwoners en ondernemers de gemeente bereiken en geholpen worden."),
    ("digitalisering", "Digitalisering", "Digitale voorzieningen, standaarden en samenwerking in de keten."),
    ("informatieveiligheid", "Informatieveiligheid", "Beveiliging van informatie en systemen, en weerbaarheid."),
    ("privacy-en-data-ethiek", "Privacy en data-ethiek", "Zorgvuldig en verantwoord omgaan met gegevens."),
    ("sociaal-domein", "Sociaal domein", "Jeugd, Wmo, participatie en zorg dichtbij inwoners."),
    ("werk-en-inkomen", "Werk en inkomen", "Bijstand, schulddienstverlening en begeleiding naar werk."),
    ("fysiek-domein-en-omgevingswet", "Fysiek domein en Omgevingswet", "Ruimte, vergunningen en de Omgevingswet."),
    ("klimaat-en-energie", "Klimaat en energie", "Energietransitie, klimaatadaptatie en duurzaamheid."),
    ("wonen", "Wonen", "Woningbouw, huisvesting en leefbare wijken."),
    ("openbare-orde-en-veiligheid", "Openbare orde en veiligheid", "Veiligheid in wijk en gemeente, ondermijning."),
    ("bedrijfsvoering", "Bedrijfsvoering", "Financiën, inkoop, personeel en de eigen organisatie."),
    ("participatie", "Participatie", "Inwoners betrekken bij beleid en uitvoering."),
]


def seed_themes(apps, schema_editor):
    Theme = apps.get_model("initiatives", "Theme")
    for slug, name, description in THEMES:
        Theme.objects.get_or_create(slug=slug, defaults={"name": name, "description": description})


class Migration(migrations.Migration):
    dependencies = [("initiatives", "0001_initial")]

    operations = [migrations.RunPython(seed_themes, migrations.RunPython.noop)]
