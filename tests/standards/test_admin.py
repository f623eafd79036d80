"""The facilitators' review in the admin: each step is a form that calls the same service."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from standards.models import Nomination, Standard
from tests.factories import MembershipFactory, NominationFactory, StandardFactory, StandardVersionFactory, UserFactory
from tests.second_factor import log_in_with_second_factor

pytestmark = pytest.mark.django_db
LATER = timezone.localdate() + datetime.timedelta(days=30)


@pytest.fixture
def facilitator(client):
    user = UserFactory(facilitator=True)
    MembershipFactory(user=user)
    log_in_with_second_factor(client, user)
    return user


def step(client, nomination, **data):
    return client.post(reverse("admin:standards_nomination_step", args=[nomination.pk]), data)


def test_the_review_queue_lists_open_nominations_longest_waiting_first(client, facilitator):
    old = NominationFactory(stage="intake")
    Nomination.objects.filter(pk=old.pk).update(stage_changed_at=timezone.now() - datetime.timedelta(days=40))
    new = NominationFactory()
    NominationFactory(stage="rejected", decision_reason="Onvoldoende bewijs.")

    page = client.get(reverse("admin:standards_nomination_changelist"))

    assert list(page.context["cl"].result_list) == [old, new]
    assert "40" in page.content.decode()


def test_a_facilitator_takes_a_nomination_all_the_way_to_a_standard(client, facilitator):
    nomination = NominationFactory()
    change = client.get(reverse("admin:standards_nomination_change", args=[nomination.pk])).content.decode()
    assert reverse("admin:standards_nomination_step", args=[nomination.pk]) in change

    assert step(client, nomination, to_stage="intake", reason="Dossier compleet.").status_code == 302
    assert step(client, nomination, to_stage="consultation", closes_on=LATER.isoformat()).status_code == 302
    response = step(client, nomination, to_stage="adopted", reason="Bewezen in veertien gemeenten.")

    assert response.status_code == 302
    nomination.refresh_from_db()
    assert nomination.stage == "adopted"
    assert Standard.objects.get().nomination == nomination
    assert list(nomination.transitions.values_list("by", flat=True)) == [facilitator.pk] * 3


def test_a_refused_step_shows_why_and_changes_nothing(client, facilitator):
    nomination = NominationFactory(stage="intake")

    response = step(client, nomination, to_stage="consultation")

    assert response.status_code == 200
    assert "sluitingsdatum na vandaag" in response.content.decode()
    nomination.refresh_from_db()
    assert nomination.stage == "intake"


def test_a_step_not_offered_in_this_stage_is_refused(client, facilitator):
    nomination = NominationFactory()
    response = step(client, nomination, to_stage="adopted", reason="Snel erdoor.")
    assert response.status_code == 200
    assert Nomination.objects.get().stage == "submitted"


def test_versions_are_released_and_standards_withdrawn_from_the_admin(client, facilitator):
    version = StandardVersionFactory(major=1, minor=2, patch=0)
    standard = version.standard
    release = reverse("admin:standards_standard_release", args=[standard.pk])

    refused = client.post(release, {"number": "1.1.9", "released_on": "2026-11-01", "changelog": "Terug."})
    assert "hoger zijn dan 1.2.0" in refused.content.decode()
    client.post(
        release,
        {
            "number": "1.3.0",
            "released_on": "2026-11-01",
            "changelog": "Nieuwe koppeling.",
            "documents": "Handleiding https://example.nl/handleiding.pdf",
        },
    )
    latest = standard.versions.first()
    assert (latest.number, list(latest.documents.values_list("title", "url"))) == (
        "1.3.0",
        [("Handleiding", "https://example.nl/handleiding.pdf")],
    )

    client.post(reverse("admin:standards_standard_withdraw", args=[standard.pk]), {"reason": "Vervangen."})
    standard.refresh_from_db()
    assert standard.status == "withdrawn"


def test_editing_a_standard_goes_through_the_service_and_records_it(client, facilitator):
    standard = StandardFactory(name="Eén loket")
    response = client.post(
        reverse("admin:standards_standard_change", args=[standard.pk]),
        {
            "name": "Eén digitaal loket",
            "description": "Nieuwe beschrijving.",
            "revising": "on",
            "versions-TOTAL_FORMS": "0",
            "versions-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    standard.refresh_from_db()
    assert (standard.name, standard.status) == ("Eén digitaal loket", "under_revision")
    assert standard.events.get().type == "standard.updated"


def test_members_get_no_step_pages(client):
    client.force_login(MembershipFactory().user)
    nomination = NominationFactory()
    assert reverse("admin:login") in step(client, nomination, to_stage="intake").url
    assert Nomination.objects.get().stage == "submitted"
