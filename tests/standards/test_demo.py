"""The demo standards: taken through the review by the services, with versions and a spread of adoptions."""

import pytest
from django.core.management import call_command

from samenorg.events.models import Event
from standards.models import Adoption, Nomination, Standard

pytestmark = pytest.mark.django_db


def test_the_demo_has_standards_a_review_queue_and_a_realistic_register_once(municipalities):
    call_command("seed_demo")
    events = Event.objects.count()
    call_command("seed_demo")

    assert Event.objects.count() == events, "a second run writes nothing"
    standards = Standard.objects.all()
    assert standards.count() == 3
    assert all([v.number for v in standard.versions.all()] == ["1.1.0", "1.0.0"] for standard in standards)
    stages = sorted(Nomination.objects.values_list("stage", flat=True))
    assert stages == ["adopted", "adopted", "adopted", "consultation", "submitted"]
    for standard in standards:
        statuses = set(Adoption.objects.filter(standard=standard).values_list("status", flat=True))
        assert statuses == {"planned", "implementing", "in_use", "phased_out", "explain"}
        recorded = Adoption.objects.filter(standard=standard).count()
        assert 150 < recorded < 300, "most municipalities, not all, recorded where they stand"
    assert not Adoption.objects.filter(status="explain", reason="").exists()
    assert Adoption.objects.filter(status="in_use", version__isnull=False).exists()
