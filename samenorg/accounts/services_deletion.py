"""Deleting an account (the right to erasure, AVG article 17): the person's own data goes, and so do the
traces of them elsewhere; what organisations did together stays.

- Removed: the account and everything only about the person (memberships, membership requests, follows,
  notifications, digests, sessions, e-mail addresses, second factor, identity provider logins, comment
  reports they made, failed login attempts for their addresses), through the foreign keys' cascades.
- Kept without them: comments (shown as "former user"), initiatives, participations, milestones,
  nominations, adoptions, API keys, webhooks, events. Their reference to the person is set to NULL.
- History (django-pghistory): the person's own history rows and those of rows only about them go; in
  every other history row a reference to them becomes NULL, and the history contexts stop naming them.
  The admin's log loses the entries about their rows, and their name and addresses in the others.
- An initiative whose contact address is one of theirs loses its contact details, in its history too.

Events hold ids and public fields only (``event_record``), so their payloads name nobody; the acting
user of an event is a foreign key that becomes NULL."""

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from importlib import import_module

import pghistory
import pghistory.models
from allauth.account.models import EmailAddress
from allauth.usersessions.models import UserSession
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.db.models import Exists, F, ForeignObjectRel, Func, OuterRef, Q, Value
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from initiatives.models import Initiative
from municipalities.models import Membership, Organisation
from municipalities.models.membership import MembershipRole
from samenorg.core.mail import send_templated_mail
from samenorg.events.models import EventDelivery

from .models import User

# What the admin's log and error texts say instead of the person's name or address.
FORMER_USER = gettext_lazy("Former user")
UNVERIFIED_BATCH_SIZE = 200


@dataclass(frozen=True)
class DeletedAccount:
    """What is left to say to the person once their account is gone: where to write, and how."""

    email: str
    name: str
    language: str


def organisations_losing_their_coordinator(user: User) -> models.QuerySet[Organisation]:
    """Organisations that ``user`` coordinates alone while others are members: after the deletion the
    facilitators decide on their membership requests until a facilitator appoints a new coordinator."""
    others = Membership.objects.filter(organisation=OuterRef("pk")).exclude(user=user)
    return Organisation.objects.filter(
        Exists(Membership.objects.coordinators().filter(organisation=OuterRef("pk"), user=user)),
        Exists(others),
        ~Exists(others.filter(role=MembershipRole.COORDINATOR, user__is_active=True)),
    ).order_by("name")


def is_last_superuser(user: User) -> bool:
    """The platform needs one active superuser to manage facilitators: that account cannot be deleted."""
    return user.is_superuser and not User.objects.filter(is_superuser=True, is_active=True).exclude(pk=user.pk).exists()


def account_delete(*, user: User, notify: bool = True) -> DeletedAccount:
    """Delete ``user``'s account and their personal data, in one transaction. With ``notify``, the address
    hears that the account is gone, after commit. The last active superuser cannot go: the platform would
    have nobody left to manage facilitators."""
    if is_last_superuser(user):
        raise ValidationError(
            _("You are the last superuser of the platform. Make someone else a superuser first, then try again.")
        )
    # The history written from here on must not name the person either (the request's context says who acts).
    with transaction.atomic(), pghistory.context(user=None):
        user = User.objects.select_for_update().get(pk=user.pk)
        deleted = DeletedAccount(email=user.email, name=user.name, language=user.language)
        addresses = _addresses_of(user)
        _end_sessions(user)
        _forget_initiative_contacts(addresses)
        _forget_login_attempts(addresses)
        _forget_admin_log_entries_about(user)
        user_pk = user.pk
        user.delete()
        _forget_in_history(user_pk, addresses)
        _forget_in_history_contexts(user_pk)
        _forget_in_texts(deleted.name, addresses)
        if notify:
            transaction.on_commit(lambda: _send_confirmation(deleted), robust=True)
    return deleted


def accounts_expire_unverified(*, now: datetime | None = None, batch_size: int = UNVERIFIED_BATCH_SIZE) -> int:
    """Delete the accounts whose address was never confirmed and that never logged in, older than
    ``SAMENORG_UNVERIFIED_ACCOUNT_DAYS``; returns how many. Staff accounts are left to the facilitators.
    No e-mail: the address was never shown to be the person's. Each account goes in its own transaction,
    in batches by id, so a long run holds no lock for long and another run at the same time skips it."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.SAMENORG_UNVERIFIED_ACCOUNT_DAYS)
    expired = User.objects.filter(
        ~Exists(EmailAddress.objects.filter(user=OuterRef("pk"), verified=True)),
        date_joined__lt=cutoff,
        last_login__isnull=True,
        is_staff=False,
        is_superuser=False,
    ).order_by("pk")
    deleted, after = 0, 0
    while ids := list(expired.filter(pk__gt=after).values_list("pk", flat=True)[:batch_size]):
        for pk in ids:
            with transaction.atomic():
                user = expired.select_for_update(skip_locked=True).filter(pk=pk).first()
                if user is not None:
                    account_delete(user=user, notify=False)
                    deleted += 1
        after = ids[-1]
    return deleted


def _addresses_of(user: User) -> list[str]:
    known = EmailAddress.objects.filter(user=user).values_list("email", flat=True)
    return sorted({user.email.lower(), *(address.lower() for address in known)})


def _end_sessions(user: User) -> None:
    """Log the person out everywhere: the session rows themselves go, not only allauth's list of them."""
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    for session_key in UserSession.objects.filter(user=user).values_list("session_key", flat=True):
        store.delete(session_key)


def _forget_initiative_contacts(addresses: list[str]) -> None:
    Initiative.objects.filter(_email_among("contact_email", addresses)).update(
        contact_name="", contact_email="", contact_phone=""
    )


def _forget_login_attempts(addresses: list[str]) -> None:
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        model.objects.filter(_email_among("username", addresses)).delete()


def _email_among(field: str, addresses: list[str]) -> Q:
    condition = Q()
    for address in addresses:
        condition |= Q(**{f"{field}__iexact": address})
    return condition


def _rows_only_about(user: User) -> list[tuple[type[models.Model], list[int]]]:
    """The person's own row and every row that goes with it (the foreign keys that cascade)."""
    rows: list[tuple[type[models.Model], list[int]]] = [(User, [user.pk])]
    for relation in User._meta.get_fields(include_hidden=True):
        if not (isinstance(relation, ForeignObjectRel) and relation.on_delete is models.CASCADE):
            continue
        model = relation.related_model
        if relation.many_to_many or model is LogEntry or model._meta.auto_created:
            continue
        pks = model._default_manager.filter(**{relation.field.name: user}).values_list("pk", flat=True)
        rows.append((model, list(pks)))
    return rows


def _forget_admin_log_entries_about(user: User) -> None:
    """The admin's log entries about the person's rows name them (``object_repr``); the entries they made
    themselves go with the account (``LogEntry.user`` cascades)."""
    about = Q()
    for model, pks in _rows_only_about(user):
        if pks:
            content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
            about |= Q(content_type=content_type, object_id__in=[str(pk) for pk in pks])
    if about:
        LogEntry.objects.filter(about).delete()


def _history_models() -> list[type[pghistory.models.Event]]:
    return [
        model
        for model in apps.get_models()
        if issubclass(model, pghistory.models.Event) and model._meta.managed and not model._meta.proxy
    ]


def _forget_in_history(user_pk: int, addresses: list[str]) -> None:
    """History rows of the person, and of rows only about them, go; other history rows keep their change
    but lose the person (their foreign keys to users become NULL)."""
    for history in _history_models():
        rows: models.QuerySet[models.Model] = history._default_manager.all()
        tracked: type[models.Model] = history.pgh_tracked_model  # type: ignore[assignment]
        if tracked is User:
            rows.filter(pgh_obj_id=user_pk).delete()
            continue
        about_person = Q()
        for field in history._meta.concrete_fields:
            if not (field.is_relation and field.related_model is User):
                continue
            original = tracked._meta.get_field(field.name)
            if isinstance(original, models.ForeignKey) and original.remote_field.on_delete is models.CASCADE:
                about_person |= Q(**{field.attname: user_pk})
            else:
                rows.filter(**{field.attname: user_pk}).update(**{field.attname: None})
        if about_person:
            rows.filter(about_person).delete()
        if tracked is Initiative:
            rows.filter(_email_among("contact_email", addresses)).update(
                contact_name="", contact_email="", contact_phone=""
            )


def _forget_in_history_contexts(user_pk: int) -> None:
    """Each history context says who acted (``metadata.user``): no longer this person."""
    table = connection.ops.quote_name(pghistory.models.Context._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET metadata = jsonb_set(metadata, '{{user}}', 'null') "  # noqa: S608 (a model's table)
            "WHERE metadata->'user' = to_jsonb(%s::int) OR metadata->>'user' = %s::text",
            [user_pk, str(user_pk)],
        )


def _forget_in_texts(name: str, addresses: list[str]) -> None:
    """Texts that record what was done to rows (the admin's log, delivery errors) may quote the person."""
    with translation.override(settings.LANGUAGE_CODE):
        former = str(FORMER_USER)
    columns = [(LogEntry, "object_repr"), (LogEntry, "change_message"), (EventDelivery, "last_error")]
    for text in [*addresses, name.strip()]:
        if not text:
            continue
        # The whole name or address only, in any case: "Jan" stays in "Januari".
        pattern = f"(?<![[:alnum:]]){re.escape(text)}(?![[:alnum:]])"
        for model, column in columns:
            replaced = Func(F(column), Value(pattern), Value(former), Value("gi"), function="REGEXP_REPLACE")
            model._default_manager.filter(**{f"{column}__iregex": pattern}).update(**{column: replaced})


def _send_confirmation(deleted: DeletedAccount) -> None:
    recipient = User(email=deleted.email, name=deleted.name, language=deleted.language)
    context = {"contact_email": settings.SAMENORG_CONTACT_EMAIL}
    send_templated_mail(recipient=recipient, template="account_deleted", context=context)
