from uuid import UUID

from django.http import FileResponse, HttpRequest
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from initiatives.models import Initiative, InitiativeAttachment


@require_GET
def attachment_download(request: HttpRequest, slug: str, uuid: UUID) -> FileResponse:
    """Only as a download, only to those who may see the initiative."""
    attachment = get_object_or_404(
        InitiativeAttachment.objects.filter(initiative__in=Initiative.objects.visible_to(request.user)),
        initiative__slug=slug,
        uuid=uuid,
    )
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
