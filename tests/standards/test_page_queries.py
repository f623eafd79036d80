"""The adoption pages cost the same queries whether two or all 342 municipalities recorded their
adoption, and the map is built once per change of the register, not per request."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from municipalities.models import Organisation
from standards.models import Adoption
from tests.factories import MembershipFactory, StandardVersionFactory

pytestmark = pytest.mark.django_db
STATUSES = ["planned", "implementing", "in_use", "phased_out", "explain"]


def record(standard, version, organisations):
    Adoption.objects.bulk_create(
        Adoption(
            organisation=organisation,
            standard=standard,
            status=STATUSES[index % len(STATUSES)],
            reason="Eigen oplossing." if STATUSES[index % len(STATUSES)] == "explain" else "",
            version=version if STATUSES[index % len(STATUSES)] in ("implementing", "in_use") else None,
            since=timezone.localdate(),
        )
        for index, organisation in enumerate(organisations)
    )


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("logged_in", [False, True], ids=["anonymous", "member of a municipality"])
def test_the_standard_page_costs_the_same_for_two_or_all_municipalities(client, municipalities, logged_in):
    version = StandardVersionFactory()
    small, large = version.standard, StandardVersionFactory(standard__name="Tweede standaard")
    organisations = list(Organisation.objects.filter(municipality__isnull=False).order_by("pk"))
    assert len(organisations) == 342
    record(small, version, organisations[:2])
    record(large.standard, large, organisations)
    if logged_in:
        client.force_login(MembershipFactory(organisation=organisations[0]).user)

    few = queries(client, small.get_absolute_url())
    all_of_them = queries(client, large.standard.get_absolute_url())

    assert few == all_of_them
    assert all_of_them <= (18 if logged_in else 14)
    # Rendered again, the map comes from the cache: one query fewer (the register's version is read).
    assert queries(client, large.standard.get_absolute_url()) < all_of_them


def test_the_dashboard_costs_the_same_for_two_or_all_municipalities(client, municipalities):
    version = StandardVersionFactory()
    organisations = list(Organisation.objects.filter(municipality__isnull=False).order_by("pk"))
    record(version.standard, version, organisations[:2])
    few = queries(client, reverse("standards:dashboard"))
    record(StandardVersionFactory(standard__name="Tweede").standard, None, organisations)
    assert queries(client, reverse("standards:dashboard")) == few
