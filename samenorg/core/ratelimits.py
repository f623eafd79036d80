"""Abuse limits on writes that cost other people attention or the platform resources: each named rate
of ``SAMENORG_RATE_LIMITS`` ("10/h") caps how many of one kind of write one person, or one API key,
makes in a window. The services wrap their write in ``rate_limit``, so the site's pages and the API
meet the same limit.

The counts live on the default cache (Redis in production, shared by every web process), in
django-ratelimit's fixed windows. Only writes that succeed are counted: the check comes before the
write and the count after it, so a refused or failed attempt costs nothing. Two requests at the very
same moment may both pass the check; a limit meant to stop floods can afford that.

A refusal is ``RateLimitedError``, a ``ValidationError``: the pages show it on the form they keep,
and the API answers 429 with Retry-After (``api.problems``)."""

import math
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django_ratelimit.core import get_usage

from samenorg.accounts.models import User
from samenorg.core.actors import Actor


class RateLimitedError(ValidationError):
    """Too many writes of one kind in the window; ``retry_after`` is the number of seconds until it ends."""

    def __init__(self, *, limit: int, retry_after: int) -> None:
        self.retry_after = max(1, retry_after)
        again = timezone.localtime() + timedelta(seconds=self.retry_after)
        moment = formats.time_format(again, "H:i")
        if again.date() != timezone.localdate():
            moment = formats.date_format(again, "j F H:i")
        super().__init__(
            _(
                "You have done this %(count)d times in a short while, the most allowed to prevent abuse. "
                "Try again after %(moment)s."
            )
            % {"count": limit, "moment": moment},
            code="rate_limited",
        )


@contextmanager
def rate_limit(name: str, who: Actor | User) -> Iterator[None]:
    """Refuse the write in the block when ``who`` (an actor's API key, else its person) has made limit
    ``name``'s number of them in the window; count the write when the block ends without an error.

    An actor with neither a person nor a key is not counted: every limited service refuses it anyway."""
    rate = settings.SAMENORG_RATE_LIMITS[name]
    counted_as = _counted_as(who)
    if not rate or counted_as is None:  # an empty rate switches the limit off
        yield
        return
    usage = _usage(name, rate, counted_as, increment=False)
    if usage is not None and usage["count"] >= usage["limit"]:
        raise RateLimitedError(limit=usage["limit"], retry_after=math.ceil(usage["time_left"]))
    yield
    _usage(name, rate, counted_as, increment=True)


def _counted_as(who: Actor | User) -> str | None:
    if isinstance(who, Actor):
        if who.api_key is not None:
            return f"api-key:{who.api_key.pk}"
        if who.user is None:
            return None
        who = who.user
    return f"user:{who.pk}" if who.pk is not None else None


def _usage(name: str, rate: str, counted_as: str, *, increment: bool) -> dict[str, Any] | None:
    # django-ratelimit's core counts for a request; ours is the person or key, so the key callable
    # ignores the request it is given (none: the write may come from a page, the API or a task).
    return get_usage(
        None, group=f"samenorg:{name}", key=lambda _group, _request: counted_as, rate=rate, increment=increment
    )
