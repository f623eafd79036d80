"""E-mail from templates, in the recipient's language, through Django's mail framework."""

from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

from samenorg.accounts.models import User


def send_templated_mail(*, recipient: User, template: str, context: dict[str, Any]) -> None:
    """Render ``emails/<template>_subject.txt``, ``.txt`` and ``.html`` for ``recipient`` and send them."""
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
    )
    message.attach_alternative(html, "text/html")
    message.send()
