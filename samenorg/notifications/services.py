"""What a person does with their notifications: read one, read all, and choose how often they hear of what
they follow by default. Each acts on the person's own rows only and is safe to repeat (a second click, a
second tab). Reading is private, like following: these record no event."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samenorg.accounts.models import Frequency, User

from .models import Notification


def notification_mark_read(*, user: User, notification: Notification) -> Notification:
    """``user`` has read ``notification`` (theirs only). Reading it again keeps the first moment."""
    if notification.user_id != user.pk:
        raise PermissionDenied(_("This notification is not yours."))
    if notification.read_at is None:
        now = timezone.now()
        # Only an unread row is stamped, so two requests at once keep the first moment.
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now)
        notification.refresh_from_db(fields=["read_at"])
    return notification


def notification_mark_all_read(*, user: User) -> int:
    """``user`` has read all their notifications; returns how many were unread."""
    return Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())


@transaction.atomic
def notification_default_frequency_set(*, user: User, frequency: str) -> User:
    """How often ``user`` hears of what they start following, and of the initiatives their organisations
    take part in (those follows have no row of their own, so they follow this setting)."""
    if frequency not in Frequency.values:
        raise ValidationError(_("Choose how often you want to hear about it."))
    User.objects.filter(pk=user.pk).update(follow_frequency=frequency)
    user.follow_frequency = frequency
    return user
