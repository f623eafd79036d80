"""E-mail from templates, in the recipient's language, through Django's mail framework.

Bounce-safe: when the mail server refuses the recipient for good (a 5xx answer to RCPT TO), the address
is marked undeliverable (``User.email_undeliverable_at``) and ``UndeliverableAddress`` is raised; the
notification e-mails and digests skip such an address from then on. A temporary refusal (4xx) is raised
as it came, so the caller tries again later."""

import logging
from smtplib import SMTPRecipientsRefused
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone, translation

from samenorg.accounts.models import User

logger = logging.getLogger(__name__)


class UndeliverableAddress(Exception):  # noqa: N818 (it names the condition, as SMTPRecipientsRefused does)
    """The mail server refused the recipient's address for good; it is marked and skipped from now on."""


def send_templated_mail(
    *, recipient: User, template: str, context: dict[str, Any], headers: dict[str, str] | None = None
) -> None:
    """Render ``emails/<template>_subject.txt``, ``.txt`` and ``.html`` for ``recipient`` and send them,
    with extra ``headers`` (``List-Unsubscribe``, say). Raises ``UndeliverableAddress`` when the server
    refuses the address for good, after marking it."""
    context = {**context, "recipient": recipient, "site_url": settings.SITE_URL}
    with translation.override(recipient.language):
        subject = render_to_string(f"emails/{template}_subject.txt", context).strip()
        text = render_to_string(f"emails/{template}.txt", context)
        html = render_to_string(f"emails/{template}.html", context)
    message = EmailMultiAlternatives(
        subject=settings.EMAIL_SUBJECT_PREFIX + " ".join(subject.splitlines()),
        body=text,
        to=[recipient.email],
        from_email=settings.DEFAULT_FROM_EMAIL,
        headers=headers,
    )
    message.attach_alternative(html, "text/html")
    try:
        message.send()
    except SMTPRecipientsRefused as refusal:
        if not all(code >= 500 for code, _reply in refusal.recipients.values()):
            raise
        recipient.email_undeliverable_at = timezone.now()
        User.objects.filter(pk=recipient.pk).update(email_undeliverable_at=recipient.email_undeliverable_at)
        logger.warning("The mail server refused the address of user %s; it is skipped from now on.", recipient.pk)
        raise UndeliverableAddress(recipient.email) from refusal
