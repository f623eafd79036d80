"""Attachments: the type is read from the file's first bytes, never from its name or the browser's
claim; only document and image formats that cannot run code in a browser are kept."""

import uuid
import zipfile
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

# Office Open XML and OpenDocument files are zip archives; what is inside names the format.
OOXML = {
    "word/": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xl/": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ppt/": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
ODF = {
    b"application/vnd.oasis.opendocument.text",
    b"application/vnd.oasis.opendocument.spreadsheet",
    b"application/vnd.oasis.opendocument.presentation",
}
# An archive may claim a small size and unpack to gigabytes: its unpacked total is capped too.
MAX_UNPACKED_RATIO = 20


def detect_content_type(file: IO[bytes], size: int) -> str | None:
    """The content type the bytes show, or None for anything not accepted."""
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
            if sum(member.file_size for member in members) > size * MAX_UNPACKED_RATIO:
                return None
            names = [member.filename for member in members]
            if "mimetype" in names and archive.read("mimetype").strip() in ODF:
                return archive.read("mimetype").strip().decode()
            if "[Content_Types].xml" in names:
                for prefix, content_type in OOXML.items():
                    if any(name.startswith(prefix) for name in names):
                        return content_type
    except zipfile.BadZipFile:
        return None
    finally:
        file.seek(0)
    return None


@transaction.atomic
def initiative_attachment_add(
    *, actor: Actor, initiative: Initiative, file: UploadedFile, title: str = ""
) -> InitiativeAttachment:
    initiative = lock_for_editor(actor, initiative)
    limit = settings.SAMENORG_ATTACHMENT_MAX_BYTES
    if file.size is None or file.size > limit:
        raise ValidationError({"file": _("The file is larger than %(limit)s.") % {"limit": filesizeformat(limit)}})
    content_type = detect_content_type(file, file.size)
    if content_type is None:
        raise ValidationError(
            {"file": _("Upload a PDF, an office document (Word, Excel, PowerPoint, OpenDocument), PNG or JPEG.")}
        )
    attachment = InitiativeAttachment(
        initiative=initiative,
        uuid=uuid.uuid4(),
        original_name=(file.name or "bijlage").rsplit("/", 1)[-1][:200],
        content_type=content_type,
        size=file.size,
        title=title.strip(),
    )
    attachment.file.save(str(attachment.uuid), file, save=False)
    attachment.save()
    record(actor, initiative, "initiative.updated", fields=["attachments"])
    return attachment
