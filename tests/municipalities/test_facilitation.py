import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from municipalities.models import Membership, OrganisationDomain
from municipalities.services.facilitation import (
    membership_delete,
    membership_save,
    organisation_domain_delete,
    organisation_domain_save,
)
from tests.factories import MembershipFactory, MunicipalOrganisationFactory, UserFactory
from tests.second_factor import log_in_with_second_factor

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("who", ["member", "coordinator"])
def test_only_facilitators_register_domains_and_appoint_members(who):
    organisation = MunicipalOrganisationFactory()
    actor = MembershipFactory(organisation=organisation, coordinator=who == "coordinator").user

    with pytest.raises(PermissionDenied):
        organisation_domain_save(actor=actor, domain=OrganisationDomain(organisation=organisation, domain="x.nl"))
    with pytest.raises(PermissionDenied):
        membership_save(actor=actor, membership=Membership(organisation=organisation, user=UserFactory()))
    existing = actor.memberships.get()
    with pytest.raises(PermissionDenied):
        membership_delete(actor=actor, membership=existing)

    assert not OrganisationDomain.objects.exists()
    assert list(Membership.objects.all()) == [existing]


def test_a_facilitator_registers_and_removes_a_domain():
    facilitator = UserFactory(facilitator=True)
    organisation = MunicipalOrganisationFactory()

    domain = organisation_domain_save(
        actor=facilitator, domain=OrganisationDomain(organisation=organisation, domain="utrecht.nl")
    )
    assert OrganisationDomain.objects.get().organisation == organisation

    organisation_domain_delete(actor=facilitator, domain=domain)
    assert not OrganisationDomain.objects.exists()


def test_the_service_refuses_a_public_mail_provider_whoever_calls_it():
    with pytest.raises(ValidationError):
        organisation_domain_save(
            actor=UserFactory(facilitator=True),
            domain=OrganisationDomain(organisation=MunicipalOrganisationFactory(), domain="gmail.com"),
        )
    assert not OrganisationDomain.objects.exists()


def test_a_facilitator_appoints_a_coordinator_in_the_organisation_admin(client):
    log_in_with_second_factor(client, UserFactory(facilitator=True))
    membership = MembershipFactory()
    organisation = membership.organisation

    response = client.post(
        reverse("admin:municipalities_organisation_change", args=[organisation.pk]),
        {
            "website": "",
            "description": "",
            "domains-TOTAL_FORMS": "0",
            "domains-INITIAL_FORMS": "0",
            "memberships-TOTAL_FORMS": "1",
            "memberships-INITIAL_FORMS": "1",
            "memberships-0-id": membership.pk,
            "memberships-0-organisation": organisation.pk,
            "memberships-0-user": membership.user.pk,
            "memberships-0-role": "coordinator",
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    membership.refresh_from_db()
    assert membership.role == "coordinator"
