"""Attachments against upload tricks: only documents and images whose type the content shows, under a
name that matches it, never unpacking to a bomb; served only as a download through the view that
applies visibility, with headers that keep a browser from rendering or framing it."""

import io
import uuid
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import Resolver404, resolve, reverse

from initiatives.models import InitiativeAttachment
from initiatives.services.attachment import MAX_ARCHIVE_ENTRIES, display_name
from tests.factories import InitiativeFactory, MembershipFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 20
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(1)</script></svg>'
HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"
MISMATCH = "De bestandsnaam {} past niet bij de inhoud: geef het bestand een naam die eindigt op .{}."
NOT_ACCEPTED = "Upload een pdf, een kantoordocument (Word, Excel, PowerPoint, OpenDocument), PNG of JPEG."


def archive(*entries: tuple[str, bytes | str], compression: int = zipfile.ZIP_STORED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as packed:
        for name, content in entries:
            packed.writestr(name, content)
    return buffer.getvalue()


def word(*extra: tuple[str, bytes | str]) -> bytes:
    return archive(("[Content_Types].xml", "<Types/>"), ("word/document.xml", "<document/>"), *extra)


@pytest.fixture
def editor(client):
    membership = MembershipFactory(organisation__municipality__name="Zwolle")
    client.force_login(membership.user)
    return membership


@pytest.fixture
def initiative(editor):
    return InitiativeFactory(owner=editor.organisation, published=True)


def upload(client: Client, initiative, name: str, content: bytes, content_type: str = "application/pdf"):
    return client.post(
        reverse("initiatives:attachment-add", kwargs={"slug": initiative.slug}),
        {"file": SimpleUploadedFile(name, content, content_type=content_type), "title": ""},
        follow=True,
    )


def raw_upload(client: Client, initiative, filename: bytes, content: bytes):
    """A multipart body written by hand, so that the file name reaches the server exactly as given
    (Django's test client would take the base name of it first)."""
    boundary = b"----samenorg-boundary"
    body = b"".join(
        [
            b"--" + boundary + b"\r\n",
            b'Content-Disposition: form-data; name="file"; filename="' + filename + b'"\r\n',
            b"Content-Type: application/pdf\r\n\r\n",
            content,
            b"\r\n--" + boundary + b"--\r\n",
        ]
    )
    return client.generic(
        "POST",
        reverse("initiatives:attachment-add", kwargs={"slug": initiative.slug}),
        body,
        content_type=f"multipart/form-data; boundary={boundary.decode()}",
    )


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def test_a_document_whose_name_matches_its_content_is_kept(client, initiative):
    response = upload(client, initiative, "Plan van aanpak.pdf", PDF)

    assert messages_of(response) == ["De bijlage is toegevoegd."]
    attachment = InitiativeAttachment.objects.get(initiative=initiative)
    assert (attachment.original_name, attachment.content_type) == ("Plan van aanpak.pdf", "application/pdf")
    assert attachment.file.name == f"initiatives/{initiative.pk}/{attachment.uuid}"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        # A double extension: the content is a real PDF or PNG, the name would make it a page or an image that runs.
        (
            "report.pdf.html",
            PDF,
            MISMATCH.format("report.pdf.html", "pdf"),
        ),
        (
            "image.png.svg",
            PNG,
            MISMATCH.format("image.png.svg", "png"),
        ),
        ("image.png.svg", SVG, NOT_ACCEPTED),
        # The browser says PDF and the name says PDF; the content is a web page.
        ("plan.pdf", HTML, NOT_ACCEPTED),
        ("pagina.html", HTML, NOT_ACCEPTED),
        ("tekening.svg", SVG, NOT_ACCEPTED),
        ("gegevens.xml", b'<?xml version="1.0"?><a/>', NOT_ACCEPTED),
        ("script.js", b"window.location='https://evil.example'", NOT_ACCEPTED),
        ("setup.exe", b"MZ\x90\x00\x03\x00\x00\x00", NOT_ACCEPTED),
        ("run.sh", b"#!/bin/sh\nrm -rf /\n", NOT_ACCEPTED),
        # Text has no signature to read its type from, and HTML and SVG are text: it is refused.
        ("notities.txt", b"Gewoon wat tekst.", NOT_ACCEPTED),
        ("lijst.csv", b"naam,gemeente\nAnna,Zwolle\n", NOT_ACCEPTED),
        # A plain zip archive is not a document, whatever it is called.
        ("archief.zip", archive(("payload.exe", b"MZ")), NOT_ACCEPTED),
        ("archief.docx", archive(("payload.exe", b"MZ")), NOT_ACCEPTED),
        ("stuk.docx", b"PK\x03\x04 a broken archive", NOT_ACCEPTED),
        (
            "macro.docx",
            word(("word/vbaProject.bin", b"\xd0\xcf\x11\xe0")),
            "Documenten met macro's worden geweigerd; sla het op zonder macro's.",
        ),
        (
            "macro.odt",
            archive(("mimetype", "application/vnd.oasis.opendocument.text"), ("Basic/Standard/Module1.xml", "<m/>")),
            "Documenten met macro's worden geweigerd; sla het op zonder macro's.",
        ),
    ],
)
def test_upload_tricks_are_refused_with_a_clear_message_and_nothing_stored(client, initiative, name, content, message):
    response = upload(client, initiative, name, content)

    assert response.status_code == 200
    assert messages_of(response) == [message]
    assert not InitiativeAttachment.objects.exists()


def test_an_archive_that_unpacks_to_far_more_than_its_size_is_refused(client, initiative):
    bomb = archive(
        ("[Content_Types].xml", "<Types/>"),
        ("word/document.xml", "0" * 5_000_000),
        compression=zipfile.ZIP_DEFLATED,
    )

    response = upload(client, initiative, "bom.docx", bomb)

    assert messages_of(response) == ["Het document pakt uit tot veel meer dan zijn grootte; het wordt geweigerd."]
    assert not InitiativeAttachment.objects.exists()


def test_a_document_of_too_many_parts_is_refused(client, initiative):
    parts = [(f"word/media/{number}.xml", "") for number in range(MAX_ARCHIVE_ENTRIES)]

    response = upload(client, initiative, "onderdelen.docx", word(*parts))

    assert messages_of(response) == ["Het document bestaat uit te veel onderdelen om een document te zijn."]
    assert not InitiativeAttachment.objects.exists()


def test_office_documents_of_each_kind_are_kept_under_their_own_name(client, initiative):
    odt = archive(("mimetype", "application/vnd.oasis.opendocument.text"), ("content.xml", "<office/>"))

    upload(client, initiative, "begroting.docx", word())
    upload(client, initiative, "verslag.odt", odt)

    assert sorted(InitiativeAttachment.objects.values_list("original_name", "content_type")) == [
        ("begroting.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("verslag.odt", "application/vnd.oasis.opendocument.text"),
    ]


def test_a_file_over_the_limit_is_refused_without_an_error_page(client, initiative, settings):
    settings.SAMENORG_ATTACHMENT_MAX_BYTES = 1000

    response = upload(client, initiative, "groot.pdf", PDF + b"0" * 5_000_000)

    assert response.status_code == 200
    assert messages_of(response) == ["Het bestand is groter dan 1000\xa0bytes."]
    assert not InitiativeAttachment.objects.exists()


def test_a_request_with_form_fields_over_django_s_limit_is_a_bad_request_not_a_server_error(
    client, initiative, settings
):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000

    response = client.post(
        reverse("initiatives:attachment-add", kwargs={"slug": initiative.slug}),
        {"file": SimpleUploadedFile("plan.pdf", PDF), "title": "x" * 50_000},
    )

    assert response.status_code == 400
    assert not InitiativeAttachment.objects.exists()


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        (b"../../x.pdf", "x.pdf"),
        (b"..\\..\\windows\\x.pdf", "x.pdf"),
        (b"/etc/passwd.pdf", "passwd.pdf"),
        (b"pl\x00an\x1b.pdf", "plan.pdf"),
        ("factuur\u202egnp.pdf".encode(), "factuurgnp.pdf"),
        (b"&lt;script&gt;.pdf", "<script>.pdf"),
    ],
)
def test_the_uploader_s_file_name_is_only_a_cleaned_display_name(client, initiative, sent, kept):
    raw_upload(client, initiative, sent, PDF)

    attachment = InitiativeAttachment.objects.get()
    assert attachment.original_name == kept
    assert attachment.file.name == f"initiatives/{initiative.pk}/{attachment.uuid}"


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("../../x.pdf", "x.pdf"),
        ("C:\\Users\\anna\\plan.pdf", "plan.pdf"),
        ("plan\x00.pdf", "plan.pdf"),
        ("plan\r\nSet-Cookie: a=b.pdf", "plan Set-Cookie: a=b.pdf"),
        ("rapport\u202efdp.exe", "rapportfdp.exe"),
        ("zero\u200bwidth.pdf", "zerowidth.pdf"),
        ("...hidden.pdf", "hidden.pdf"),
        (".pdf", "bijlage.pdf"),
        ("", "bijlage"),
        (None, "bijlage"),
        ("a" * 300 + ".pdf", "a" * 196 + ".pdf"),
    ],
)
def test_display_name_keeps_no_folders_control_characters_or_leading_dots(raw, shown):
    assert display_name(raw) == shown


def stored(initiative, *, name: str, content: bytes, content_type: str) -> InitiativeAttachment:
    """An attachment as an older version or a slip in the database might have left it."""
    attachment = InitiativeAttachment(
        initiative=initiative, uuid=uuid.uuid4(), original_name=name, content_type=content_type, size=len(content)
    )
    attachment.file.save(str(attachment.uuid), ContentFile(content), save=False)
    attachment.save()
    return attachment


def download(client: Client, attachment: InitiativeAttachment):
    return client.get(
        reverse("initiatives:attachment", kwargs={"slug": attachment.initiative.slug, "uuid": attachment.uuid})
    )


def test_a_download_is_an_attachment_that_no_browser_renders_or_frames(client, initiative):
    upload(client, initiative, "plan.pdf", PDF)

    response = download(client, InitiativeAttachment.objects.get())

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="plan.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Content-Security-Policy"] == "default-src 'none'; frame-ancestors 'none'; sandbox"
    assert b"".join(response.streaming_content) == PDF


@pytest.mark.parametrize("content_type", ["text/html", "image/svg+xml", "application/javascript", "text/xml"])
def test_a_stored_type_that_a_browser_would_run_is_served_as_plain_bytes(client, initiative, content_type):
    attachment = stored(initiative, name="pagina.html", content=HTML, content_type=content_type)

    response = download(client, attachment)

    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")


def test_a_stored_name_with_a_line_break_downloads_under_a_clean_name(client, initiative):
    attachment = stored(
        initiative, name="plan\r\nSet-Cookie: sessionid=x.pdf", content=PDF, content_type="application/pdf"
    )

    response = download(client, attachment)

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="plan Set-Cookie: sessionid=x.pdf"'
    assert "sessionid" not in response.cookies


@pytest.mark.parametrize("debug", [False, True])
def test_uploads_are_never_served_from_the_media_url(client, initiative, settings, debug):
    settings.DEBUG = debug
    upload(client, initiative, "plan.pdf", PDF)
    attachment = InitiativeAttachment.objects.get()

    for path in (f"{settings.MEDIA_URL}{attachment.file.name}", f"/media/initiatives/{initiative.pk}/"):
        with pytest.raises(Resolver404):
            resolve(path)
        assert client.get(path).status_code == 404


def test_the_upload_form_offers_only_the_accepted_kinds(client, initiative):
    page = client.get(initiative.get_absolute_url()).content.decode()

    assert 'accept=".pdf,.png,.jpg,.jpeg,.docx,.xlsx,.pptx,.odt,.ods,.odp"' in page
