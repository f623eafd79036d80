from uuid import UUID

from django.http import FileResponse, HttpRequest
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from initiatives.models import Initiative, InitiativeAttachment
from initiatives.services.attachment import ACCEPTED, display_name

# Even if a browser were to render the file, it runs nothing, loads nothing and cannot be framed.
DOWNLOAD_POLICY = "default-src 'none'; frame-ancestors 'none'; sandbox"


@require_GET
def attachment_download(request: HttpRequest, slug: str, uuid: UUID) -> FileResponse:
    """Only as a download, only to those who may see the initiative, only with an accepted type."""
    attachment = get_object_or_404(
        InitiativeAttachment.objects.filter(initiative__in=Initiative.objects.visible_to(request.user)),
        initiative__slug=slug,
        uuid=uuid,
    )
    content_type = attachment.content_type if attachment.content_type in ACCEPTED else "application/octet-stream"
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=display_name(attachment.original_name),
        content_type=content_type,
    )
    response["Content-Security-Policy"] = DOWNLOAD_POLICY
    response["X-Content-Type-Options"] = "nosniff"
    return response
