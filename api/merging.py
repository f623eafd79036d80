"""A list whose visible rows are the union of disjoint parts (for a key: the public initiatives and its
organisation's drafts), read a page at a time without a scan of every row.

An ORed condition over both parts keeps PostgreSQL from walking the index of the list's order, so it
would sort every visible row for each page. Instead, a page reads the first rows of each part in the
list's order (each on its own index), and orders just those: the page of the union is among them."""

from collections.abc import Callable, Sequence
from typing import Any

from django.db.models import QuerySet

Arrange = Callable[[QuerySet], QuerySet]


class MergedParts:
    """Sliceable like a queryset (``rows[start:stop]`` is a queryset), which is all the paginator asks of it."""

    def __init__(self, parts: Sequence[QuerySet], arrange: Arrange, shape: Callable[[QuerySet], Any]) -> None:
        """``arrange`` filters and orders a queryset (the FilterSet); ``shape`` makes the rows (``values()``)."""
        self.parts, self.arrange, self.shape = parts, arrange, shape

    def __getitem__(self, window: slice) -> QuerySet:
        """The rows of ``window``, as one query (not yet run)."""
        heads = [self.arrange(part).values("pk")[: window.stop] for part in self.parts]
        merged = heads[0].union(*heads[1:], all=True)
        model = self.parts[0].model
        return self.shape(self.arrange(model._default_manager.filter(pk__in=merged)))[window]
