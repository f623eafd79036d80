"""People, organisations and events for the fan-out tests, made through the real services."""

from collaboration.services.follow import follow
from initiatives.services.initiative import initiative_create, initiative_publish
from municipalities.models import Organisation
from samenorg.accounts.models import Frequency
from samenorg.core.actors import Actor
from samenorg.events.models import Event
from samenorg.notifications.recipients import recipients
from tests.factories import MembershipFactory, MunicipalOrganisationFactory, UserFactory


def member_of(organisation: Organisation | None = None, **user: object) -> Actor:
    """A member of ``organisation`` (a new municipality's when none), acting for it."""
    organisation = organisation or MunicipalOrganisationFactory()
    membership = MembershipFactory(organisation=organisation, **{f"user__{k}": v for k, v in user.items()})
    return Actor(organisation=organisation, user=membership.user)


def follower_of(target, frequency: str = Frequency.IMMEDIATELY, **user: object):
    person = UserFactory(**user)
    follow(user=person, target=target, frequency=frequency)
    return person


def published_initiative(actor: Actor, **content):
    return initiative_publish(
        actor=actor,
        initiative=initiative_create(
            actor=actor, title=content.pop("title", "Wijkdashboard"), summary="Cijfers.", **content
        ),
    )


def last_event(event_type: str) -> Event:
    return Event.objects.filter(type=event_type).latest("pk")


def heard_by(event: Event) -> dict[int, tuple[str, str]]:
    """user id -> (reason, frequency), as the recipients query says."""
    return {row.user_id: (row.reason, row.frequency) for row in recipients(event)}
