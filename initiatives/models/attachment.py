from django.db import models
from django.utils.translation import gettext_lazy as _

from samenorg.core.history import tracked


def attachment_path(attachment: "InitiativeAttachment", filename: str) -> str:
    # The stored name never comes from the uploader: the original name is kept in a field.
    return f"initiatives/{attachment.initiative_id}/{attachment.uuid}"


@tracked(exclude=["file"])
class InitiativeAttachment(models.Model):
    """A document of an initiative. Its type was checked from its content, not its name, and it is
    served only as a download, through a view that applies the initiative's visibility."""

    initiative = models.ForeignKey("initiatives.Initiative", on_delete=models.CASCADE, related_name="attachments")
    uuid = models.UUIDField(unique=True, editable=False)
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    title = models.CharField(_("title"), max_length=200, blank=True)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.title or self.original_name
