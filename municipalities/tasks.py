"""E-mails about membership requests, sent by the Celery worker once the request is committed."""

from celery import shared_task
from django.db.models import Q

from municipalities.models import MembershipRequest
from municipalities.models.membership import MembershipRole
from samenorg.accounts.models import FACILITATORS_GROUP, User
from samenorg.core.mail import send_templated_mail


@shared_task
def send_membership_request_email(membership_request_id: int) -> int:
    """Tell whoever may decide (the coordinators, else the facilitators) about a new request."""
    request = MembershipRequest.objects.select_related("user", "organisation").get(pk=membership_request_id)
    deciders = User.objects.filter(
        is_active=True,
        memberships__organisation=request.organisation,
        memberships__role=MembershipRole.COORDINATOR,
    )
    if not deciders.exists():
        deciders = User.objects.filter(Q(groups__name=FACILITATORS_GROUP), is_active=True)
    sent = 0
    for decider in deciders.distinct():
        send_templated_mail(recipient=decider, template="membership_requested", context={"request": request})
        sent += 1
    return sent


@shared_task
def send_membership_decision_email(membership_request_id: int) -> None:
    """Tell the requester whether they were let in, and why not if they were not."""
    request = MembershipRequest.objects.select_related("user", "organisation").get(pk=membership_request_id)
    send_templated_mail(recipient=request.user, template="membership_decided", context={"request": request})
