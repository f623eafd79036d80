"""Everything the platform keeps about one person, as plain data for the "download my data" file (the
right of access and portability, AVG articles 15 and 20). Secrets stay out: no password hash, no second
factor's key or recovery codes, no API key hash, no session key.

One query per section, whatever the number of rows (a test pins the count)."""

from datetime import date, datetime
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from allauth.usersessions.models import UserSession

from api.models import ApiKey
from collaboration.models import Comment, Follow
from collaboration.models.follow import TARGETS
from municipalities.models import MembershipRequest
from samenorg.events.describe import describe
from samenorg.notifications.selectors import user_notifications

from .models import User
from .selectors import user_memberships

FORMAT_VERSION = 1


def _when(moment: datetime | date | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def _profile(user: User) -> dict[str, Any]:
    addresses = EmailAddress.objects.filter(user=user).order_by("-primary", "email")
    factors = Authenticator.objects.filter(user=user).order_by("type").values_list("type", flat=True)
    return {
        "email": user.email,
        "name": user.name,
        "job_title": user.job_title,
        "language": user.language,
        "follow_frequency": user.follow_frequency,
        "joined": _when(user.date_joined),
        "last_login": _when(user.last_login),
        "email_addresses": [
            {"email": address.email, "verified": address.verified, "primary": address.primary} for address in addresses
        ],
        "second_factor": {"on": bool(factors), "kinds": list(factors)},
    }


def _memberships(user: User) -> list[dict[str, Any]]:
    return [
        {"organisation": membership.organisation.name, "role": membership.role, "since": _when(membership.created_at)}
        for membership in user_memberships(user)
    ]


def _membership_requests(user: User) -> list[dict[str, Any]]:
    requests = MembershipRequest.objects.filter(user=user).select_related("organisation").order_by("created_at")
    return [
        {
            "organisation": request.organisation.name,
            "motivation": request.motivation,
            "status": request.status,
            "requested_at": _when(request.created_at),
            "decided_at": _when(request.decided_at),
            "reason": request.decision_reason,
        }
        for request in requests
    ]


def _follows(user: User) -> list[dict[str, Any]]:
    follows = Follow.objects.filter(user=user).select_related(*TARGETS).order_by("created_at", "pk")
    rows = []
    for follow in follows:
        kind = next(name for name in TARGETS if getattr(follow, f"{name}_id") is not None)
        rows.append(
            {
                "kind": kind,
                "what": str(follow.target),
                "frequency": follow.frequency,
                "since": _when(follow.created_at),
            }
        )
    return rows


def _comments(user: User) -> list[dict[str, Any]]:
    comments = Comment.objects.filter(author=user).select_related("initiative", "organisation").order_by("created_at")
    return [
        {
            "initiative": comment.initiative.title,
            "on_behalf_of": comment.organisation.name,
            "text": comment.body,
            "posted_at": _when(comment.created_at),
            "edited_at": _when(comment.edited_at),
            "hidden_at": _when(comment.hidden_at),
        }
        for comment in comments
    ]


def _notifications(user: User) -> list[dict[str, Any]]:
    rows = []
    for notification in user_notifications(user):
        description = describe(notification.event)
        rows.append(
            {
                "subject": description.subject,
                "what": description.text,
                "type": notification.event.type,
                "reason": notification.reason,
                "at": _when(notification.created_at),
                "read_at": _when(notification.read_at),
            }
        )
    return rows


def _api_keys(user: User) -> list[dict[str, Any]]:
    keys = ApiKey.objects.filter(created_by=user).select_related("organisation").order_by("created_at")
    return [
        {
            "prefix": key.prefix,
            "name": key.name,
            "organisation": key.organisation.name,
            "scope": key.scope,
            "created_at": _when(key.created_at),
            "revoked_at": _when(key.revoked_at),
        }
        for key in keys
    ]


def _sessions(user: User) -> list[dict[str, Any]]:
    sessions = UserSession.objects.filter(user=user).order_by("-last_seen_at")
    return [
        {
            "ip": session.ip,
            "user_agent": session.user_agent,
            "started_at": _when(session.created_at),
            "last_seen_at": _when(session.last_seen_at),
        }
        for session in sessions
    ]


def _login_accounts(user: User) -> list[dict[str, Any]]:
    """Logins through an identity provider (OpenID Connect), without their tokens."""
    accounts = SocialAccount.objects.filter(user=user).order_by("provider")
    return [
        {"provider": account.provider, "uid": account.uid, "since": _when(account.date_joined)} for account in accounts
    ]


def user_data_export(user: User) -> dict[str, Any]:
    """The person's own data, as one JSON-ready dict."""
    return {
        "format_version": FORMAT_VERSION,
        "profile": _profile(user),
        "login_accounts": _login_accounts(user),
        "memberships": _memberships(user),
        "membership_requests": _membership_requests(user),
        "follows": _follows(user),
        "comments": _comments(user),
        "notifications": _notifications(user),
        "api_keys": _api_keys(user),
        "sessions": _sessions(user),
    }
