from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from municipalities.models import Membership, MembershipRequest
from municipalities.services.membership import (
    membership_grant_for_verified_email,
    membership_request,
    membership_request_decide,
)
from tests.factories import (
    MembershipFactory,
    MembershipRequestFactory,
    MunicipalOrganisationFactory,
    OrganisationDomainFactory,
    UserFactory,
)
from tests.second_factor import log_in_with_second_factor

pytestmark = pytest.mark.django_db


@pytest.fixture
def utrecht():
    return MunicipalOrganisationFactory(municipality__name="Utrecht", municipality__code="GM0344")


@pytest.fixture
def coordinator(utrecht):
    return MembershipFactory(organisation=utrecht, coordinator=True, user__email="anna@utrecht.nl").user


@pytest.fixture
def facilitator():
    return UserFactory(facilitator=True, email="fenna@vng.nl")


def test_a_request_mails_the_coordinators_and_shows_in_their_overview(
    client, utrecht, coordinator, django_capture_on_commit_callbacks
):
    requester = UserFactory(name="Daan Peters", email="daan@detachering.example")
    client.force_login(requester)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:membership-request", kwargs={"slug": utrecht.slug}),
            {"motivation": "Ik ben projectleider Omgevingswet."},
        )

    assert response.status_code == 302
    request = MembershipRequest.objects.get(user=requester, organisation=utrecht)
    assert request.status == "pending"
    assert [m.to for m in mail.outbox] == [["anna@utrecht.nl"]]
    assert "Daan Peters" in mail.outbox[0].subject
    assert reverse("accounts:membership-decide", kwargs={"pk": request.pk}) in mail.outbox[0].body
    client.force_login(coordinator)
    overview = client.get(reverse("accounts:overview"))
    assert list(overview.context["requests_to_decide"]) == [request]


def test_without_a_coordinator_the_facilitators_are_mailed(utrecht, facilitator, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        membership_request(actor=UserFactory(), organisation=utrecht, motivation="Graag")

    assert [m.to for m in mail.outbox] == [["fenna@vng.nl"]]


def test_asking_twice_is_refused_with_a_clear_message(client, utrecht):
    requester = UserFactory()
    MembershipRequestFactory(user=requester, organisation=utrecht)
    client.force_login(requester)

    response = client.post(
        reverse("accounts:membership-request", kwargs={"slug": utrecht.slug}), {"motivation": "Nogmaals"}
    )

    assert response.status_code == 200
    assert "al gevraagd" in response.content.decode()
    assert MembershipRequest.objects.filter(user=requester).count() == 1


def test_an_empty_motivation_is_refused_and_nothing_is_stored(client, utrecht):
    client.force_login(UserFactory())

    response = client.post(reverse("accounts:membership-request", kwargs={"slug": utrecht.slug}), {"motivation": " "})

    assert response.status_code == 200
    assert response.context["form"].errors["motivation"]
    assert not MembershipRequest.objects.exists()


def test_a_member_cannot_ask_again(utrecht):
    member = MembershipFactory(organisation=utrecht).user
    with pytest.raises(ValidationError):
        membership_request(actor=member, organisation=utrecht, motivation="Graag")


def test_the_coordinator_approves_and_the_requester_hears_of_it(
    client, utrecht, coordinator, django_capture_on_commit_callbacks
):
    request = MembershipRequestFactory(organisation=utrecht, user__email="daan@detachering.example")
    client.force_login(coordinator)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:membership-decide", kwargs={"pk": request.pk}), {"decision": "approve"}
        )

    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == "approved"
    assert request.decided_by == coordinator
    assert Membership.objects.filter(user=request.user, organisation=utrecht, role="member").exists()
    assert [m.to for m in mail.outbox] == [["daan@detachering.example"]]
    assert "lid van Gemeente Utrecht" in mail.outbox[0].subject


def test_a_decline_needs_a_reason_which_the_requester_reads(
    client, utrecht, coordinator, django_capture_on_commit_callbacks
):
    request = MembershipRequestFactory(organisation=utrecht)
    client.force_login(coordinator)
    url = reverse("accounts:membership-decide", kwargs={"pk": request.pk})

    without_reason = client.post(url, {"decision": "decline", "reason": ""})
    assert without_reason.status_code == 200
    assert without_reason.context["form"].errors["reason"]
    request.refresh_from_db()
    assert request.status == "pending"

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"decision": "decline", "reason": "Je werkt niet (meer) voor de gemeente."})
    request.refresh_from_db()
    assert request.status == "declined"
    assert not Membership.objects.filter(user=request.user).exists()
    assert "niet (meer) voor de gemeente" in mail.outbox[-1].body


def test_the_decision_mail_is_in_the_requesters_language(utrecht, coordinator, django_capture_on_commit_callbacks):
    request = MembershipRequestFactory(organisation=utrecht, user__language="en")

    with django_capture_on_commit_callbacks(execute=True):
        membership_request_decide(membership_request=request, actor=coordinator, approve=True)

    assert mail.outbox[-1].subject.endswith("You are now a member of Gemeente Utrecht")


@pytest.mark.parametrize("who", ["stranger", "member", "coordinator_elsewhere", "facilitator"])
def test_only_a_coordinator_may_decide_when_there_is_one(client, utrecht, coordinator, who):
    request = MembershipRequestFactory(organisation=utrecht)
    actor = {
        "stranger": lambda: UserFactory(),
        "member": lambda: MembershipFactory(organisation=utrecht).user,
        "coordinator_elsewhere": lambda: MembershipFactory(coordinator=True).user,
        "facilitator": lambda: UserFactory(facilitator=True),
    }[who]()

    with pytest.raises(PermissionDenied):
        membership_request_decide(membership_request=request, actor=actor, approve=True)
    client.force_login(actor)
    response = client.post(reverse("accounts:membership-decide", kwargs={"pk": request.pk}), {"decision": "approve"})
    assert response.status_code == 404
    request.refresh_from_db()
    assert request.status == "pending"


def test_a_facilitator_decides_for_an_organisation_without_coordinator(utrecht, facilitator):
    request = MembershipRequestFactory(organisation=utrecht)

    membership_request_decide(membership_request=request, actor=facilitator, approve=True)

    assert Membership.objects.filter(user=request.user, organisation=utrecht).exists()


def test_a_decided_request_cannot_be_decided_again(utrecht, coordinator):
    request = MembershipRequestFactory(organisation=utrecht)
    membership_request_decide(membership_request=request, actor=coordinator, approve=False, reason="Onbekend")

    with pytest.raises(ValidationError):
        membership_request_decide(membership_request=request, actor=coordinator, approve=True)
    assert not Membership.objects.filter(user=request.user).exists()


def test_the_overview_costs_the_same_queries_for_one_or_many_rows(
    client, utrecht, coordinator, django_assert_max_num_queries
):
    client.force_login(coordinator)
    MembershipRequestFactory(organisation=utrecht)
    with django_assert_max_num_queries(12) as one:
        client.get(reverse("accounts:overview"))
    for _ in range(15):
        MembershipRequestFactory(organisation=utrecht)
        MembershipFactory(user=coordinator)
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(reverse("accounts:overview"))
    assert len(response.context["requests_to_decide"]) == 16


def test_the_admin_offers_the_decision_page_only_to_whoever_may_decide(client, utrecht, facilitator):
    request = MembershipRequestFactory(organisation=utrecht)
    admin_url = reverse("admin:municipalities_membershiprequest_change", args=[request.pk])
    decide_url = reverse("accounts:membership-decide", kwargs={"pk": request.pk})
    log_in_with_second_factor(client, facilitator)

    assert decide_url in client.get(admin_url).content.decode()
    assert client.get(decide_url).status_code == 200, "Utrecht has no coordinator, so the facilitator decides"

    MembershipFactory(organisation=utrecht, coordinator=True)
    assert decide_url not in client.get(admin_url).content.decode()


def test_a_dissolved_municipality_takes_no_members_by_request_or_by_domain(utrecht):
    successor = MunicipalOrganisationFactory()
    utrecht.municipality.dissolved_on = "2026-01-01"
    utrecht.municipality.successor = successor.municipality
    utrecht.municipality.save()
    OrganisationDomainFactory(organisation=utrecht, domain="oud-utrecht.nl")
    user = UserFactory(email="iemand@oud-utrecht.nl")

    with pytest.raises(ValidationError, match="neemt geen nieuwe leden aan"):
        membership_request(actor=user, organisation=utrecht, motivation="Graag")
    assert membership_grant_for_verified_email(user=user, email=user.email) == []
    assert not Membership.objects.filter(user=user).exists()


def test_a_motivation_longer_than_the_limit_is_refused(client, utrecht):
    client.force_login(UserFactory())

    response = client.post(
        reverse("accounts:membership-request", kwargs={"slug": utrecht.slug}), {"motivation": "x" * 2001}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["motivation"]
    assert not MembershipRequest.objects.exists()


def test_one_person_cannot_flood_coordinators_with_requests():
    requester = UserFactory()
    for _ in range(5):
        MembershipRequestFactory(user=requester)

    with pytest.raises(ValidationError, match="wachten op een besluit"):
        membership_request(actor=requester, organisation=MunicipalOrganisationFactory(), motivation="Graag")
    assert MembershipRequest.objects.filter(user=requester).count() == 5


def test_after_a_decline_the_same_organisation_can_be_asked_again_only_a_week_later(utrecht, coordinator):
    request = MembershipRequestFactory(organisation=utrecht)
    membership_request_decide(membership_request=request, actor=coordinator, approve=False, reason="Onbekend")

    with pytest.raises(ValidationError, match="minder dan een week geleden"):
        membership_request(actor=request.user, organisation=utrecht, motivation="Toch wel")

    MembershipRequest.objects.filter(pk=request.pk).update(decided_at=timezone.now() - timedelta(days=8))
    assert membership_request(actor=request.user, organisation=utrecht, motivation="Toch wel").status == "pending"


def test_a_deactivated_coordinator_leaves_the_decision_to_the_facilitators(
    utrecht, coordinator, facilitator, django_capture_on_commit_callbacks
):
    coordinator.is_active = False
    coordinator.save()

    with django_capture_on_commit_callbacks(execute=True):
        request = membership_request(actor=UserFactory(), organisation=utrecht, motivation="Graag")

    assert [m.to for m in mail.outbox] == [[facilitator.email]]
    membership_request_decide(membership_request=request, actor=facilitator, approve=True)
    assert Membership.objects.filter(user=request.user, organisation=utrecht).exists()


def test_plain_text_mail_is_not_html_escaped_and_the_html_part_is(
    utrecht, coordinator, django_capture_on_commit_callbacks
):
    requester = UserFactory(name="Jan O'Brien & Zn")
    with django_capture_on_commit_callbacks(execute=True):
        membership_request(actor=requester, organisation=utrecht, motivation="Ik <3 open source")

    message = mail.outbox[0]
    assert message.subject.startswith("[Samen Organiseren] Jan O'Brien & Zn vraagt")
    assert "Ik <3 open source" in message.body
    html = message.alternatives[0][0]
    assert "Ik &lt;3 open source" in html
    assert "<3" not in html
