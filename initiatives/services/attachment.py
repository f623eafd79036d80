"""Attachments: the type is read from the file's first bytes, never from its name or the browser's
claim; only document and image formats that cannot run code in a browser are kept.

Refused, with nothing stored: HTML, SVG, XML, scripts, executables, plain text (whose type cannot be
read from its content, and which HTML and SVG are), plain zip archives, office documents with macros,
archives that unpack to far more than their size or hold too many parts, and a name whose extension
does not match the content (``report.pdf.html``). The uploader's file name is only a display name,
cleaned of paths and control characters; the stored file is named by a random UUID."""

import unicodedata
import uuid
import zipfile
import zlib
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from initiatives.models import Initiative, InitiativeAttachment
from initiatives.services.initiative import lock_for_editor, record
from samenorg.core.actors import Actor

# Every accepted content type, with the extensions a file of that type may have. Nothing outside this
# list is stored, and a download is only ever served with one of these types.
ACCEPTED = {
    "application/pdf": ("pdf",),
    "image/png": ("png",),
    "image/jpeg": ("jpg", "jpeg"),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ("docx",),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ("xlsx",),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": ("pptx",),
    "application/vnd.oasis.opendocument.text": ("odt",),
    "application/vnd.oasis.opendocument.spreadsheet": ("ods",),
    "application/vnd.oasis.opendocument.presentation": ("odp",),
}
# Office Open XML and OpenDocument files are zip archives; what is inside names the format.
OOXML = {
    "word/": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xl/": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ppt/": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
ODF = {content_type for content_type in ACCEPTED if content_type.startswith("application/vnd.oasis.")}
# Macros: VBA projects in Office Open XML, Basic and other scripts in OpenDocument.
MACRO_PROJECT = "vbaProject.bin"
MACRO_FOLDERS = ("Basic/", "Scripts/")
# An archive may claim a small size and unpack to gigabytes (a zip bomb): its unpacked total is capped
# at this many times its size, and a document of many thousands of parts is not a document.
MAX_UNPACKED_RATIO = 20
MAX_ARCHIVE_ENTRIES = 5000
# zipfile raises these, besides BadZipFile, on archives that are broken or made to mislead.
BROKEN_ARCHIVE = (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError, ValueError, RuntimeError)
FALLBACK_NAME = "bijlage"
MAX_NAME_LENGTH = 200


def detect_content_type(file: IO[bytes], size: int) -> str | None:
    """The content type the bytes show, or None for anything not accepted.

    Raises ValidationError for an office document that is refused for what it holds (macros, a zip bomb)."""
    file.seek(0)
    head = file.read(8)
    file.seek(0)
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"PK\x03\x04"):
        return _office_type(file, size)
    return None


def _office_type(file: IO[bytes], size: int) -> str | None:
    try:
        with zipfile.ZipFile(file) as archive:
            members = archive.infolist()
            if len(members) > MAX_ARCHIVE_ENTRIES:
                raise ValidationError(_("The document consists of too many parts to be a document."))
            if sum(member.file_size for member in members) > size * MAX_UNPACKED_RATIO:
                raise ValidationError(_("The document unpacks to far more than its size; it is refused."))
            names = [member.filename for member in members]
            if any(name.endswith(MACRO_PROJECT) or name.startswith(MACRO_FOLDERS) for name in names):
                raise ValidationError(_("Documents with macros are refused; save it without macros."))
            if "mimetype" in names:
                with archive.open("mimetype") as declared:
                    mimetype = declared.read(100).strip().decode("ascii", errors="replace")
                return mimetype if mimetype in ODF else None
            if "[Content_Types].xml" in names:
                for prefix, content_type in OOXML.items():
                    if any(name.startswith(prefix) for name in names):
                        return content_type
    except BROKEN_ARCHIVE:
        return None
    finally:
        file.seek(0)
    return None


def display_name(raw: str | None) -> str:
    """The uploader's file name, safe to show and to send in a Content-Disposition header: no folders,
    no control or invisible formatting characters (a right-to-left override can make ``fdp.exe`` read as
    ``exe.pdf``), no leading dots, at most 200 characters with the extension kept."""
    name = unicodedata.normalize("NFC", raw or "").replace("\\", "/").rsplit("/", 1)[-1]
    # Line breaks and tabs become spaces; other control and formatting characters go.
    name = "".join(" " if char.isspace() else char for char in name if not _invisible(char))
    name = " ".join(name.split())
    stem, dot, extension = name.rpartition(".")
    if not dot:
        stem, extension = name, ""
    stem = stem.lstrip(". ") or FALLBACK_NAME
    suffix = f".{extension}" if extension else ""
    return stem[: MAX_NAME_LENGTH - len(suffix)].rstrip() + suffix


def _invisible(char: str) -> bool:
    return not char.isspace() and unicodedata.category(char).startswith("C")


def _extension(name: str) -> str:
    stem, dot, extension = name.rpartition(".")
    return extension.lower() if dot and stem else ""


@transaction.atomic
def initiative_attachment_add(
    *, actor: Actor, initiative: Initiative, file: UploadedFile, title: str = ""
) -> InitiativeAttachment:
    initiative = lock_for_editor(actor, initiative)
    limit = settings.SAMENORG_ATTACHMENT_MAX_BYTES
    if file.size is None or file.size > limit:
        raise ValidationError({"file": _("The file is larger than %(limit)s.") % {"limit": filesizeformat(limit)}})
    try:
        content_type = detect_content_type(file, file.size)
    except ValidationError as refused:
        raise ValidationError({"file": refused.messages}) from None
    if content_type is None:
        raise ValidationError(
            {"file": _("Upload a PDF, an office document (Word, Excel, PowerPoint, OpenDocument), PNG or JPEG.")}
        )
    name = display_name(file.name)
    extensions = ACCEPTED[content_type]
    if _extension(name) not in extensions:
        raise ValidationError(
            {
                "file": _("The file name %(name)s does not match its content: give it a name ending in .%(ext)s.")
                % {"name": name, "ext": extensions[0]}
            }
        )
    attachment = InitiativeAttachment(
        initiative=initiative,
        uuid=uuid.uuid4(),
        original_name=name,
        content_type=content_type,
        size=file.size,
        title=title.strip(),
    )
    attachment.file.save(str(attachment.uuid), file, save=False)
    attachment.save()
    record(actor, initiative, "initiative.updated", fields=["attachments"])
    return attachment
