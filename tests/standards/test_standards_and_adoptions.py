"""Versions of a standard, withdrawing it, and the adoption register kept by each municipality."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from samenorg.core.actors import Actor, moderator_actor
from samenorg.events.models import Event
from standards.models import Adoption
from standards.services.adoption import adoption_record
from standards.services.standard import standard_release_version, standard_withdraw
from tests.factories import (
    ApiKeyFactory,
    MembershipFactory,
    OrganisationFactory,
    StandardFactory,
    StandardVersionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def facilitator():
    user = UserFactory(facilitator=True)
    MembershipFactory(user=user)
    return moderator_actor(user)


@pytest.fixture
def municipal():
    membership = MembershipFactory()
    return Actor(organisation=membership.organisation, user=membership.user)


def test_versions_climb_numerically_and_each_release_is_an_event(facilitator):
    standard = StandardFactory()
    for number in ("1.9.0", "1.10.0", "2.0.0"):
        standard_release_version(
            actor=facilitator, standard=standard, number=number, changelog="Nieuw.", released_on=TODAY
        )
    assert [v.number for v in standard.versions.all()] == ["2.0.0", "1.10.0", "1.9.0"]
    events = Event.objects.filter(type="standard.version_released", standard=standard)
    assert [e.payload["version"] for e in events.order_by("pk")] == ["1.9.0", "1.10.0", "2.0.0"]
    assert {e.audience for e in events} == {"public"}


@pytest.mark.parametrize("number", ["1.10.0", "1.9.9", "0.99.0", "1.1", "v2.0.0", "2.0.0-beta", "01.0.0", ""])
def test_a_version_that_goes_backwards_or_is_not_semantic_is_refused(facilitator, number):
    version = StandardVersionFactory(major=1, minor=10, patch=0)
    with pytest.raises(ValidationError):
        standard_release_version(
            actor=facilitator, standard=version.standard, number=number, changelog="x", released_on=TODAY
        )
    assert version.standard.versions.count() == 1
    assert not Event.objects.exists()


def test_only_facilitators_release_and_withdraw(municipal):
    standard = StandardFactory()
    with pytest.raises(PermissionDenied):
        standard_release_version(actor=municipal, standard=standard, number="1.0.0", changelog="x", released_on=TODAY)
    with pytest.raises(PermissionDenied):
        standard_withdraw(actor=municipal, standard=standard, reason="Verouderd.")
    standard.refresh_from_db()
    assert (standard.status, standard.versions.count()) == ("active", 0)


def test_withdrawing_needs_a_reason_and_ends_new_versions_and_adoptions(facilitator, municipal):
    standard = StandardFactory()
    with pytest.raises(ValidationError):
        standard_withdraw(actor=facilitator, standard=standard, reason="")
    standard_withdraw(actor=facilitator, standard=standard, reason="Opgevolgd door de landelijke voorziening.")
    assert Event.objects.get().type == "standard.withdrawn"
    with pytest.raises(ValidationError):
        standard_release_version(actor=facilitator, standard=standard, number="1.0.0", changelog="x", released_on=TODAY)
    with pytest.raises(ValidationError):
        adoption_record(actor=municipal, standard=standard, status="planned", since=TODAY)
    assert adoption_record(actor=municipal, standard=standard, status="phased_out", since=TODAY).status == "phased_out"


def test_a_municipality_records_its_adoption_and_each_change_is_kept(municipal):
    version = StandardVersionFactory()
    adoption = adoption_record(actor=municipal, standard=version.standard, status="planned", since=TODAY)
    adoption = adoption_record(
        actor=municipal, standard=version.standard, status="in_use", since=TODAY, version=version
    )
    assert (adoption.status, adoption.version, adoption.updated_by) == ("in_use", version, municipal.user)
    assert list(adoption.history.order_by("pgh_id").values_list("status", flat=True)) == ["planned", "in_use"]
    events = Event.objects.filter(type="adoption.changed").order_by("pk")
    assert [(e.payload["from_status"], e.payload["status"], e.audience) for e in events] == [
        ("", "planned", "public"),
        ("planned", "in_use", "public"),
    ]
    # The same again changes nothing and records nothing.
    adoption_record(actor=municipal, standard=version.standard, status="in_use", since=TODAY, version=version)
    assert events.count() == 2


def test_explaining_needs_a_reason_that_is_kept_public(municipal):
    standard = StandardFactory()
    with pytest.raises(ValidationError) as refused:
        adoption_record(actor=municipal, standard=standard, status="explain", since=TODAY, reason=" ")
    assert "reason" in refused.value.message_dict
    assert not Adoption.objects.exists()
    adoption = adoption_record(
        actor=municipal,
        standard=standard,
        status="explain",
        since=TODAY,
        reason="Wij gebruiken al een eigen oplossing.",
    )
    assert adoption.reason == "Wij gebruiken al een eigen oplossing."


def test_nobody_records_another_municipality_s_adoption():
    standard = StandardFactory()
    outsider = MembershipFactory()
    target = MembershipFactory().organisation
    partner = MembershipFactory(organisation=OrganisationFactory())
    refused = [
        Actor(organisation=target, user=outsider.user),  # claims another municipality
        Actor(organisation=partner.organisation, user=partner.user),  # partners do not adopt
        Actor(organisation=target, api_key=ApiKeyFactory(organisation=outsider.organisation, write=True)),
        Actor(organisation=target, api_key=ApiKeyFactory(organisation=target)),  # read-only key
    ]
    for actor in refused:
        with pytest.raises(PermissionDenied):
            adoption_record(actor=actor, standard=standard, status="in_use", since=TODAY)
    assert not Adoption.objects.exists()


def test_bad_dates_and_foreign_versions_are_refused(municipal):
    standard = StandardFactory()
    foreign = StandardVersionFactory()
    with pytest.raises(ValidationError):
        adoption_record(actor=municipal, standard=standard, status="in_use", since=TODAY + datetime.timedelta(days=1))
    with pytest.raises(ValidationError):
        adoption_record(actor=municipal, standard=standard, status="in_use", since=TODAY, version=foreign)
    assert not Adoption.objects.exists()
