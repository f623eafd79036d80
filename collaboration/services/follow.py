"""Following initiatives, standards, themes and municipalities. A person follows for themselves, never on behalf
of an organisation, and who follows what is private: these services record no event.

Each write locks the user's row first, so two clicks at once (two tabs, a double submit) are applied
one after the other and the unique constraints never turn a repeat into an error."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from collaboration.models import Follow
from collaboration.selectors_follow import Target, default_frequency, kind_of, participating_organisations
from initiatives.models import Initiative, Theme
from municipalities.models import Municipality
from samenorg.accounts.models import Frequency, User
from standards.models import Standard, StandardStatus


def follow(*, user: User, target: Target, frequency: str | None = None) -> Follow | None:
    """``user`` follows ``target``, at ``frequency`` or else their default. Following again changes
    nothing (or only the frequency, when one is given); after an opt-out it follows again. Returns the
    row, or ``None`` for an initiative followed through an organisation that needs no row."""
    frequency = _checked_frequency(frequency, allow_off=False)
    with transaction.atomic():
        user = _locked(user)
        _check_may_follow(user, target)
        kind = kind_of(target)
        row = Follow.objects.filter(user=user, **{kind: target}).first()
        through_organisation = _follows_through_organisation(user, target)
        if row is not None and row.frequency == Frequency.OFF and frequency is None and through_organisation:
            row.delete()  # the opt-out is withdrawn: they follow through their organisation again
            return None
        if row is not None:
            wanted = frequency or (row.frequency if row.frequency != Frequency.OFF else default_frequency(user))
            if row.frequency != wanted:
                row.frequency = wanted
                row.save(update_fields=["frequency", "updated_at"])
            return row
        if frequency is None and through_organisation:
            return None
        return Follow.objects.create(user=user, frequency=frequency or default_frequency(user), **{kind: target})


def follow_set_frequency(*, user: User, target: Target, frequency: str) -> Follow:
    """``user`` changes how often they hear of ``target``. For an initiative followed through an
    organisation this stores their own row (``off`` being the opt-out)."""
    checked = _checked_frequency(frequency, allow_off=True)
    if checked is None:
        raise ValidationError(_("Choose how often you want to hear about it."))
    frequency = checked
    with transaction.atomic():
        user = _locked(user)
        kind = kind_of(target)
        row = Follow.objects.filter(user=user, **{kind: target}).first()
        if row is None:
            if not _follows_through_organisation(user, target):
                raise ValidationError(_("You do not follow this; follow it first."))
            return Follow.objects.create(user=user, frequency=frequency, **{kind: target})
        if row.frequency != frequency:
            row.frequency = frequency
            row.save(update_fields=["frequency", "updated_at"])
        return row


def unfollow(*, user: User, target: Target) -> None:
    """``user`` stops following ``target``. Their row goes; for an initiative they follow through an
    organisation it stays, saying ``off``, since without it they would follow again at once."""
    with transaction.atomic():
        user = _locked(user)
        kind = kind_of(target)
        if _follows_through_organisation(user, target):
            lookup: dict[str, Any] = {"user": user, kind: target}
            Follow.objects.update_or_create(defaults={"frequency": Frequency.OFF}, **lookup)
        else:
            Follow.objects.filter(user=user, **{kind: target}).delete()


def _locked(user: User) -> User:
    if not (user.is_authenticated and user.is_active):
        raise PermissionDenied(_("Log in to follow."))
    User.objects.select_for_update().filter(pk=user.pk).values_list("pk").get()
    return user


def _checked_frequency(frequency: str | None, *, allow_off: bool) -> str | None:
    if frequency in (None, ""):
        return None
    if frequency not in Frequency.values or (frequency == Frequency.OFF and not allow_off):
        raise ValidationError(_("Choose how often you want to hear about it."))
    return frequency


def _check_may_follow(user: User, target: Target) -> None:
    """Only what the user may see, and only what still goes on; stopping is always allowed."""
    if isinstance(target, Initiative):
        if not Initiative.objects.visible_to(user).filter(pk=target.pk).exists():
            raise PermissionDenied(_("This initiative does not exist or is not published."))
    elif isinstance(target, Theme):
        if not Theme.objects.filter(pk=target.pk, is_active=True).exists():
            raise ValidationError(_("The theme %(theme)s is no longer in use.") % {"theme": target.name})
    elif isinstance(target, Standard):
        if Standard.objects.filter(pk=target.pk, status=StandardStatus.WITHDRAWN).exists():
            raise ValidationError(
                _("The standard %(standard)s is withdrawn: no new versions will follow, so it cannot be followed.")
                % {"standard": target.name}
            )
    elif isinstance(target, Municipality) and target.dissolved_on is not None:
        raise ValidationError(
            _("%(municipality)s no longer exists: it merged into %(successor)s. Follow %(successor)s instead.")
            % {"municipality": target.name, "successor": target.successor}
        )


def _follows_through_organisation(user: User, target: Target) -> bool:
    return (
        isinstance(target, Initiative) and participating_organisations(target).filter(memberships__user=user).exists()
    )
