"""What an operator does by hand during the smoke test (scripts/smoke_journey.py), run inside
``manage.py shell -c`` with the production settings, through the platform's own services.

- ``register_domains``: what a facilitator does in the admin (/beheer/, which asks for an authenticator code),
  registering the e-mail domains of two municipalities, so that a verified address there grants membership.
- ``night_passes``: the digests go out at 07:00 for the notifications of the period ending then. Rather than
  wait for tomorrow morning, the notifications waiting for a daily digest are moved back into the period that
  ended at the latest 07:00, and the digest task is sent to the broker as beat's "digest-daily" entry sends it
  (routed by CELERY_TASK_ROUTES to the digests queue), for the running digests worker to pick up.

Each prints one JSON line, which the smoke test reads."""

import json
import sys
from datetime import timedelta

from django.utils import timezone

from municipalities.models import Organisation, OrganisationDomain
from municipalities.services.facilitation import organisation_domain_save
from samenorg.accounts.models import Frequency, User
from samenorg.core.queue import publish
from samenorg.notifications.digest_tasks import send_digests
from samenorg.notifications.digests import period_end_for
from samenorg.notifications.models import Notification


def register_domains(facilitator_email: str, domains: dict[str, str]) -> None:
    """Register each ``domains`` item (e-mail domain: CBS code of the municipality) as the facilitator."""
    facilitator = User.objects.get(email=facilitator_email)
    organisations = {}
    for domain, code in domains.items():
        organisation = Organisation.objects.get(municipality__code=code)
        organisation_domain_save(actor=facilitator, domain=OrganisationDomain(organisation=organisation, domain=domain))
        organisations[domain] = {"name": organisation.name, "slug": organisation.slug}
    sys.stdout.write(json.dumps(organisations) + "\n")


def night_passes() -> None:
    """Move the unread daily notifications into the period that ended at the latest 07:00 (an hour before
    its end) and publish that period's daily digest run."""
    period_end = period_end_for(Frequency.DAILY, timezone.now())
    moved = Notification.objects.filter(
        frequency=Frequency.DAILY, read_at__isnull=True, created_at__gt=period_end
    ).update(created_at=period_end - timedelta(hours=1))
    published = publish(send_digests, Frequency.DAILY.value, period_end.isoformat())
    sys.stdout.write(json.dumps({"moved": moved, "period_end": period_end.isoformat(), "published": published}) + "\n")
