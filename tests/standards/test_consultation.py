"""The consultation on a nomination: everyone logged in comments until the closing date, not after."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from collaboration.models import Comment
from collaboration.services.comment import comment_post
from samenorg.core.actors import Actor
from samenorg.events.models import Event
from tests.factories import InitiativeFactory, MembershipFactory, NominationFactory

pytestmark = pytest.mark.django_db
YESTERDAY = timezone.localdate() - datetime.timedelta(days=1)


@pytest.fixture
def commenter():
    membership = MembershipFactory()
    return Actor(organisation=membership.organisation, user=membership.user)


def test_a_comment_in_the_consultation_belongs_to_the_nomination_not_the_thread(client, commenter):
    nomination = NominationFactory(stage="consultation")
    client.force_login(commenter.user)

    response = client.post(
        reverse("standards:nomination-comment", kwargs={"pk": nomination.pk}),
        {"body": "Wij steunen dit **van harte**."},
    )

    comment = Comment.objects.get()
    assert response.url.endswith(f"#reactie-{comment.pk}")
    assert (comment.nomination, comment.initiative) == (nomination, nomination.initiative)
    assert Event.objects.get(type="comment.posted").payload["nomination"] == nomination.pk
    page = client.get(reverse("standards:nomination", kwargs={"pk": nomination.pk})).content.decode()
    assert "<strong>van harte</strong>" in page
    thread = client.get(nomination.initiative.get_absolute_url()).content.decode()
    assert "van harte" not in thread


@pytest.mark.parametrize(
    "nomination",
    [
        pytest.param({"stage": "consultation", "consultation_closes_on": YESTERDAY}, id="closed yesterday"),
        pytest.param({"stage": "intake"}, id="not yet open"),
        pytest.param({"stage": "rejected", "decision_reason": "Onvoldoende bewijs."}, id="decided"),
    ],
)
def test_outside_the_consultation_comments_are_refused_and_kept_in_the_form(client, commenter, nomination):
    nomination = NominationFactory(**nomination)
    with pytest.raises(ValidationError):
        comment_post(actor=commenter, initiative=nomination.initiative, body="Te laat?", nomination=nomination)
    client.force_login(commenter.user)
    response = client.post(reverse("standards:nomination-comment", kwargs={"pk": nomination.pk}), {"body": "Te laat?"})
    assert response.status_code == 200
    assert not Comment.objects.exists()
    assert not Event.objects.exists()


def test_a_consultation_is_about_its_own_initiative(commenter):
    nomination = NominationFactory(stage="consultation")
    with pytest.raises(ValidationError):
        comment_post(
            actor=commenter, initiative=InitiativeFactory(published=True), body="Verkeerd.", nomination=nomination
        )
    assert not Comment.objects.exists()


def test_the_closed_consultation_says_so_on_its_page(client, commenter):
    nomination = NominationFactory(stage="consultation", consultation_closes_on=YESTERDAY)
    client.force_login(commenter.user)
    page = client.get(reverse("standards:nomination", kwargs={"pk": nomination.pk})).content.decode()
    assert "De consultatie is gesloten" in page
    assert reverse("standards:nomination-comment", kwargs={"pk": nomination.pk}) not in page
