"""The "Facilitators" group for VNG staff, with the permissions their admin work needs."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

FACILITATOR_PERMISSIONS = {
    "accounts": {"user": ["view", "change"]},
    "municipalities": {
        "province": ["view"],
        "municipality": ["view", "change"],
        "organisation": ["view", "add", "change"],
        "organisationdomain": ["view", "add", "change", "delete"],
        "membership": ["view", "add", "change", "delete"],
        "membershiprequest": ["view", "change"],
    },
}


def create_facilitators_group(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Facilitators")
    for app_label, models in FACILITATOR_PERMISSIONS.items():
        for model, actions in models.items():
            codenames = [f"{action}_{model}" for action in actions]
            group.permissions.add(
                *Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
            )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("municipalities", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_facilitators_group, migrations.RunPython.noop)]
