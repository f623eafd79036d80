"""The curated themes facilitators start from; they keep the list in the admin afterwards."""

from django.db import migrations

from initiatives.themes import ensure_default_themes


def seed_themes(apps, schema_editor):
    ensure_default_themes(apps)


class Migration(migrations.Migration):
    dependencies = [("initiatives", "0001_initial")]

    operations = [migrations.RunPython(seed_themes, migrations.RunPython.noop)]
