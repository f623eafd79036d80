"""The "Facilitators" group for VNG staff, and the admin permissions their work needs.

Kept in step after every ``migrate`` (and after the test database is flushed), so the group and
its permissions always match this table.
"""

from django.contrib.auth.models import Group, Permission

FACILITATORS_GROUP = "Facilitators"

FACILITATOR_PERMISSIONS = {
    "accounts": {"user": ["view", "change"]},
    # Addresses are changed only by their owners, through the verified flow: one is a login.
    "account": {"emailaddress": ["view"]},
    "municipalities": {
        "province": ["view"],
        "municipality": ["view", "change"],
        "organisation": ["view", "add", "change"],
        "organisationdomain": ["view", "add", "change", "delete"],
        "membership": ["view", "add", "change", "delete"],
        "membershiprequest": ["view", "change"],
    },
    "initiatives": {"theme": ["view", "add", "change"], "initiative": ["view"]},
    "collaboration": {
        "participation": ["view"],
        "milestone": ["view"],
        "comment": ["view"],
        "commentreport": ["view"],
    },
    "standards": {"nomination": ["view"], "standard": ["view", "change"], "adoption": ["view"]},
    "axes": {"accessattempt": ["view", "delete"], "accessfailurelog": ["view"], "accesslog": ["view"]},
    # The audit trail, and the history of every tracked object: read-only for everyone.
    "audit": {"auditevent": ["view"]},
}


def ensure_facilitators_group() -> None:
    group, _ = Group.objects.get_or_create(name=FACILITATORS_GROUP)
    wanted = [
        permission.pk
        for app_label, models in FACILITATOR_PERMISSIONS.items()
        for model, actions in models.items()
        for permission in Permission.objects.filter(
            content_type__app_label=app_label, codename__in=[f"{action}_{model}" for action in actions]
        )
    ]
    group.permissions.set(wanted)
