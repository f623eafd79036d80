"""Every initiative's owner takes part as its initiator from creation on; give existing ones that row."""

from django.db import migrations
from django.db.models import Exists, OuterRef


def initiators_take_part(apps, schema_editor):
    Initiative = apps.get_model("initiatives", "Initiative")
    Participation = apps.get_model("collaboration", "Participation")
    initiator = Participation.objects.filter(initiative=OuterRef("pk"), role="initiator", status="active")
    Participation.objects.bulk_create(
        Participation(
            initiative_id=initiative.pk,
            organisation_id=initiative.owner_id,
            role="initiator",
            status="active",
            joined_at=initiative.created_at,
        )
        for initiative in Initiative.objects.exclude(Exists(initiator)).only("pk", "owner_id", "created_at").iterator()
    )


class Migration(migrations.Migration):
    dependencies = [("collaboration", "0001_initial")]

    operations = [migrations.RunPython(initiators_take_part, migrations.RunPython.noop)]
