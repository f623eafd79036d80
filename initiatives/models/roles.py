from django.db import models
from django.utils.translation import gettext_lazy as _


class CollaborationRole(models.TextChoices):
    """The roles an organisation takes in an initiative (DESIGN: Participation)."""

    INITIATOR = "initiator", _("initiator")
    CO_DEVELOPER = "co_developer", _("co-developer")
    PARTICIPANT = "participant", _("participant")
    FUNDER = "funder", _("funder")
    KNOWLEDGE_PARTNER = "knowledge_partner", _("knowledge partner")
    SUPPLIER = "supplier", _("supplier")
