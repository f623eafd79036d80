"""Template context every page needs: the platform's public contact address."""

from django.conf import settings
from django.http import HttpRequest


def platform(request: HttpRequest) -> dict[str, str]:
    return {"CONTACT_EMAIL": settings.SAMENORG_CONTACT_EMAIL}
