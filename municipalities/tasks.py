"""E-mails about membership and organisation requests, sent by the Celery worker after commit."""

from celery import shared_task

from municipalities.models import Membership, MembershipRequest, Organisation
from samenorg.accounts.models import User
from samenorg.core.mail import send_templated_mail


@shared_task
def send_membership_request_email(membership_request_id: int) -> int:
    """Tell whoever may decide (the coordinators, else the facilitators) about a new request."""
    request = MembershipRequest.objects.select_related("user", "organisation").get(pk=membership_request_id)
    coordinators = Membership.objects.coordinators().filter(organisation=request.organisation)
    deciders = User.objects.filter(memberships__in=coordinators).distinct()
    if not deciders.exists():
        deciders = User.objects.facilitators()
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
    facilitators = User.objects.facilitators()
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
