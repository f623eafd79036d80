"""One platform service, run in a process of its own as a web request runs it: the real settings (tasks are
published to the broker of ``CELERY_BROKER_URL`` after commit, never run in place), the database of
``DATABASE_URL``. ``test_notifications_worker`` causes its events with it:

    python -m tests.integration.notifications_actions request <user> <organisation> <initiative>
    python -m tests.integration.notifications_actions accept <user> <organisation> <participation>
    python -m tests.integration.notifications_actions update <user> <organisation> <initiative> <summary>

It prints the id of what it wrote, and exits 0 whether or not the broker took the task."""

import sys

import django


def main(action: str, user_id: str, organisation_id: str, subject_id: str, *text: str) -> int:
    django.setup()
    from collaboration.models import Participation
    from collaboration.services.participation import participation_decide, participation_request
    from initiatives.models import Initiative
    from initiatives.services.initiative import initiative_update
    from municipalities.models import Organisation
    from samenorg.accounts.models import User
    from samenorg.core.actors import Actor

    actor = Actor(organisation=Organisation.objects.get(pk=organisation_id), user=User.objects.get(pk=user_id))
    if action == "request":
        initiative = Initiative.objects.get(pk=subject_id)
        return participation_request(
            actor=actor, initiative=initiative, role="funder", motivation="Wij betalen mee."
        ).pk
    if action == "accept":
        participation = Participation.objects.get(pk=subject_id)
        return participation_decide(actor=actor, participation=participation, accept=True).pk
    if action == "update":
        initiative = Initiative.objects.get(pk=subject_id)
        return initiative_update(actor=actor, initiative=initiative, summary=" ".join(text)).pk
    raise SystemExit(f"unknown action {action!r}")


if __name__ == "__main__":
    print(main(*sys.argv[1:]))
