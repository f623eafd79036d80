"""The standards pages: list and filters, a standard with its register, recording an adoption,
nominating, the nomination page and the open-data export."""

import csv
import io
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from municipalities.models import Organisation
from standards.models import Adoption, Nomination
from tests.factories import (
    InitiativeFactory,
    MembershipFactory,
    MilestoneFactory,
    NominationFactory,
    OrganisationFactory,
    StandardFactory,
    StandardVersionFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def municipal(code):
    return Organisation.objects.get(municipality__code=code)


def adopt(organisation, standard, status="in_use", **fields):
    return Adoption.objects.create(organisation=organisation, standard=standard, status=status, since=TODAY, **fields)


def test_the_list_filters_on_theme_status_and_adoption_share(client, municipalities):
    wonen, klimaat = ThemeFactory(name="Wonen"), ThemeFactory(name="Klimaat en energie")
    popular, rare = StandardFactory(name="Eén loket"), StandardFactory(name="Warmteplan", status="under_revision")
    popular.themes.set([wonen])
    rare.themes.set([klimaat])
    organisations = list(Organisation.objects.filter(municipality__isnull=False).order_by("pk")[:40])
    for organisation in organisations:  # 40 of 342: 11.7%
        adopt(organisation, popular)
    adopt(organisations[0], rare)

    def names(query):
        response = client.get(reverse("standards:list"), query)
        assert response.status_code == 200
        return [standard.name for standard in response.context["page_obj"]]

    assert names({}) == ["Eén loket", "Warmteplan"]
    assert names({"theme": "wonen"}) == ["Eén loket"]
    assert names({"status": "under_revision"}) == ["Warmteplan"]
    assert names({"minShare": "10"}) == ["Eén loket"]
    assert names({"minShare": "25"}) == []
    assert names({"theme": "onbekend", "minShare": "kapot"}) == ["Eén loket", "Warmteplan"]


def test_a_standard_shows_versions_register_explanations_and_its_map(client, municipalities):
    version = StandardVersionFactory(major=1, minor=0, patch=0)
    standard = version.standard
    StandardVersionFactory(standard=standard, major=1, minor=1, patch=0, changelog="Koppeling **berichtenbox**.")
    member = MembershipFactory(organisation=municipal("GM0344"))
    utrecht = member.organisation
    adopt(utrecht, standard, version=version)
    explained = MembershipFactory(organisation=municipal("GM0363")).organisation
    adopt(explained, standard, status="explain", reason="We wachten op de vervanging van ons zaaksysteem.")
    client.force_login(member.user)

    page = client.get(standard.get_absolute_url()).content.decode()

    assert "<strong>berichtenbox</strong>" in page
    assert "Update beschikbaar: versie 1.1.0." in page
    assert "We wachten op de vervanging van ons zaaksysteem." in page
    assert 'id="adoption-map-' in page
    assert page.count("<path") >= 342


def test_a_member_records_the_adoption_of_their_municipality(client, municipalities):
    version = StandardVersionFactory()
    member = MembershipFactory(organisation=municipal("GM0193"))
    client.force_login(member.user)
    url = reverse("standards:adoption-edit", kwargs={"slug": version.standard.slug})

    refused = client.post(url, {"status": "explain", "since": TODAY.isoformat(), "reason": ""})
    assert refused.status_code == 200
    assert "Leg uit waarom je gemeente deze standaard niet overneemt." in refused.content.decode()
    assert not Adoption.objects.exists()

    response = client.post(url, {"status": "in_use", "since": TODAY.isoformat(), "version": version.pk})
    assert response.status_code == 302
    adoption = Adoption.objects.get()
    assert (adoption.organisation, adoption.status, adoption.version) == (member.organisation, "in_use", version)


def test_someone_without_a_municipality_is_sent_back_with_an_explanation(client):
    standard = StandardFactory()
    partner_member = MembershipFactory(organisation=OrganisationFactory())
    client.force_login(partner_member.user)
    response = client.post(
        reverse("standards:adoption-edit", kwargs={"slug": standard.slug}), {"status": "in_use", "since": "2026-01-01"}
    )
    assert response.status_code == 302
    assert not Adoption.objects.exists()


def test_editors_nominate_a_proven_practice_from_its_page(client):
    member = MembershipFactory()
    initiative = InitiativeFactory(owner=member.organisation, published=True, phase="proven_practice")
    MilestoneFactory(initiative=initiative, achieved=True, title="Tien gemeenten live")
    client.force_login(member.user)
    page = client.get(initiative.get_absolute_url()).content.decode()
    url = reverse("standards:nominate", kwargs={"slug": initiative.slug})
    assert url in page
    assert "Tien gemeenten live" in client.get(url).content.decode()

    response = client.post(
        url,
        {
            "organisations_using": "9",
            "results": "Minder bezwaarschriften.",
            "costs_and_savings": "Eenmalig € 10.000.",
            "reusability": "Open source.",
            "documentation": "https://example.nl/docs",
        },
    )

    nomination = Nomination.objects.get()
    assert response.url == reverse("standards:nomination", kwargs={"pk": nomination.pk})
    detail = client.get(response.url).content.decode()
    assert "Minder bezwaarschriften." in detail
    assert "Tien gemeenten live" in detail


def test_the_nominators_withdraw_from_the_nomination_page(client):
    nomination = NominationFactory()
    member = MembershipFactory(organisation=nomination.initiative.owner)
    client.force_login(member.user)
    client.post(reverse("standards:nomination-withdraw", kwargs={"pk": nomination.pk}))
    nomination.refresh_from_db()
    assert nomination.stage == "withdrawn"


def test_the_register_is_open_data_as_csv_and_json(client, municipalities):
    standard = StandardFactory(name="Eén loket")
    version = StandardVersionFactory(standard=standard)
    utrecht = MembershipFactory(organisation=municipal("GM0344")).organisation
    adopt(utrecht, standard, version=version)
    zwolle = MembershipFactory(organisation=municipal("GM0193")).organisation
    adopt(zwolle, standard, status="explain", reason='=HYPERLINK("x")')

    rows = list(
        csv.DictReader(io.StringIO(b"".join(client.get(reverse("standards:register-csv")).streaming_content).decode()))
    )
    assert [(row["municipalityCode"], row["status"], row["version"]) for row in rows] == [
        ("GM0193", "explain", ""),
        ("GM0344", "in_use", "1.0.0"),
    ]
    assert rows[0]["explanation"].startswith("'=")
    data = json.loads(
        b"".join(client.get(reverse("standards:register-json"), {"standard": standard.slug}).streaming_content)
    )
    assert {row["municipality"] for row in data} == {"Utrecht", "Zwolle"}
    assert data[0]["since"] == TODAY.isoformat()


def test_the_dashboard_counts_every_current_municipality(client, municipalities):
    response = client.get(reverse("standards:dashboard"))
    assert response.status_code == 200
    assert response.context["municipality_count"] == 342


def test_a_municipality_page_lists_its_adoptions(client, municipalities):
    standard = StandardFactory(name="Eén loket")
    utrecht = MembershipFactory(organisation=municipal("GM0344")).organisation
    adopt(utrecht, standard)
    page = client.get(utrecht.municipality.get_absolute_url()).content.decode()
    assert "Eén loket" in page
