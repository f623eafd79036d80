"""Test data factories; traits name lifecycle states (``MembershipRequestFactory(approved=True)``)."""

import datetime
import secrets

import factory
from django.utils import timezone
from django.utils.text import slugify

from api.models import ApiKey, ApiKeyScope
from collaboration.models import Comment, Follow, Milestone, Participation, ParticipationStatus
from initiatives.models import CollaborationRole, Initiative, InitiativeStatus, Theme
from initiatives.services.initiative import initiative_search_vector
from municipalities.models import (
    Membership,
    MembershipRequest,
    Municipality,
    Organisation,
    OrganisationDomain,
    Province,
)
from municipalities.models.membership import MembershipRequestStatus, MembershipRole
from municipalities.models.organisation import OrganisationKind, OrganisationStatus
from samenorg.accounts.models import FACILITATORS_GROUP, Frequency, User
from samenorg.core.actors import Actor
from standards.models import Nomination, NominationStage, Standard, StandardVersion

PASSWORD = "correct-horse-battery-9"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    name = factory.Faker("name", locale="nl_NL")
    password = factory.django.Password(PASSWORD)

    class Params:
        facilitator = factory.Trait(is_staff=True)

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        """A verified primary e-mail address, as after signing up; pass ``verified=False`` to skip."""
        if create and extracted is not False:
            self.emailaddress_set.create(email=self.email, verified=True, primary=True)

    @factory.post_generation
    def in_facilitators_group(self, create, extracted, **kwargs):
        if create and self.is_staff and not self.is_superuser:
            from django.contrib.auth.models import Group

            self.groups.add(Group.objects.get(name=FACILITATORS_GROUP))


class ProvinceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Province
        django_get_or_create = ("code",)

    code = "PV26"
    name = "Utrecht"
    slug = factory.LazyAttribute(lambda o: slugify(o.name))


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality

    code = factory.Sequence(lambda n: f"GM{9000 + n % 1000:04d}")  # the field holds six characters
    name = factory.Sequence(lambda n: f"Testgemeente {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    province = factory.SubFactory(ProvinceFactory)


class OrganisationFactory(factory.django.DjangoModelFactory):
    """A partner organisation by default; ``MunicipalOrganisationFactory`` for a municipality."""

    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Partner {n} B.V.")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    kind = OrganisationKind.COMPANY
    status = OrganisationStatus.ACTIVE

    class Params:
        requested = factory.Trait(status=OrganisationStatus.REQUESTED)


class MunicipalOrganisationFactory(OrganisationFactory):
    kind = OrganisationKind.MUNICIPALITY
    municipality = factory.SubFactory(MunicipalityFactory)
    name = factory.LazyAttribute(lambda o: f"Gemeente {o.municipality.name}")
    slug = factory.LazyAttribute(lambda o: o.municipality.slug)


class OrganisationDomainFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganisationDomain

    organisation = factory.SubFactory(MunicipalOrganisationFactory)
    domain = factory.Sequence(lambda n: f"gemeente{n}.nl")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(MunicipalOrganisationFactory)
    role = MembershipRole.MEMBER

    class Params:
        coordinator = factory.Trait(role=MembershipRole.COORDINATOR)


def member_actor(name: str) -> Actor:
    """Someone acting for a new municipality's organisation ("Gemeente <name>"), as the services take it."""
    membership = MembershipFactory(organisation__name=f"Gemeente {name}", organisation__municipality__name=name)
    return Actor(organisation=membership.organisation, user=membership.user)


class MembershipRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MembershipRequest

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(MunicipalOrganisationFactory)
    motivation = "Ik werk voor deze gemeente via een detacheringsbureau."

    class Params:
        approved = factory.Trait(status=MembershipRequestStatus.APPROVED, decided_at=factory.LazyFunction(timezone.now))
        declined = factory.Trait(status=MembershipRequestStatus.DECLINED, decided_at=factory.LazyFunction(timezone.now))


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Thema {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))


class InitiativeFactory(factory.django.DjangoModelFactory):
    """A draft by default; traits ``published`` and ``archived`` for the later states."""

    class Meta:
        model = Initiative
        skip_postgeneration_save = True  # a save after this would blank the vector just filled

    title = factory.Sequence(lambda n: f"Initiatief {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.title))
    summary = "Een lokale oplossing die anderen kunnen hergebruiken."
    owner = factory.SubFactory(MunicipalOrganisationFactory)
    status = InitiativeStatus.DRAFT

    @factory.post_generation
    def fill_search_vector(self, create, extracted, **kwargs):
        """Filled as the services fill it, so factory rows are found by search."""
        if create:
            Initiative.objects.filter(pk=self.pk).update(search_vector=initiative_search_vector())

    class Params:
        published = factory.Trait(status=InitiativeStatus.PUBLISHED, published_at=factory.LazyFunction(timezone.now))
        archived = factory.Trait(
            status=InitiativeStatus.ARCHIVED,
            published_at=factory.LazyFunction(timezone.now),
            archived_at=factory.LazyFunction(timezone.now),
        )


class ApiKeyFactory(factory.django.DjangoModelFactory):
    """A partner system's key; ``factory.key`` is not stored, so tests that call the API pass ``key=``
    and read it back from ``ApiKeyFactory.key_of``. Traits: ``write``, ``revoked``."""

    class Meta:
        model = ApiKey
        exclude = ("key",)

    key = factory.LazyFunction(lambda: f"sok_{secrets.token_urlsafe(32)}")
    organisation = factory.SubFactory(MunicipalOrganisationFactory)
    name = factory.Sequence(lambda n: f"Zaaksysteem {n}")
    prefix = factory.LazyAttribute(lambda o: o.key[:12])
    key_hash = factory.LazyAttribute(lambda o: ApiKey.hash(o.key))
    scope = ApiKeyScope.READ

    class Params:
        write = factory.Trait(scope=ApiKeyScope.WRITE)
        revoked = factory.Trait(revoked_at=factory.LazyFunction(timezone.now))


class ParticipationFactory(factory.django.DjangoModelFactory):
    """An organisation taking part (``active``) in a published initiative; trait ``requested``."""

    class Meta:
        model = Participation

    initiative = factory.SubFactory(InitiativeFactory, published=True)
    organisation = factory.SubFactory(MunicipalOrganisationFactory)
    role = CollaborationRole.PARTICIPANT
    status = ParticipationStatus.ACTIVE
    joined_at = factory.LazyFunction(timezone.now)

    class Params:
        requested = factory.Trait(
            status=ParticipationStatus.REQUESTED, joined_at=None, motivation="Wij doen graag mee."
        )


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    initiative = factory.SubFactory(InitiativeFactory, published=True)
    title = factory.Sequence(lambda n: f"Mijlpaal {n}")
    planned_for = factory.SelfAttribute("initiative.owner")

    class Params:
        achieved = factory.Trait(
            achieved_on=factory.LazyFunction(lambda: timezone.localdate()), achievement="Opgeleverd en in gebruik."
        )


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment

    initiative = factory.SubFactory(InitiativeFactory, published=True)
    author = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(MunicipalOrganisationFactory)
    body = "Goed idee, wij willen dit ook."


class FollowFactory(factory.django.DjangoModelFactory):
    """Pass exactly one target: ``initiative=``, ``theme=`` or ``municipality=``."""

    class Meta:
        model = Follow

    user = factory.SubFactory(UserFactory)
    frequency = Frequency.DAILY


class NominationFactory(factory.django.DjangoModelFactory):
    """A submitted nomination of a published proven practice; pass ``stage=`` for later stages."""

    class Meta:
        model = Nomination

    initiative = factory.SubFactory(InitiativeFactory, published=True, phase="proven_practice")
    organisation = factory.SelfAttribute("initiative.owner")
    stage = NominationStage.SUBMITTED
    organisations_using = 12
    results = "De doorlooptijd daalde met 40%."
    costs_and_savings = "Eenmalig € 20.000; besparing € 35.000 per jaar."
    reusability = "Open source, met een handleiding voor de invoering."
    documentation = "https://example.nl/handleiding"
    consultation_closes_on = factory.Maybe(
        factory.LazyAttribute(lambda o: o.stage == NominationStage.CONSULTATION),
        yes_declaration=factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=14)),
        no_declaration=None,
    )


class StandardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Standard
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Standaard {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    description = "Een werkwijze die elke gemeente kan overnemen."


class StandardVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StandardVersion

    standard = factory.SubFactory(StandardFactory)
    major = 1
    minor = 0
    patch = 0
    changelog = "Eerste versie."
    released_on = factory.LazyFunction(timezone.localdate)


# --- Notifications (issue 6, the in-app side: inbox, activity feeds, settings) ---


class NotificationFactory(factory.django.DjangoModelFactory):
    """``user`` hears of ``event`` (pass one a service recorded; there is no default). Get-or-create on
    (user, event), so a notification the fan-out already made is reused. Trait ``read``."""

    class Meta:
        model = "notifications.Notification"
        django_get_or_create = ("user", "event")

    user = factory.SubFactory(UserFactory)
    reason = "follower"
    frequency = Frequency.DAILY

    class Params:
        read = factory.Trait(read_at=factory.LazyFunction(timezone.now))


# --- Webhooks (issue 7) ----------------------------------------------------------------------------

from webhooks.models import WebhookEndpoint  # noqa: E402 (this section's own imports)
from webhooks.signing import secret_new  # noqa: E402


class WebhookEndpointFactory(factory.django.DjangoModelFactory):
    """An endpoint that wants every event type; trait ``disabled`` for one switched off after failures."""

    class Meta:
        model = WebhookEndpoint

    organisation = factory.SubFactory(MunicipalOrganisationFactory)
    url = "https://hooks.example.nl/samenorg"
    secret = factory.LazyFunction(secret_new)

    class Params:
        disabled = factory.Trait(
            disabled_at=factory.LazyFunction(timezone.now), disabled_reason="HTTP 503", consecutive_failures=10
        )
