"""The load test's own accounts and API keys, and the facts its scenario draws from, written as JSON.

Run by ``loadtest/run.py`` after ``load_municipalities``, ``seed_demo`` and ``generate_scale_data``, with
the local settings and ``SAMENORG_ALLOW_DEMO=1`` on the load test's database:

    python -m loadtest.seed --out data.json --accounts 400 --api-keys 20

Each account is a verified member of its own organisation (one that owns published initiatives), so two
simulated people never ask to join the same initiative for the same organisation at once, and each has
initiatives of its own to edit. The accounts share one password hash: hashing hundreds of them one by one
would take minutes and tells the test nothing. The API keys are made by the ``api_key_create`` service,
by a coordinator of the key's organisation, as on the site."""

import argparse
import json
import os
import random
import re
from collections import Counter
from pathlib import Path
from typing import Any

import django

PASSWORD = "samen-load-2026"  # noqa: S105 (the load test's throwaway accounts on a database of its own)
WORD = re.compile(r"[a-zà-ÿ]{6,}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--accounts", type=int, default=400)
    parser.add_argument("--api-keys", type=int, default=20)
    arguments = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samenorg.settings.local")
    django.setup()
    arguments.out.write_text(json.dumps(seed(arguments.accounts, arguments.api_keys), ensure_ascii=False, indent=1))


def seed(account_count: int, api_key_count: int) -> dict[str, Any]:
    from allauth.account.models import EmailAddress
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.db.models import Count, Q

    from api.models import ApiKeyScope
    from api.services import api_key_create
    from initiatives.models import Initiative, InitiativePhase, InitiativeStatus, Theme
    from municipalities.models import Membership, Municipality, Organisation, Province
    from municipalities.models.membership import MembershipRole
    from samenorg.accounts.models import User
    from standards.models import Standard

    rng = random.Random(9)  # noqa: S311 (a reproducible data set, not a secret)
    published = Q(initiatives__status=InitiativeStatus.PUBLISHED)
    organisations = list(
        Organisation.objects.active()
        .annotate(published=Count("initiatives", filter=published))
        .filter(published__gt=0)
        .order_by("-published", "pk")[: account_count + api_key_count]
    )
    if len(organisations) < 2:
        raise SystemExit("Too few organisations own published initiatives: seed the data set first.")
    password = make_password(PASSWORD)
    with transaction.atomic():
        accounts = _users(User, EmailAddress, password, "load", organisations[:account_count])
        Membership.objects.bulk_create(
            Membership(user=user, organisation=organisation) for user, organisation in accounts
        )
        coordinators = _users(User, EmailAddress, password, "load-keys", organisations[:api_key_count])
        Membership.objects.bulk_create(
            Membership(user=user, organisation=organisation, role=MembershipRole.COORDINATOR)
            for user, organisation in coordinators
        )
    keys = [
        api_key_create(user=user, organisation=organisation, name="Belastingtest", scope=ApiKeyScope.READ)[1]
        for user, organisation in coordinators
    ]
    public = Initiative.objects.filter(status=InitiativeStatus.PUBLISHED)
    own: dict[int, list[str]] = {}
    for owner, slug in public.filter(owner__in=[o for _u, o in accounts]).order_by("pk").values_list("owner", "slug"):
        own.setdefault(owner, []).append(slug)
    titles = list(public.values_list("title", flat=True))
    return {
        "password": PASSWORD,
        "accounts": [
            {"email": user.email, "own_initiatives": own.get(organisation.pk, [])[:5]}
            for user, organisation in accounts
        ],
        "api_keys": keys,
        "initiatives": rng.sample(list(public.values_list("slug", flat=True)), min(2000, public.count())),
        "municipalities": list(Municipality.objects.order_by("slug").values_list("slug", flat=True)),
        "organisations": list(Organisation.objects.partners().active().values_list("slug", flat=True)[:200]),
        "standards": list(Standard.objects.order_by("slug").values_list("slug", flat=True)),
        "themes": list(Theme.objects.filter(is_active=True).values_list("slug", flat=True)),
        "provinces": list(Province.objects.values_list("slug", flat=True)),
        "phases": list(InitiativePhase.values),
        "search_words": search_words(titles, rng),
    }


def _users(user_model: Any, email_model: Any, password: str, prefix: str, organisations: list) -> list[tuple]:
    users = user_model.objects.bulk_create(
        user_model(
            email=f"{prefix}-{number}@{organisation.slug}.example",
            name=f"Belastingtest {number}",
            job_title="Testaccount",
            password=password,
        )
        for number, organisation in enumerate(organisations, start=1)
    )
    email_model.objects.bulk_create(
        email_model(user=user, email=user.email, verified=True, primary=True) for user in users
    )
    return list(zip(users, organisations, strict=True))


def search_words(titles: list[str], rng: random.Random) -> list[str]:
    """Words people would type: the forty most common long words of the titles and forty of the rest."""
    counts = Counter(word for title in titles for word in WORD.findall(title.lower()))
    common = [word for word, _count in counts.most_common(40)]
    rest = [word for word in counts if word not in common]
    return common + rng.sample(rest, min(40, len(rest)))


if __name__ == "__main__":
    main()
