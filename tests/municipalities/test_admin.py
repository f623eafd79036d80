import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from municipalities.forms import OrganisationDomainForm
from municipalities.models import Membership, Organisation, OrganisationDomain
from municipalities.models.membership import MembershipRole
from municipalities.models.organisation import OrganisationStatus
from tests.factories import (
    MembershipFactory,
    MembershipRequestFactory,
    MunicipalOrganisationFactory,
    OrganisationDomainFactory,
    OrganisationFactory,
    ProvinceFactory,
    UserFactory,
)
from tests.second_factor import log_in_with_second_factor

pytestmark = pytest.mark.django_db

CHANGELISTS = [
    "admin:municipalities_province_changelist",
    "admin:municipalities_municipality_changelist",
    "admin:municipalities_organisation_changelist",
    "admin:municipalities_organisationdomain_changelist",
    "admin:municipalities_membership_changelist",
    "admin:municipalities_membershiprequest_changelist",
]


def populate(rows):
    ProvinceFactory()
    for _ in range(rows):
        organisation = MunicipalOrganisationFactory()
        OrganisationFactory(requested=True, requested_by=UserFactory())
        MembershipFactory(organisation=organisation, coordinator=True)
        OrganisationDomainFactory(organisation=organisation)
        MembershipRequestFactory(organisation=organisation, declined=True, decided_by=UserFactory())


@pytest.fixture
def facilitator_client(client):
    log_in_with_second_factor(client, UserFactory(facilitator=True))
    return client


@pytest.mark.parametrize("rows", [1, 20])
@pytest.mark.parametrize("url_name", CHANGELISTS)
def test_changelists_load_for_a_facilitator_in_constant_queries(
    facilitator_client, django_assert_max_num_queries, url_name, rows
):
    populate(rows)

    # session, user, permissions, count(s), page, filter choices, whether the person has an authenticator
    # app (the second factor): the same for 1 row or 20
    with django_assert_max_num_queries(8):
        response = facilitator_client.get(reverse(url_name))

    assert response.status_code == 200
    assert response.context["cl"].result_count >= 1


@pytest.mark.parametrize("url_name", CHANGELISTS)
def test_changelists_load_for_a_superuser(client, url_name):
    populate(2)
    log_in_with_second_factor(client, UserFactory(is_superuser=True, is_staff=True))

    assert client.get(reverse(url_name)).status_code == 200


def test_changelists_search_and_filter(facilitator_client):
    organisation = MunicipalOrganisationFactory(municipality__name="Zeist", municipality__code="GM0355")
    MembershipFactory(organisation=organisation, user__email="anna@zeist.nl", coordinator=True)
    MembershipFactory(user__email="piet@utrecht.nl")

    municipalities = facilitator_client.get(
        reverse("admin:municipalities_municipality_changelist"), {"q": "GM0355", "dissolved": "no"}
    )
    memberships = facilitator_client.get(
        reverse("admin:municipalities_membership_changelist"), {"q": "anna@zeist", "role__exact": "coordinator"}
    )

    assert [m.code for m in municipalities.context["cl"].result_list] == ["GM0355"]
    assert [m.user.email for m in memberships.context["cl"].result_list] == ["anna@zeist.nl"]


def test_the_organisation_change_page_loads_with_its_domains_and_members(facilitator_client):
    organisation = MunicipalOrganisationFactory()
    OrganisationDomainFactory(organisation=organisation, domain="zeist.nl")
    MembershipFactory(organisation=organisation, coordinator=True)

    response = facilitator_client.get(reverse("admin:municipalities_organisation_change", args=[organisation.pk]))

    assert response.status_code == 200
    assert "zeist.nl" in response.content.decode()


def test_a_facilitator_appoints_a_coordinator_and_registers_a_domain_in_the_admin(facilitator_client):
    organisation = OrganisationFactory(name="Kadaster", slug="kadaster", website="https://www.kadaster.nl")
    user = UserFactory()
    url = reverse("admin:municipalities_organisation_change", args=[organisation.pk])
    data = {
        "name": "Kadaster",
        "slug": "kadaster",
        "kind": "national_government",
        "website": "https://www.kadaster.nl",
        "description": "",
        "domains-TOTAL_FORMS": "1",
        "domains-INITIAL_FORMS": "0",
        "domains-0-domain": " @Kadaster.NL ",
        "memberships-TOTAL_FORMS": "1",
        "memberships-INITIAL_FORMS": "0",
        "memberships-0-user": str(user.pk),
        "memberships-0-role": "coordinator",
    }

    response = facilitator_client.post(url, data)

    assert response.status_code == 302, response.context["errors"] if response.context else response
    assert list(organisation.domains.values_list("domain", flat=True)) == ["kadaster.nl"]
    assert Membership.objects.get(organisation=organisation).role == MembershipRole.COORDINATOR


def test_a_facilitator_registers_a_domain_in_the_domain_list_in_lowercase(facilitator_client):
    organisation = MunicipalOrganisationFactory()

    response = facilitator_client.post(
        reverse("admin:municipalities_organisationdomain_add"),
        {"domain": "Zeist.NL", "organisation": organisation.pk},
    )

    assert response.status_code == 302
    assert list(organisation.domains.values_list("domain", flat=True)) == ["zeist.nl"]


@pytest.mark.parametrize("domain", ["https://utrecht.nl", "utrecht", "anna@utrecht.nl", "utrecht.nl/pad", "-a.nl"])
def test_an_invalid_domain_gets_a_clear_error(domain):
    form = OrganisationDomainForm(data={"domain": domain, "organisation": MunicipalOrganisationFactory().pk})

    assert not form.is_valid()
    assert "such as utrecht.nl" in form.errors["domain"][0]


def test_the_approve_action_calls_the_service(facilitator_client):
    requester = UserFactory()
    organisation = OrganisationFactory(requested=True, requested_by=requester)

    response = facilitator_client.post(
        reverse("admin:municipalities_organisation_changelist"),
        {"action": "approve_requests", ACTION_CHECKBOX_NAME: [organisation.pk]},
    )

    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.status == OrganisationStatus.ACTIVE
    assert Membership.objects.get(organisation=organisation, user=requester).role == MembershipRole.COORDINATOR


def test_the_decline_action_asks_for_a_reason_first(facilitator_client):
    organisation = OrganisationFactory(requested=True, requested_by=UserFactory())
    url = reverse("admin:municipalities_organisation_changelist")
    selection = {"action": "decline_requests", ACTION_CHECKBOX_NAME: [organisation.pk]}

    asked = facilitator_client.post(url, selection)
    without_reason = facilitator_client.post(url, {**selection, "reason": ""})
    organisation.refresh_from_db()
    assert organisation.status == OrganisationStatus.REQUESTED
    declined = facilitator_client.post(url, {**selection, "reason": "Geen partner van gemeenten."})

    assert asked.status_code == 200
    assert "reason" in asked.content.decode()
    assert without_reason.context["form"].errors["reason"]
    assert declined.status_code == 302
    organisation.refresh_from_db()
    assert (organisation.status, organisation.decision_reason) == (
        OrganisationStatus.DECLINED,
        "Geen partner van gemeenten.",
    )


def test_reference_data_is_read_only_in_the_admin(facilitator_client):
    municipality = MunicipalOrganisationFactory().municipality
    url = reverse("admin:municipalities_municipality_change", args=[municipality.pk])

    response = facilitator_client.get(url)

    assert response.status_code == 200
    assert response.context["has_change_permission"] is False


def test_a_public_mail_provider_cannot_be_registered_as_an_organisations_domain(client):
    organisation = MunicipalOrganisationFactory()
    log_in_with_second_factor(client, UserFactory(facilitator=True))

    response = client.post(
        reverse("admin:municipalities_organisationdomain_add"), {"domain": "Gmail.com", "organisation": organisation.pk}
    )

    assert response.status_code == 200
    assert "gmail.com is a public mail provider" in response.content.decode().lower()
    assert not OrganisationDomain.objects.exists()


def test_a_partner_cannot_take_a_slug_that_is_a_page_of_its_own(client):
    log_in_with_second_factor(client, UserFactory(is_superuser=True, is_staff=True))

    response = client.post(
        reverse("admin:municipalities_organisation_add"),
        {
            "name": "Aanmelden B.V.",
            "slug": "aanmelden",
            "kind": "company",
            "website": "",
            "description": "",
            "domains-TOTAL_FORMS": "0",
            "domains-INITIAL_FORMS": "0",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 200
    assert "is a page of its own" in response.content.decode()
    assert not Organisation.objects.filter(slug="aanmelden").exists()
