"""Who acts: a person (later also a partner system's API key), always on behalf of an organisation."""

from dataclasses import dataclass

from municipalities.models import Organisation
from samenorg.accounts.models import User


@dataclass(frozen=True)
class Actor:
    organisation: Organisation
    user: User | None = None

    @property
    def is_member(self) -> bool:
        """The person really belongs to the organisation they act for."""
        return self.user is not None and self.user.memberships.filter(organisation=self.organisation).exists()
