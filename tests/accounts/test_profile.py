import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_user_edits_their_profile_and_language(client):
    user = UserFactory(name="Anna", language="nl")
    client.force_login(user)

    response = client.post(
        reverse("accounts:profile"), {"name": " Anna de Vries ", "job_title": "Adviseur", "language": "en"}
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.name, user.job_title, user.language) == ("Anna de Vries", "Adviseur", "en")


def test_an_empty_name_or_unknown_language_is_refused_and_nothing_changes(client):
    user = UserFactory(name="Anna", language="nl")
    client.force_login(user)

    response = client.post(reverse("accounts:profile"), {"name": "", "job_title": "", "language": "fr"})

    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"name", "language"}
    assert "Dit veld is verplicht." in response.content.decode()
    user.refresh_from_db()
    assert (user.name, user.language) == ("Anna", "nl")
