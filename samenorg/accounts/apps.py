from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _keep_facilitators_group(sender: AppConfig, **kwargs: Any) -> None:
    from django.apps import apps
    from django.contrib.auth.management import create_permissions

    from .facilitators import ensure_facilitators_group

    # Other apps' permissions may not exist yet at this point of post_migrate; create them first.
    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=kwargs.get("using", "default"))
    ensure_facilitators_group()


class AccountsConfig(AppConfig):
    name = "samenorg.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        # Sent once per app after migrate and flush; the group is set up when ours comes round.
        post_migrate.connect(_keep_facilitators_group, sender=self)
