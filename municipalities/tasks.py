"""E-mails about membership and organisation requests, sent by the Celery worker after commit."""

from celery import shared_task
from django.db.models import QuerySet

from municipalities.models import MembershipRequest, Organisation
from municipalities.models.membership import MembershipRole
from samenorg.accounts.models import FACILITATORS_GROUP, User
from samenorg.core.mail import send_templated_mail


def _facilitators() -> QuerySet[User]:
    return User.objects.filter(is_active=True, groups__name=FACILITATORS_GROUP).distinct()


@shared_task
def send_membership_request_email(membership_request_id: int) -> int:
    """Tell whoever may decide (the coordinators, else the facilitators) about a new request."""
    request = MembershipRequest.objects.select_related("user", "organisation").get(pk=membership_request_id)
    deciders = User.objects.filter(
        is_active=True,
        memberships__organisation=request.organisation,
        memberships__role=MembershipRole.COORDINATOR,
    ).distinct()
    if not deciders.exists():
        deciders = _facilitators()
    for decider in deciders:
        send_templated_mail(recipient=decider, template="membership_requested", context={"request": request})
    return len(deciders)


@shared_task
def send_membership_decision_email(membership_request_id: int) -> None:
    """Tell the requester whether they were let in, and why not if they were not."""
    request = MembershipRequest.objects.select_related("user", "organisation").get(pk=membership_request_id)
    send_templated_mail(recipient=request.user, template="membership_decided", context={"request": request})


@shared_task
def send_organisation_request_email(organisation_id: int) -> int:
    """Tell the facilitators that a partner organisation waits for their review."""
    organisation = Organisation.objects.select_related("requested_by").get(pk=organisation_id)
    facilitators = _facilitators()
    for facilitator in facilitators:
        send_templated_mail(
            recipient=facilitator, template="organisation_requested", context={"organisation": organisation}
        )
    return len(facilitators)


@shared_task
def send_organisation_decision_email(organisation_id: int) -> None:
    """Tell the requester whether their organisation is listed, and why not if it is not."""
    organisation = Organisation.objects.select_related("requested_by").get(pk=organisation_id)
    if organisation.requested_by is not None:
        send_templated_mail(
            recipient=organisation.requested_by,
            template="organisation_decided",
            context={"organisation": organisation},
        )
