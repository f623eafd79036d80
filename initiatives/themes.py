"""The curated themes the platform starts with; facilitators keep the list in the admin afterwards."""

from django.apps import apps as global_apps
from django.apps.registry import Apps

DEFAULT_THEMES = [
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


def ensure_default_themes(apps: Apps = global_apps) -> None:
    """Create any default theme that is missing (by slug); never touches what facilitators changed."""
    theme_model = apps.get_model("initiatives", "Theme")
    for slug, name, description in DEFAULT_THEMES:
        theme_model.objects.get_or_create(slug=slug, defaults={"name": name, "description": description})
