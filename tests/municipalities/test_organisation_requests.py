import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from municipalities.models import Membership, Organisation
from municipalities.models.membership import MembershipRole
from municipalities.models.organisation import OrganisationKind, OrganisationStatus
from municipalities.services.organisations import organisation_decide, organisation_request
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

REQUEST_URL = reverse("municipalities:organisation-request")
VALID = {
    "name": "Open Data Coöperatie",
    "kind": OrganisationKind.CITIZEN_INITIATIVE,
    "website": "opendata.example.nl",
    "description": "Wij ontsluiten open data.",
    "motivation": "We willen meedoen aan het initiatief over open data.",
}


def request_organisation(**overrides):
    return organisation_request(**{**VALID, "kind": str(VALID["kind"]), "website": "", **overrides})


# Requesting


def test_requesting_needs_a_login(client):
    response = client.get(REQUEST_URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_a_user_requests_a_partner_organisation_and_the_facilitators_hear_of_it(
    client, django_capture_on_commit_callbacks
):
    facilitator = UserFactory(facilitator=True, email="facilitator@vng.nl")
    user = UserFactory(name="Anna de Vries")
    client.force_login(user)
    assert client.get(REQUEST_URL).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(REQUEST_URL, VALID, follow=True)

    organisation = Organisation.objects.get(name="Open Data Coöperatie")
    assert (organisation.status, organisation.requested_by, organisation.kind) == (
        OrganisationStatus.REQUESTED,
        user,
        OrganisationKind.CITIZEN_INITIATIVE,
    )
    assert organisation.slug == "open-data-cooperatie"
    assert organisation.website == "https://opendata.example.nl"
    assert response.redirect_chain[-1][0] == organisation.get_absolute_url()
    assert "A facilitator will review the request" in response.content.decode()
    assert [message.to for message in mail.outbox] == [[facilitator.email]]
    assert "We willen meedoen" in mail.outbox[0].body
    assert reverse("admin:municipalities_organisation_change", args=[organisation.pk]) in mail.outbox[0].body


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", ""),
        ("name", "x" * 201),
        ("kind", OrganisationKind.MUNICIPALITY),
        ("kind", "bank"),
        ("website", "niet een adres"),
        ("motivation", "   "),
    ],
)
def test_invalid_input_gives_a_field_error_and_writes_nothing(client, field, value):
    client.force_login(UserFactory())

    response = client.post(REQUEST_URL, {**VALID, field: value})

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Organisation.objects.exists()


def test_a_name_that_is_already_listed_is_refused(client):
    OrganisationFactory(name="Kadaster")
    client.force_login(UserFactory())

    response = client.post(REQUEST_URL, {**VALID, "name": "kadaster"})

    assert response.context["form"].errors["name"] == ["An organisation with this name is already listed or requested."]
    assert Organisation.objects.count() == 1


def test_a_name_may_be_requested_again_after_a_decline():
    OrganisationFactory(name="Kadaster", slug="kadaster", status=OrganisationStatus.DECLINED)

    organisation = request_organisation(actor=UserFactory(), name="Kadaster")

    assert organisation.slug == "kadaster-2"


def test_a_reserved_address_is_not_given_to_an_organisation():
    assert request_organisation(actor=UserFactory(), name="Aanmelden").slug == "aanmelden-2"


def test_the_service_checks_its_input_itself():
    with pytest.raises(ValidationError) as error:
        request_organisation(actor=UserFactory(), name=" ", kind="municipality", website="ftp://x", motivation="")

    assert set(error.value.message_dict) == {"name", "kind", "website", "motivation"}
    assert not Organisation.objects.exists()


def test_a_user_cannot_pile_up_requests():
    user = UserFactory()
    for number in range(5):
        request_organisation(actor=user, name=f"Organisatie {number}")

    with pytest.raises(ValidationError, match="already have 5 requests"):
        request_organisation(actor=user, name="Organisatie 6")


# Deciding


def test_only_a_facilitator_decides():
    organisation = OrganisationFactory(requested=True, requested_by=UserFactory())
    coordinator = MembershipFactory(coordinator=True).user

    with pytest.raises(PermissionDenied):
        organisation_decide(organisation=organisation, actor=coordinator, approve=True)

    organisation.refresh_from_db()
    assert organisation.status == OrganisationStatus.REQUESTED
    assert not Membership.objects.filter(organisation=organisation).exists()


def test_approving_activates_the_organisation_and_makes_the_requester_its_coordinator(
    django_capture_on_commit_callbacks,
):
    requester = UserFactory(email="anna@opendata.example.nl")
    organisation = OrganisationFactory(requested=True, requested_by=requester, name="Open Data Coöperatie")

    with django_capture_on_commit_callbacks(execute=True):
        organisation_decide(organisation=organisation, actor=UserFactory(facilitator=True), approve=True)

    organisation.refresh_from_db()
    assert organisation.status == OrganisationStatus.ACTIVE
    assert Membership.objects.get(organisation=organisation).user == requester
    assert Membership.objects.get(organisation=organisation).role == MembershipRole.COORDINATOR
    assert [message.to for message in mail.outbox] == [["anna@opendata.example.nl"]]
    assert "Open Data Coöperatie" in mail.outbox[0].subject
    assert organisation.get_absolute_url() in mail.outbox[0].body


def test_declining_needs_a_reason_which_the_requester_reads(django_capture_on_commit_callbacks):
    organisation = OrganisationFactory(requested=True, requested_by=UserFactory())
    facilitator = UserFactory(facilitator=True)

    with pytest.raises(ValidationError) as error:
        organisation_decide(organisation=organisation, actor=facilitator, approve=False, reason=" ")
    assert "reason" in error.value.message_dict
    with django_capture_on_commit_callbacks(execute=True):
        organisation_decide(organisation=organisation, actor=facilitator, approve=False, reason="Geen partner.")

    organisation.refresh_from_db()
    assert (organisation.status, organisation.decision_reason) == (OrganisationStatus.DECLINED, "Geen partner.")
    assert not Membership.objects.exists()
    assert "Geen partner." in mail.outbox[0].body


def test_a_decided_organisation_cannot_be_decided_again():
    organisation = OrganisationFactory()

    with pytest.raises(ValidationError, match="not waiting for a decision"):
        organisation_decide(organisation=organisation, actor=UserFactory(facilitator=True), approve=False, reason="x")


def test_a_superuser_may_decide_like_a_facilitator():
    organisation = OrganisationFactory(requested=True)

    organisation_decide(organisation=organisation, actor=UserFactory(is_superuser=True, is_staff=True), approve=True)

    organisation.refresh_from_db()
    assert organisation.status == OrganisationStatus.ACTIVE


def test_the_database_refuses_a_second_live_organisation_with_the_same_name():
    OrganisationFactory(name="Open Data Coöperatie")

    with pytest.raises(IntegrityError), transaction.atomic():
        OrganisationFactory(name="open data coöperatie", slug="open-data-cooperatie-2")
    OrganisationFactory(name="OPEN DATA COÖPERATIE", slug="open-data-cooperatie-3", status=OrganisationStatus.DECLINED)
