from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebhooksConfig(AppConfig):
    name = "webhooks"
    verbose_name = _("Webhooks")

    def ready(self) -> None:
        from samenorg.events import dispatch

        from .services.delivery import deliveries_for_event

        dispatch.register("webhooks", deliveries_for_event)
