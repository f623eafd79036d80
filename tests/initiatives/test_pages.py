"""Registering, editing, publishing, moving, archiving and attaching, through the pages."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from initiatives.models import Initiative, InitiativeAttachment
from samenorg.events.models import Event
from tests.factories import InitiativeFactory, MembershipFactory, ThemeFactory, UserFactory
from tests.second_factor import log_in_with_second_factor

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def editor(client):
    membership = MembershipFactory(organisation__municipality__name="Zwolle")
    client.force_login(membership.user)
    return membership


@pytest.fixture
def theme():
    return ThemeFactory(name="Dienstverlening")


def form_data(theme, **changes):
    data = {
        "title": "Wijkteams delen één dossier",
        "summary": "Zorg en welzijn werken vanuit één dossier per huishouden.",
        "description": "## Aanpak\n\nEén dossier.",
        "themes": [theme.pk],
        "tags": "sociaal domein, dossier",
        "roles_sought": ["funder"],
        "phase": "pilot",
        "links-TOTAL_FORMS": "2",
        "links-INITIAL_FORMS": "0",
        "links-0-title": "Broncode",
        "links-0-url": "https://github.com/zwolle/dossier",
    }
    return {**data, **changes}


def test_a_member_registers_a_draft_then_publishes_it(client, editor, theme):
    response = client.post(reverse("initiatives:create"), {**form_data(theme), "organisation": editor.organisation.pk})

    initiative = Initiative.objects.get()
    assert response.status_code == 302
    assert response.url == initiative.get_absolute_url()
    assert (initiative.status, initiative.phase, initiative.owner) == ("draft", "pilot", editor.organisation)
    assert initiative.tags == ["sociaal domein", "dossier"]
    page = client.get(initiative.get_absolute_url()).content.decode()
    assert "<h2>Aanpak</h2>" in page

    client.post(reverse("initiatives:publish", kwargs={"slug": initiative.slug}))
    initiative.refresh_from_db()
    assert initiative.status == "published"
    assert list(Event.objects.values_list("type", flat=True)) == ["initiative.created", "initiative.published"]


def test_errors_keep_what_was_typed_and_are_in_dutch(client, editor, theme):
    response = client.post(
        reverse("initiatives:create"),
        {**form_data(theme, title="", contact_email="geen-adres"), "organisation": editor.organisation.pk},
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert "Dit veld is verplicht." in body
    assert "Voer een geldig e-mailadres in." in body
    assert "Zorg en welzijn werken vanuit één dossier per huishouden." in body
    assert not Initiative.objects.exists()


def test_links_are_edited_in_rows_and_a_half_filled_row_is_explained(client, editor, theme):
    initiative = InitiativeFactory(owner=editor.organisation, published=True)
    url = reverse("initiatives:edit", kwargs={"slug": initiative.slug})

    client.post(url, form_data(theme))
    assert list(initiative.links.values_list("title", "url")) == [("Broncode", "https://github.com/zwolle/dossier")]
    page = client.get(url).content.decode()
    assert 'value="https://github.com/zwolle/dossier"' in page

    response = client.post(url, form_data(theme, **{"links-1-title": "Verslag", "links-0-url": "javascript:alert(1)"}))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Vul zowel de titel als het webadres in, of geen van beide." in body
    assert 'value="Verslag"' in body
    assert list(initiative.links.values_list("url", flat=True)) == ["https://github.com/zwolle/dossier"]

    client.post(url, form_data(theme, **{"links-0-title": "", "links-0-url": ""}))
    assert not initiative.links.exists()
    assert 'rel="noopener noreferrer nofollow"' not in client.get(initiative.get_absolute_url()).content.decode()


def test_one_cannot_register_for_an_organisation_one_does_not_belong_to(client, editor, theme):
    other = MembershipFactory().organisation

    response = client.post(reverse("initiatives:create"), {**form_data(theme), "organisation": other.pk})

    assert response.status_code == 200
    assert response.context["form"].errors["organisation"]
    assert not Initiative.objects.exists()


def test_an_editor_edits_and_changes_the_phase(client, editor, theme):
    initiative = InitiativeFactory(owner=editor.organisation, published=True)

    client.post(
        reverse("initiatives:edit", kwargs={"slug": initiative.slug}), form_data(theme, title="Een dossier per gezin")
    )
    client.post(reverse("initiatives:change-phase", kwargs={"slug": initiative.slug}), {"phase": "implementation"})

    initiative.refresh_from_db()
    assert (initiative.title, initiative.phase) == ("Een dossier per gezin", "implementation")


@pytest.mark.parametrize("who", ["anonymous", "member of another organisation", "facilitator"])
def test_outsiders_neither_see_a_draft_nor_edit_or_publish_it(client, who, theme):
    draft = InitiativeFactory()
    client.logout()
    if who != "anonymous":
        client.force_login(
            MembershipFactory().user if who == "member of another organisation" else UserFactory(facilitator=True)
        )
    slug = {"slug": draft.slug}

    assert client.get(reverse("initiatives:detail", kwargs=slug)).status_code == 404
    assert client.get(reverse("initiatives:edit", kwargs=slug)).status_code in {302, 404}
    assert client.post(reverse("initiatives:publish", kwargs=slug)).status_code in {302, 404}
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_contact_details_are_for_logged_in_visitors_only(client):
    initiative = InitiativeFactory(published=True, contact_name="Sanne Bakker", contact_email="sanne@zwolle.nl")

    anonymous = client.get(initiative.get_absolute_url()).content.decode()
    client.force_login(UserFactory())
    logged_in = client.get(initiative.get_absolute_url()).content.decode()

    assert "sanne@zwolle.nl" not in anonymous
    assert "Sanne Bakker" not in anonymous
    assert "sanne@zwolle.nl" in logged_in


def test_a_facilitator_archives_a_published_initiative_it_stays_readable(client):
    initiative = InitiativeFactory(published=True)
    facilitator = MembershipFactory(user=UserFactory(facilitator=True)).user
    client.force_login(facilitator)

    client.post(reverse("initiatives:archive", kwargs={"slug": initiative.slug}))

    initiative.refresh_from_db()
    assert initiative.status == "archived"
    client.logout()
    assert client.get(initiative.get_absolute_url()).status_code == 200


def office_document(inner: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(inner, "<document/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "accepted"),
    [
        ("plan.pdf", PDF, "application/pdf"),
        ("plan.docx", office_document("word/document.xml"), "application/vnd.openxmlformats-officedocument."),
        ("plan.pdf", b"<html><script>alert(1)</script></html>", None),
        ("plan.pdf.exe", b"MZ\x90\x00 executable", None),
        ("afbeelding.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', None),
        ("archief.zip", office_document("payload.bin"), None),
    ],
)
def test_attachments_are_typed_by_their_content_not_their_name(client, editor, name, content, accepted):
    initiative = InitiativeFactory(owner=editor.organisation, published=True)

    client.post(
        reverse("initiatives:attachment-add", kwargs={"slug": initiative.slug}),
        {"file": SimpleUploadedFile(name, content, content_type="application/pdf"), "title": ""},
    )

    stored = InitiativeAttachment.objects.filter(initiative=initiative)
    if accepted is None:
        assert not stored.exists()
    else:
        assert stored.get().content_type.startswith(accepted)


def test_an_attachment_larger_than_the_limit_is_refused(client, editor, settings):
    settings.SAMENORG_ATTACHMENT_MAX_BYTES = 100
    initiative = InitiativeFactory(owner=editor.organisation)

    client.post(
        reverse("initiatives:attachment-add", kwargs={"slug": initiative.slug}),
        {"file": SimpleUploadedFile("groot.pdf", PDF + b"0" * 200)},
    )

    assert not InitiativeAttachment.objects.exists()


def test_attachments_download_only_where_the_initiative_is_visible(client, editor):
    draft = InitiativeFactory(owner=editor.organisation)
    client.post(
        reverse("initiatives:attachment-add", kwargs={"slug": draft.slug}),
        {"file": SimpleUploadedFile("plan.pdf", PDF), "title": "Plan van aanpak"},
    )
    attachment = InitiativeAttachment.objects.get()
    url = reverse("initiatives:attachment", kwargs={"slug": draft.slug, "uuid": attachment.uuid})

    download = client.get(url)
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith('attachment; filename="plan.pdf"')
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content) == PDF

    client.force_login(MembershipFactory().user)
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 404


def test_an_archive_that_unpacks_to_far_more_than_its_size_is_refused(client, editor):
    initiative = InitiativeFactory(owner=editor.organisation)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "0" * 5_000_000)

    client.post(
        reverse("initiatives:attachment-add", kwargs={"slug": initiative.slug}),
        {"file": SimpleUploadedFile("bom.docx", buffer.getvalue())},
    )

    assert not InitiativeAttachment.objects.exists()


def test_facilitators_archive_from_the_admin_through_the_service(client):
    published = InitiativeFactory(published=True)
    facilitator = MembershipFactory(user=UserFactory(facilitator=True)).user
    log_in_with_second_factor(client, facilitator)

    response = client.post(
        reverse("admin:initiatives_initiative_changelist"),
        {"action": "archive_selected", "_selected_action": [published.pk]},
    )

    assert response.status_code == 302
    published.refresh_from_db()
    assert published.status == "archived"
    assert Event.objects.get(type="initiative.archived").payload["moderation"] is True


def test_the_municipality_page_lists_its_visible_initiatives(client):
    published = InitiativeFactory(published=True, title="Slim laden van deelautos")
    draft = InitiativeFactory(owner=published.owner, title="Nog geheim plan")
    page = reverse("municipalities:detail", kwargs={"slug": published.owner.municipality.slug})

    anonymous = client.get(page).content.decode()
    client.force_login(MembershipFactory(organisation=published.owner).user)
    member = client.get(page).content.decode()

    assert published.title in anonymous
    assert draft.title not in anonymous
    assert draft.title in member
