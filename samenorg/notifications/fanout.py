"""The "notifications" consumer of the event spine: an event becomes a notification per recipient.

It runs inside the transaction that marks the event's delivery done (``samenorg.events.dispatch``), so
the notifications and the mark commit together. The rows go in with one INSERT ... SELECT over the
recipients query, ``ON CONFLICT DO NOTHING`` on the (user, event) constraint: 10,000 followers cost the
same few queries as 3, and a second run adds nobody twice.

Each notification keeps the recipient's frequency. Every recipient sees it in the inbox; ``immediately``
also means an e-mail now (``email_state`` pending, unless the address is known to be undeliverable), sent
by a task published after commit; ``daily`` and ``weekly`` wait for the digest; ``off`` stays in the inbox.
"""

from django.db import connection
from django.utils import timezone

from samenorg.accounts.models import Frequency, User
from samenorg.core.queue import publish_on_commit
from samenorg.events.models import Event

from .models import EmailState, Notification
from .recipients import recipients_sql
from .tasks import send_notification_emails

EMAIL_TASK_BATCH = 25  # notification ids per e-mail task: a batch is sent well within the task time limit


def fan_out_event(event: Event) -> None:
    """Write the notifications of ``event``; after commit, publish the immediate e-mails (ids only)."""
    pending = _insert_notifications(event)
    for start in range(0, len(pending), EMAIL_TASK_BATCH):
        publish_on_commit(send_notification_emails, pending[start : start + EMAIL_TASK_BATCH])


def _insert_notifications(event: Event) -> list[int]:
    meta = Notification._meta
    quote = connection.ops.quote_name
    column = {field.name: quote(str(field.column)) for field in meta.concrete_fields}
    columns = ", ".join(
        column[name] for name in ("user", "event", "reason", "frequency", "created_at", "email_state", "email_attempts")
    )
    users = quote(User._meta.db_table)
    source_sql, source_params = recipients_sql(event)
    sql = f"""
        WITH recipient AS ({source_sql}),
        inserted AS (
            INSERT INTO {quote(meta.db_table)} ({columns})
            SELECT recipient.user_id, %s, recipient.reason, recipient.frequency, %s,
                   CASE WHEN recipient.frequency = %s AND account.email_undeliverable_at IS NULL
                        THEN %s ELSE %s END,
                   0
              FROM recipient JOIN {users} AS account ON account.id = recipient.user_id
            ON CONFLICT ({column["user"]}, {column["event"]}) DO NOTHING
            RETURNING id, email_state
        )
        SELECT id FROM inserted WHERE email_state = %s ORDER BY id
    """  # noqa: S608 (table and column names are the models'; values are parameters)
    params = [
        *source_params,
        event.pk,
        timezone.now(),
        Frequency.IMMEDIATELY,
        EmailState.PENDING,
        EmailState.NONE,
        EmailState.PENDING,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]
