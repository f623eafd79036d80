from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "samenorg.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from samenorg.events.dispatch import register

        from .fanout import fan_out_event

        register("notifications", fan_out_event)
