"""Who hears of an event: followers at their own frequency, the people a request concerns, facilitators for
nominations, adopters of older versions; never who may not see it, never the actor, never twice."""

import datetime

import pytest
from django.db import transaction
from django.utils import timezone

from collaboration.services.follow import follow, unfollow
from collaboration.services.participation import participation_decide, participation_request
from initiatives.services.initiative import initiative_create, initiative_publish, initiative_update
from municipalities.models import Organisation
from samenorg.accounts.models import Frequency, User
from samenorg.core.actors import Actor
from samenorg.events.models import Event, EventAudience
from samenorg.events.services import event_record
from samenorg.notifications.recipients import recipients, users_who_may_see
from standards.models import AdoptionStatus
from standards.services.adoption import adoption_record
from standards.services.nomination import nomination_submit
from standards.services.standard import standard_release_version
from tests.factories import (
    MunicipalOrganisationFactory,
    OrganisationFactory,
    ParticipationFactory,
    StandardFactory,
    StandardVersionFactory,
    ThemeFactory,
    UserFactory,
)

from .fanout_world import follower_of, heard_by, last_event, member_of, published_initiative

pytestmark = pytest.mark.django_db

IMMEDIATELY, DAILY, WEEKLY, OFF = Frequency.IMMEDIATELY, Frequency.DAILY, Frequency.WEEKLY, Frequency.OFF
EVIDENCE = {
    "organisations_using": 12,
    "results": "Sneller.",
    "costs_and_savings": "Goedkoper.",
    "reusability": "Open source.",
    "documentation": "https://example.nl/handleiding",
}


def test_a_drafts_event_never_reaches_an_outsider_who_follows_its_theme():
    theme = ThemeFactory()
    anna = member_of()
    bert = member_of(anna.organisation, follow_frequency=DAILY).user
    outsider = follower_of(theme, IMMEDIATELY)

    draft = initiative_create(actor=anna, title="Concept", summary="Nog niet af.", themes=[theme])
    assert heard_by(last_event("initiative.created")) == {bert.pk: ("participant", DAILY)}

    initiative_publish(actor=anna, initiative=draft)
    assert heard_by(last_event("initiative.published")) == {
        bert.pk: ("participant", DAILY),
        outsider.pk: ("follower", IMMEDIATELY),
    }


def test_a_join_request_reaches_only_the_initiators_members_and_the_asking_organisation():
    anna = member_of(follow_frequency=WEEKLY)
    bert = member_of(anna.organisation, follow_frequency=IMMEDIATELY).user
    initiative = published_initiative(anna)
    follower = follower_of(initiative, IMMEDIATELY)
    taking_part = ParticipationFactory(initiative=initiative)
    dirk = member_of(taking_part.organisation).user
    zoe = member_of()
    zack = member_of(zoe.organisation, follow_frequency=DAILY).user

    request = participation_request(actor=zoe, initiative=initiative, role="funder", motivation="Wij betalen mee.")
    assert heard_by(last_event("participation.requested")) == {
        anna.user.pk: ("initiator", WEEKLY),
        bert.pk: ("initiator", IMMEDIATELY),
        zack.pk: ("participant", DAILY),
    }

    participation_decide(actor=anna, participation=request, accept=True)
    heard = heard_by(last_event("participation.accepted"))
    assert set(heard) == {bert.pk, follower.pk, dirk.pk, zoe.user.pk, zack.pk}
    assert heard[follower.pk] == ("follower", IMMEDIATELY)
    assert heard[zack.pk] == ("participant", DAILY)


def test_the_actor_never_hears_of_their_own_event_even_when_following_it():
    anna = member_of(follow_frequency=IMMEDIATELY)
    bert = member_of(anna.organisation).user
    initiative = initiative_create(actor=anna, title="Eigen werk", summary="Door mij.")
    follow(user=anna.user, target=initiative, frequency=IMMEDIATELY)

    initiative_publish(actor=anna, initiative=initiative)

    assert set(heard_by(last_event("initiative.published"))) == {bert.pk}


def test_each_follow_brings_its_own_frequency_and_the_most_frequent_wins():
    theme = ThemeFactory()
    anna = member_of(follow_frequency=OFF)
    initiative = published_initiative(anna, themes=[theme])
    municipality = Organisation.objects.get(pk=anna.organisation.pk).municipality
    weekly = follower_of(initiative, WEEKLY)
    daily_by_theme = follower_of(theme, DAILY)
    immediately_by_municipality = follower_of(municipality, IMMEDIATELY)
    weekly_here_immediately_by_theme = follower_of(initiative, WEEKLY)
    follow(user=weekly_here_immediately_by_theme, target=theme, frequency=IMMEDIATELY)
    partner = ParticipationFactory(initiative=initiative).organisation
    participant_weekly = member_of(partner, follow_frequency=WEEKLY).user
    participant_opted_out = member_of(partner, follow_frequency=IMMEDIATELY).user
    unfollow(user=participant_opted_out, target=initiative)
    participant_following_nothing = member_of(partner, follow_frequency=OFF).user

    with transaction.atomic():
        event_record(
            event_type="milestone.planned",
            actor=anna,
            audience=EventAudience.PUBLIC,
            payload={"title": "Pilot"},
            initiative=initiative,
        )

    heard = heard_by(last_event("milestone.planned"))
    assert heard == {
        weekly.pk: ("follower", WEEKLY),
        daily_by_theme.pk: ("follower", DAILY),
        immediately_by_municipality.pk: ("follower", IMMEDIATELY),
        weekly_here_immediately_by_theme.pk: ("follower", IMMEDIATELY),
        participant_weekly.pk: ("participant", WEEKLY),
    }
    assert participant_opted_out.pk not in heard
    assert participant_following_nothing.pk not in heard


def test_inactive_accounts_never_hear():
    anna = member_of()
    initiative = published_initiative(anna)
    follower = follower_of(initiative, IMMEDIATELY)
    colleague = member_of(anna.organisation).user
    User.objects.filter(pk__in=[follower.pk, colleague.pk]).update(is_active=False)

    initiative_update(actor=anna, initiative=initiative, summary="Nu met cijfers per wijk.")

    assert heard_by(last_event("initiative.updated")) == {}


def test_facilitators_hear_of_a_nomination_by_role_even_when_they_follow_nothing():
    anna = member_of()
    initiative = published_initiative(anna, phase="proven_practice")
    reviewer_off = UserFactory(facilitator=True, follow_frequency=OFF)
    reviewer_immediately = UserFactory(facilitator=True, follow_frequency=IMMEDIATELY)
    bystander = UserFactory(follow_frequency=IMMEDIATELY)

    nomination_submit(actor=anna, initiative=initiative, **EVIDENCE)

    heard = heard_by(last_event("nomination.submitted"))
    assert heard[reviewer_off.pk] == ("facilitator", OFF)
    assert heard[reviewer_immediately.pk] == ("facilitator", IMMEDIATELY)
    assert bystander.pk not in heard


def test_a_new_version_reaches_the_members_of_municipalities_that_adopt_an_older_one():
    vng = OrganisationFactory(name="VNG")
    facilitator = Actor(organisation=vng, user=UserFactory(facilitator=True))
    standard = StandardFactory()
    first = StandardVersionFactory(standard=standard, major=1, minor=0, patch=0)
    second = StandardVersionFactory(standard=standard, major=1, minor=1, patch=0)
    since = timezone.localdate() - datetime.timedelta(days=30)

    def adopter(status, version=None, reason=""):
        actor = member_of(MunicipalOrganisationFactory(), follow_frequency=WEEKLY)
        adoption_record(actor=actor, standard=standard, status=status, since=since, version=version, reason=reason)
        return actor.user

    on_first = adopter(AdoptionStatus.IN_USE, first)
    implementing_second = adopter(AdoptionStatus.IMPLEMENTING, second)
    planning = adopter(AdoptionStatus.PLANNED)
    phased_out = adopter(AdoptionStatus.PHASED_OUT, first)
    explaining = adopter(AdoptionStatus.EXPLAIN, reason="Wij hebben al iets anders.")
    follower = follower_of(standard, DAILY)

    standard_release_version(
        actor=facilitator, standard=standard, number="1.2.0", changelog="Sneller.", released_on=timezone.localdate()
    )

    assert heard_by(last_event("standard.version_released")) == {
        on_first.pk: ("adopter", WEEKLY),
        implementing_second.pk: ("adopter", WEEKLY),
        follower.pk: ("follower", DAILY),
    }
    assert not {phased_out.pk, explaining.pk, planning.pk} & set(heard_by(last_event("standard.version_released")))


def test_one_row_per_user_with_the_strongest_reason_and_the_most_frequent_frequency():
    anna = member_of()
    initiative = published_initiative(anna, phase="proven_practice")
    # A facilitator who is also a member of the initiator and follows it immediately: three matches.
    both = member_of(anna.organisation, facilitator=True, follow_frequency=WEEKLY).user
    follow(user=both, target=initiative, frequency=IMMEDIATELY)

    nomination_submit(actor=anna, initiative=initiative, **EVIDENCE)
    nomination_submit_event = last_event("nomination.submitted")

    assert heard_by(nomination_submit_event)[both.pk] == ("facilitator", IMMEDIATELY)
    assert [row.user_id for row in recipients(nomination_submit_event)].count(both.pk) == 1


@pytest.mark.parametrize("status", ["draft", "published"])
def test_who_may_see_an_event_is_exactly_whom_event_visible_to_shows_it_to(status):
    """The set-based rule agrees with ``Event.objects.visible_to`` for every kind of person and audience
    (inactive accounts, who would see what anyone sees, never hear of anything)."""
    anna = member_of()
    initiative = initiative_create(actor=anna, title="Zichtbaar", summary="Of niet.")
    if status == "published":
        initiative = initiative_publish(actor=anna, initiative=initiative)
    co_developer = ParticipationFactory(initiative=initiative, role="co_developer").organisation
    funder = ParticipationFactory(initiative=initiative, role="funder").organisation
    asking = ParticipationFactory(initiative=initiative, requested=True).organisation
    standard = StandardFactory()
    people = [
        anna.user,
        member_of(anna.organisation).user,
        member_of(co_developer).user,
        member_of(funder).user,
        member_of(asking).user,
        UserFactory(),
        UserFactory(facilitator=True),
        UserFactory(is_active=False),
        member_of(anna.organisation, is_active=False).user,
    ]
    events = []
    with transaction.atomic():
        for audience in EventAudience.values:
            events.append(
                event_record(
                    event_type="initiative.updated", actor=anna, audience=audience, payload={}, initiative=initiative
                )
            )
            asking_actor = Actor(organisation=asking, user=people[4])
            events.append(
                event_record(
                    event_type="comment.posted",
                    actor=asking_actor,
                    audience=audience,
                    payload={},
                    initiative=initiative,
                )
            )
            events.append(
                event_record(
                    event_type="standard.updated", actor=anna, audience=audience, payload={}, standard=standard
                )
            )

    for event in events:
        expected = {
            person.pk
            for person in people
            if person.is_active and Event.objects.visible_to(person).filter(pk=event.pk).exists()
        }
        found = set(
            users_who_may_see(event).filter(pk__in=[person.pk for person in people]).values_list("pk", flat=True)
        )
        assert found == expected, (event.type, event.audience)
