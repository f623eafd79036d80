"""The audit trail: every tracked change (``samenorg.core.history``) across all models, as one list.

``AuditEvent`` is a proxy of pghistory's aggregate ``Events``: a query over all history tables at once,
with the context each change was made in (who, for which organisation, through which address) read from
the context's metadata. Nothing is stored here; the history tables are written by database triggers."""

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from pghistory import ProxyField
from pghistory.models import Events


def _context_key(to: str, verbose_name: Any) -> models.ForeignKey:
    """A reference kept in the context's metadata, joined like a foreign key (without a constraint: the
    person or key may since have been removed)."""
    return models.ForeignKey(
        to, on_delete=models.DO_NOTHING, null=True, db_constraint=False, related_name="+", verbose_name=verbose_name
    )


class AuditEvent(Events):
    user = ProxyField("pgh_context__user", _context_key(settings.AUTH_USER_MODEL, _("person")))
    organisation = ProxyField(
        "pgh_context__organisation", _context_key("municipalities.Organisation", _("organisation"))
    )
    api_key = ProxyField("pgh_context__api_key", _context_key("api.ApiKey", _("API key")))
    url = ProxyField("pgh_context__url", models.TextField(_("address"), null=True))

    class Meta:
        proxy = True
        verbose_name = _("change")
        verbose_name_plural = _("changes")
