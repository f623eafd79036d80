from typing import Any

from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
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
    default = True  # the app's config; the admin's below is chosen in INSTALLED_APPS
    name = "samenorg.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        # Sent once per app after migrate and flush; the group is set up when ours comes round.
        post_migrate.connect(_keep_facilitators_group, sender=self)

        from django.contrib.auth.signals import user_logged_in

        from .middleware import mark_session_seen

        user_logged_in.connect(mark_session_seen, dispatch_uid="samenorg_mark_session_seen")


class SecondFactorAdminConfig(admin_apps.AdminConfig):
    """The admin, as ``admin.site``, on a site that asks for the second factor (admin_site.py)."""

    default = False
    default_site = "samenorg.accounts.admin_site.SecondFactorAdminSite"

    def ready(self) -> None:
        super().ready()  # every app's admin module is registered now
        from allauth.socialaccount.models import SocialApp, SocialToken
        from django.contrib import admin

        # The identity provider comes from the environment and its tokens are not stored: nothing to manage.
        admin.site.unregister(SocialApp)
        admin.site.unregister(SocialToken)
