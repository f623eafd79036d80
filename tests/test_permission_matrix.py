"""Every URL the platform serves, requested by every kind of visitor, answers as this table says.

A URL pattern without a row fails the test, so no page can be added without deciding who may see it.
Statuses are for a plain GET. ``LOGIN`` is a redirect to the login page; ``AWAY`` is any other
redirect (for example a logged-in user sent away from the sign-up page).
"""

import datetime
import uuid
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from allauth.usersessions.models import UserSession
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from collaboration.models import CommentReport
from initiatives.models import InitiativeAttachment
from samenorg.events.models import Event, EventAudience
from samenorg.notifications.unsubscribe import unsubscribe_token
from standards.models import Adoption
from tests.factories import (
    ApiKeyFactory,
    CommentFactory,
    InitiativeFactory,
    MembershipFactory,
    MembershipRequestFactory,
    MilestoneFactory,
    MunicipalOrganisationFactory,
    NominationFactory,
    NotificationFactory,
    OrganisationDomainFactory,
    OrganisationFactory,
    ParticipationFactory,
    StandardFactory,
    ThemeFactory,
    UserFactory,
    WebhookEndpointFactory,
)
from tests.second_factor import activate_authenticator, log_in_with_second_factor

ROLES = ("anonymous", "other_member", "member", "coordinator", "facilitator")
LOGIN = "login"
AWAY = "away"


@dataclass
class World:
    users: dict[str, Any]
    utrecht: Any
    partner: Any
    pending_request: Any
    objects: dict[str, Any]


@pytest.fixture
def world(db) -> World:
    utrecht = MunicipalOrganisationFactory(municipality__name="Utrecht", municipality__code="GM0344")
    zwolle = MunicipalOrganisationFactory(municipality__name="Zwolle", municipality__code="GM0193")
    partner = OrganisationFactory(name="Open Stad Software")
    users = {
        "anonymous": None,
        "other_member": MembershipFactory(organisation=zwolle).user,
        "member": MembershipFactory(organisation=utrecht).user,
        "coordinator": MembershipFactory(organisation=utrecht, coordinator=True).user,
        "facilitator": MembershipFactory(user=UserFactory(facilitator=True), organisation=OrganisationFactory()).user,
    }
    pending_request = MembershipRequestFactory(organisation=utrecht)
    objects = {
        "accounts.user": users["member"],
        "auth.group": users["facilitator"].groups.get(),
        "municipalities.province": utrecht.municipality.province,
        "municipalities.municipality": utrecht.municipality,
        "municipalities.organisation": utrecht,
        "municipalities.organisationdomain": OrganisationDomainFactory(organisation=utrecht),
        "municipalities.membership": users["member"].memberships.get(),
        "municipalities.membershiprequest": pending_request,
        "account.emailaddress": EmailAddress.objects.get(user=users["member"]),
        "axes.accessattempt": AccessAttempt.objects.create(username="x@example.org", failures_since_start=1),
        "axes.accesslog": AccessLog.objects.create(username="x@example.org"),
        "axes.accessfailurelog": AccessFailureLog.objects.create(username="x@example.org"),
        "initiatives.theme": ThemeFactory(),
        "initiatives.initiative": InitiativeFactory(owner=utrecht, published=True),
    }
    objects["collaboration.participation"] = ParticipationFactory(
        initiative=objects["initiatives.initiative"], organisation=zwolle, requested=True
    )
    objects["standards.nomination"] = NominationFactory(initiative__owner=utrecht)
    objects["standards.standard"] = StandardFactory()
    objects["standards.adoption"] = Adoption.objects.create(
        organisation=utrecht, standard=objects["standards.standard"], status="planned", since=datetime.date(2026, 1, 5)
    )
    draft = InitiativeFactory(owner=utrecht)
    objects["draft"] = draft
    objects["collaboration.milestone"] = MilestoneFactory(initiative=draft)
    objects["collaboration.comment"] = CommentFactory(
        initiative=objects["initiatives.initiative"], author=users["member"], organisation=utrecht
    )
    objects["collaboration.commentreport"] = CommentReport.objects.create(
        comment=objects["collaboration.comment"], reporter=users["other_member"], reason="Reclame."
    )
    objects["draft attachment"] = InitiativeAttachment.objects.create(
        initiative=draft,
        uuid=uuid.uuid4(),
        file=ContentFile(b"%PDF-1.7", name="plan"),
        original_name="plan.pdf",
        content_type="application/pdf",
        size=8,
    )
    objects["notification"] = NotificationFactory(
        user=users["member"],
        event=Event.objects.create(
            type="initiative.published",
            organisation=utrecht,
            initiative=objects["initiatives.initiative"],
            audience=EventAudience.PUBLIC,
        ),
    )
    objects["webhook"] = WebhookEndpointFactory(organisation=utrecht)
    objects["mfa.authenticator"] = activate_authenticator(users["facilitator"])
    objects["usersessions.usersession"] = UserSession.objects.create(
        user=users["member"], session_key="sessie-van-het-lid", ip="10.0.0.1", user_agent="Firefox"
    )
    objects["socialaccount.socialaccount"] = SocialAccount.objects.create(
        user=users["member"], provider="oidc", uid="lid-bij-de-identiteitsprovider"
    )
    # One change in the audit trail, by its key "<history model>:<id>" (the trail's own query, over every
    # history table, is left to the audit trail's pages).
    theme_change = objects["initiatives.theme"].history.order_by("pgh_id").first()
    objects["audit.auditevent"] = SimpleNamespace(pk=f"{theme_change._meta.label}:{theme_change.pgh_id}")
    return World(users, utrecht, partner, pending_request, objects)


def everyone(status):
    return dict.fromkeys(ROLES, status)


def logged_in(status):
    return {"anonymous": LOGIN, **dict.fromkeys(ROLES[1:], status)}


def zwolle_of(w):
    """The other member's organisation (Zwolle), which takes part in initiatives of others."""
    return w.users["other_member"].memberships.get().organisation


# A draft: its organisation's members only; to anyone else it does not exist.
DRAFT_EDITORS_ONLY = {"anonymous": 404, "other_member": 404, "member": 200, "coordinator": 200, "facilitator": 404}

# name -> (kwargs from the world, expected status per role)
MATRIX = {
    "home": (None, everyone(200)),
    "accessibility": (None, everyone(200)),
    "privacy": (None, everyone(200)),
    "healthz": (None, everyone(200)),
    "readyz": (None, everyone(200)),
    "metrics": (None, everyone(404)),
    "set_language": (None, everyone(AWAY)),
    "municipalities:list": (None, everyone(200)),
    "municipalities:detail": (lambda w: {"slug": w.utrecht.slug}, everyone(200)),
    "municipalities:organisation-list": (None, everyone(200)),
    "municipalities:organisation-detail": (lambda w: {"slug": w.partner.slug}, everyone(200)),
    "municipalities:organisation-request": (None, logged_in(200)),
    "accounts:overview": (None, logged_in(200)),
    "accounts:profile": (None, logged_in(200)),
    "accounts:membership-request": (lambda w: {"slug": w.utrecht.slug}, logged_in(200)),
    "accounts:membership-decide": (
        lambda w: {"pk": w.pending_request.pk},
        {"anonymous": LOGIN, "other_member": 404, "member": 404, "coordinator": 200, "facilitator": 404},
    ),
    "initiatives:list": (None, everyone(200)),
    "initiatives:mine": (None, logged_in(200)),
    "initiatives:export-csv": (None, everyone(200)),
    "initiatives:export-json": (None, everyone(200)),
    "initiatives:create": (None, logged_in(200)),
    "initiatives:detail": (lambda w: {"slug": w.objects["draft"].slug}, DRAFT_EDITORS_ONLY),
    "initiatives:edit": (lambda w: {"slug": w.objects["draft"].slug}, {**DRAFT_EDITORS_ONLY, "anonymous": LOGIN}),
    "initiatives:publish": (lambda w: {"slug": w.objects["draft"].slug}, everyone(405)),
    "initiatives:change-phase": (lambda w: {"slug": w.objects["draft"].slug}, everyone(405)),
    "initiatives:archive": (lambda w: {"slug": w.objects["draft"].slug}, everyone(405)),
    "initiatives:attachment-add": (lambda w: {"slug": w.objects["draft"].slug}, everyone(405)),
    "initiatives:attachment": (
        lambda w: {"slug": w.objects["draft"].slug, "uuid": w.objects["draft attachment"].uuid},
        DRAFT_EDITORS_ONLY,
    ),
    "collaboration:themes": (None, everyone(200)),
    "collaboration:follow-initiative": (lambda w: {"slug": w.objects["draft"].slug}, everyone(405)),
    "collaboration:follow-initiative-frequency": (lambda w: {"slug": w.objects["draft"].slug}, everyone(405)),
    "collaboration:follow-theme": (lambda w: {"slug": w.objects["initiatives.theme"].slug}, everyone(405)),
    "collaboration:follow-theme-frequency": (lambda w: {"slug": w.objects["initiatives.theme"].slug}, everyone(405)),
    "collaboration:follow-municipality": (lambda w: {"slug": w.utrecht.municipality.slug}, everyone(405)),
    "collaboration:follow-municipality-frequency": (lambda w: {"slug": w.utrecht.municipality.slug}, everyone(405)),
    "collaboration:follow-standard": (lambda w: {"slug": w.objects["standards.standard"].slug}, everyone(405)),
    "collaboration:follow-standard-frequency": (
        lambda w: {"slug": w.objects["standards.standard"].slug},
        everyone(405),
    ),
    # Milestones: the initiative's editors only; comments: anyone logged in who sees the initiative.
    "collaboration:milestone-plan": (
        lambda w: {"slug": w.objects["draft"].slug},
        {**DRAFT_EDITORS_ONLY, "anonymous": LOGIN},
    ),
    "collaboration:milestone-edit": (
        lambda w: {"slug": w.objects["draft"].slug, "pk": w.objects["collaboration.milestone"].pk},
        {**DRAFT_EDITORS_ONLY, "anonymous": LOGIN},
    ),
    "collaboration:milestone-achieve": (
        lambda w: {"slug": w.objects["draft"].slug, "pk": w.objects["collaboration.milestone"].pk},
        {**DRAFT_EDITORS_ONLY, "anonymous": LOGIN},
    ),
    "collaboration:comment-post": (lambda w: {"slug": w.objects["initiatives.initiative"].slug}, logged_in(200)),
    "collaboration:comment-edit": (
        lambda w: {"slug": w.objects["initiatives.initiative"].slug, "pk": w.objects["collaboration.comment"].pk},
        {"anonymous": LOGIN, "other_member": 404, "member": 200, "coordinator": 404, "facilitator": 404},
    ),
    "collaboration:comment-report": (
        lambda w: {"slug": w.objects["initiatives.initiative"].slug, "pk": w.objects["collaboration.comment"].pk},
        # the author cannot report their own comment; the other member reported it already
        {"anonymous": LOGIN, "other_member": AWAY, "member": AWAY, "coordinator": 200, "facilitator": 200},
    ),
    "collaboration:comment-hide": (
        lambda w: {"slug": w.objects["initiatives.initiative"].slug, "pk": w.objects["collaboration.comment"].pk},
        {"anonymous": LOGIN, "other_member": 404, "member": 404, "coordinator": 404, "facilitator": 200},
    ),
    "collaboration:participation-join": (lambda w: {"slug": w.objects["initiatives.initiative"].slug}, logged_in(200)),
    "collaboration:participation-decide": (
        lambda w: {"pk": w.objects["collaboration.participation"].pk},
        {"anonymous": LOGIN, "other_member": 404, "member": 200, "coordinator": 200, "facilitator": 404},
    ),
    "collaboration:participation-role": (
        lambda w: {"pk": ParticipationFactory(organisation=zwolle_of(w)).pk},
        {"anonymous": LOGIN, "other_member": 200, "member": 404, "coordinator": 404, "facilitator": 404},
    ),
    "collaboration:participation-withdraw": (
        lambda w: {"pk": w.objects["collaboration.participation"].pk},
        everyone(405),
    ),
    "collaboration:participation-leave": (lambda w: {"pk": w.objects["collaboration.participation"].pk}, everyone(405)),
    "standards:list": (None, everyone(200)),
    "standards:dashboard": (None, everyone(200)),
    "standards:register-csv": (None, everyone(200)),
    "standards:register-json": (None, everyone(200)),
    "standards:detail": (lambda w: {"slug": w.objects["standards.standard"].slug}, everyone(200)),
    # Members of a municipality record its adoption; others are sent back to the standard.
    "standards:adoption-edit": (
        lambda w: {"slug": w.objects["standards.standard"].slug},
        {"anonymous": LOGIN, "other_member": 200, "member": 200, "coordinator": 200, "facilitator": AWAY},
    ),
    "standards:nominate": (
        lambda w: {"slug": w.objects["initiatives.initiative"].slug},
        {"anonymous": LOGIN, "other_member": 404, "member": 200, "coordinator": 200, "facilitator": 404},
    ),
    "standards:nomination": (lambda w: {"pk": w.objects["standards.nomination"].pk}, everyone(200)),
    "standards:nomination-withdraw": (lambda w: {"pk": w.objects["standards.nomination"].pk}, everyone(405)),
    "standards:nomination-comment": (lambda w: {"pk": w.objects["standards.nomination"].pk}, everyone(405)),
    # The REST API with the browser's session: public data for everyone, a draft for its editors only;
    # its actions are POSTs (tests/api/ holds the matrix with API keys).
    **{
        f"api:{name}": (kwargs, everyone(200))
        for name, kwargs in (
            ("openapi", None),
            ("reference", None),
            ("municipalities", None),
            ("municipality", lambda w: {"slug": w.utrecht.municipality.slug}),
            ("organisations", None),
            ("organisation", lambda w: {"slug": w.partner.slug}),
            ("themes", None),
            ("theme", lambda w: {"slug": w.objects["initiatives.theme"].slug}),
            ("initiatives", None),
            ("initiative-participations", lambda w: {"slug": w.objects["initiatives.initiative"].slug}),
            ("initiative-comments", lambda w: {"slug": w.objects["initiatives.initiative"].slug}),
            ("standards", None),
            ("standard", lambda w: {"slug": w.objects["standards.standard"].slug}),
            ("standard-versions", lambda w: {"slug": w.objects["standards.standard"].slug}),
            ("standard-adoptions", lambda w: {"slug": w.objects["standards.standard"].slug}),
            ("standard-adoption-figures", lambda w: {"slug": w.objects["standards.standard"].slug}),
            ("adoption-figures", None),
            ("nominations", None),
            ("nomination", lambda w: {"pk": w.objects["standards.nomination"].pk}),
            ("events", None),
        )
    },
    "api:initiative": (lambda w: {"slug": w.objects["draft"].slug}, DRAFT_EDITORS_ONLY),
    "api:initiative-milestones": (lambda w: {"slug": w.objects["draft"].slug}, DRAFT_EDITORS_ONLY),
    "api:milestone": (lambda w: {"pk": w.objects["collaboration.milestone"].pk}, DRAFT_EDITORS_ONLY),
    # A request to join: the asking organisation (the other member's) and the initiator only.
    "api:participation": (
        lambda w: {"pk": w.objects["collaboration.participation"].pk},
        {"anonymous": 404, "other_member": 200, "member": 200, "coordinator": 200, "facilitator": 404},
    ),
    **{
        f"api:{name}": (kwargs, everyone(405))
        for name, kwargs in (
            ("initiative-publish", lambda w: {"slug": w.objects["draft"].slug}),
            ("initiative-phase", lambda w: {"slug": w.objects["draft"].slug}),
            ("participation-decision", lambda w: {"pk": w.objects["collaboration.participation"].pk}),
            ("milestone-achievement", lambda w: {"pk": w.objects["collaboration.milestone"].pk}),
        )
    },
    "api_keys:list": (
        lambda w: {"slug": w.utrecht.slug},
        {"anonymous": LOGIN, "other_member": 403, "member": 403, "coordinator": 200, "facilitator": 403},
    ),
    "api_keys:revoke": (
        lambda w: {"slug": w.utrecht.slug, "pk": ApiKeyFactory(organisation=w.utrecht).pk},
        logged_in(405),
    ),
    # Notifications: one's own only; the one-click unsubscribe link works without logging in.
    "notifications:inbox": (None, logged_in(200)),
    "notifications:settings": (None, logged_in(200)),
    "notifications:read-all": (None, logged_in(405)),
    "notifications:read": (lambda w: {"pk": w.objects["notification"].pk}, logged_in(405)),
    "notifications:open": (
        lambda w: {"pk": w.objects["notification"].pk},
        {"anonymous": LOGIN, "other_member": 404, "member": AWAY, "coordinator": 404, "facilitator": 404},
    ),
    "notifications:unsubscribe": (
        lambda w: {"token": unsubscribe_token(w.users["member"], frequency="daily")},
        everyone(200),
    ),
    # Webhooks: the coordinators of the organisation only; to anyone else they do not exist.
    **{
        f"webhooks:{name}": (
            (lambda w: {"slug": w.utrecht.slug, "pk": w.objects["webhook"].pk})
            if with_pk
            else (lambda w: {"slug": w.utrecht.slug}),
            {"anonymous": LOGIN, "other_member": 404, "member": 404, "coordinator": 200, "facilitator": 404},
        )
        for name, with_pk in (("list", False), ("create", False), ("detail", True), ("edit", True), ("delete", True))
    },
    **{
        f"webhooks:{name}": (lambda w: {"slug": w.utrecht.slug, "pk": w.objects["webhook"].pk}, everyone(405))
        for name in ("enable", "rotate-secret")
    },
    "account_login": (None, {"anonymous": 200, **dict.fromkeys(ROLES[1:], AWAY)}),
    "account_logout": (None, {"anonymous": AWAY, **dict.fromkeys(ROLES[1:], 200)}),
    "account_signup": (None, {"anonymous": 200, **dict.fromkeys(ROLES[1:], AWAY)}),
    "account_inactive": (None, everyone(200)),
    "account_reauthenticate": (None, logged_in(200)),
    "account_email": (None, logged_in(200)),
    "account_email_verification_sent": (None, everyone(200)),
    "account_confirm_email": (lambda w: {"key": "not-a-key"}, everyone(200)),
    "account_change_password": (None, logged_in(200)),
    "account_set_password": (None, {"anonymous": LOGIN, **dict.fromkeys(ROLES[1:], AWAY)}),
    "account_reset_password": (None, everyone(200)),
    "account_reset_password_done": (None, everyone(200)),
    "account_reset_password_from_key": (lambda w: {"uidb36": "zz", "key": "not-a-key"}, everyone(200)),
    "account_reset_password_from_key_done": (None, everyone(200)),
    # Data rights: each person's own data, downloaded or deleted.
    "accounts:my-data": (None, logged_in(200)),
    "accounts:delete": (None, logged_in(200)),
    # Second factor (allauth.mfa): "login" includes being sent to confirm with a code (opnieuw-inloggen).
    "mfa_index": (None, logged_in(200)),
    "mfa_authenticate": (None, {"anonymous": LOGIN, **dict.fromkeys(ROLES[1:], AWAY)}),
    "mfa_reauthenticate": (None, {**dict.fromkeys(ROLES[:4], LOGIN), "facilitator": 200}),
    "mfa_activate_totp": (None, everyone(LOGIN)),
    "mfa_deactivate_totp": (None, {"anonymous": LOGIN, **dict.fromkeys(ROLES[1:4], 404), "facilitator": LOGIN}),
    "mfa_view_recovery_codes": (None, {"anonymous": LOGIN, **dict.fromkeys(ROLES[1:], 404)}),
    "mfa_generate_recovery_codes": (None, everyone(LOGIN)),
    "mfa_download_recovery_codes": (None, {"anonymous": LOGIN, **dict.fromkeys(ROLES[1:], 404)}),
    "accounts:second-factor-required": (None, logged_in(200)),
    # Sessions: one's own only.
    "usersessions_list": (None, logged_in(200)),
    "accounts:session-end": (lambda w: {"pk": w.objects["usersessions.usersession"].pk}, logged_in(405)),
    # OpenID Connect: without SAMENORG_OIDC_SERVER_URL (as here) none of it exists.
    "openid_connect_login": (lambda w: {"provider_id": "oidc"}, everyone(404)),
    "openid_connect_callback": (lambda w: {"provider_id": "oidc"}, everyone(404)),
    "socialaccount_connections": (None, everyone(404)),
    "socialaccount_login_cancelled": (None, everyone(404)),
    "socialaccount_login_error": (None, everyone(404)),
    "socialaccount_signup": (None, everyone(404)),
}

# The admin is the facilitators' workplace: nobody else gets past its login page.
NOT_STAFF = {"anonymous": LOGIN, "other_member": LOGIN, "member": LOGIN, "coordinator": LOGIN}
ADMIN_SITE = {
    "admin:index": (None, {**NOT_STAFF, "facilitator": 200}),
    # The admin's login page logs nobody in: it sends people to the site's login and second factor.
    "admin:login": (None, {"anonymous": LOGIN, **dict.fromkeys(ROLES[1:4], 403), "facilitator": AWAY}),
    "admin:logout": (None, {**dict.fromkeys(ROLES[:4], AWAY), "facilitator": 405}),
    "admin:auth_user_password_change": (lambda w: {"id": w.users["member"].pk}, {**NOT_STAFF, "facilitator": 403}),
    "admin:unnamed:beheer/(?P<url>.*)$": (lambda w: {"url": "niet-bestaand/"}, {**NOT_STAFF, "facilitator": 404}),
    "admin:password_change": (None, {**NOT_STAFF, "facilitator": 200}),
    "admin:password_change_done": (None, {**NOT_STAFF, "facilitator": 200}),
    "admin:jsi18n": (None, {**NOT_STAFF, "facilitator": 200}),
    "admin:autocomplete": (None, {**NOT_STAFF, "facilitator": 403}),
    "admin:view_on_site": (lambda w: {"content_type_id": 0, "object_id": 0}, {**NOT_STAFF, "facilitator": 404}),
    "admin:app_list": (None, {}),  # one row per app, below
    "admin:standards_nomination_step": (
        lambda w: {"object_id": w.objects["standards.nomination"].pk},
        {**NOT_STAFF, "facilitator": 200},
    ),
    "admin:standards_standard_release": (
        lambda w: {"object_id": w.objects["standards.standard"].pk},
        {**NOT_STAFF, "facilitator": 200},
    ),
    # Any tracked object's history, also of models without admin pages or of deleted objects.
    "admin:audit_auditevent_object": (
        lambda w: {"label": "initiatives.initiative", "pk": w.objects["initiatives.initiative"].pk},
        {**NOT_STAFF, "facilitator": 200},
    ),
    "admin:standards_standard_withdraw": (
        lambda w: {"object_id": w.objects["standards.standard"].pk},
        {**NOT_STAFF, "facilitator": 200},
    ),
}
# What a facilitator may do with each model in the admin (superusers may do everything).
READ_ONLY = {"changelist": 200, "add": 403, "change": 200, "delete": 403, "history": 200}
FACILITATOR_ADMIN = {
    "initiatives.initiative": READ_ONLY,
    "initiatives.theme": {"changelist": 200, "add": 200, "change": 200, "delete": 403, "history": 200},
    "account.emailaddress": READ_ONLY,
    "axes.accessattempt": {"changelist": 200, "add": 403, "change": 200, "delete": 200, "history": 200},
    "axes.accesslog": READ_ONLY,
    "axes.accessfailurelog": READ_ONLY,
    "accounts.user": {"changelist": 200, "add": 403, "change": 200, "delete": 403, "history": 200},
    "auth.group": {"changelist": 403, "add": 403, "change": 403, "delete": 403, "history": 403},
    "municipalities.province": {"changelist": 200, "add": 403, "change": 200, "delete": 403, "history": 200},
    "municipalities.municipality": {"changelist": 200, "add": 403, "change": 200, "delete": 403, "history": 200},
    "municipalities.organisation": {"changelist": 200, "add": 200, "change": 200, "delete": 403, "history": 200},
    "municipalities.organisationdomain": {"changelist": 200, "add": 200, "change": 200, "delete": 200, "history": 200},
    "municipalities.membership": {"changelist": 200, "add": 200, "change": 200, "delete": 200, "history": 200},
    "municipalities.membershiprequest": {"changelist": 200, "add": 403, "change": 200, "delete": 403, "history": 200},
    "collaboration.participation": READ_ONLY,
    "collaboration.milestone": READ_ONLY,
    "collaboration.comment": READ_ONLY,
    "collaboration.commentreport": READ_ONLY,
    "standards.nomination": READ_ONLY,
    "standards.standard": {"changelist": 200, "add": 403, "change": 200, "delete": 403, "history": 200},
    "standards.adoption": READ_ONLY,
    # The audit trail: read only; one change is read in its object's history.
    "audit.auditevent": {"changelist": 200, "add": 403, "change": AWAY, "delete": 403, "history": AWAY},
    # Second factors, sessions and linked identity-provider logins: superusers only.
    "mfa.authenticator": {"changelist": 403, "add": 403, "change": 403, "delete": 403, "history": 403},
    "usersessions.usersession": {"changelist": 403, "add": 403, "change": 403, "delete": 403, "history": 403},
    "socialaccount.socialaccount": {"changelist": 403, "add": 403, "change": 403, "delete": 403, "history": 403},
}
FACILITATOR_APPS = {
    "account": 200,
    "accounts": 200,
    "audit": 200,
    "auth": 404,
    "mfa": 404,
    "socialaccount": 404,
    "usersessions": 404,
    "axes": 200,
    "collaboration": 200,
    "initiatives": 200,
    "municipalities": 200,
    "standards": 200,
}


def admin_rows() -> dict[str, tuple]:
    rows = dict(ADMIN_SITE)
    del rows["admin:app_list"]
    for app_label, status in FACILITATOR_APPS.items():
        rows[f"admin:app_list[{app_label}]"] = (
            lambda w, app_label=app_label: {"app_label": app_label},
            {**NOT_STAFF, "facilitator": status},
        )
    for model in admin.site._registry:
        key = f"{model._meta.app_label}.{model._meta.model_name}"
        # The admin's old-style object URL, which only redirects to the change page.
        rows[f"admin:unnamed:{admin_prefix()}{model._meta.app_label}/{model._meta.model_name}/<path:object_id>/"] = (
            lambda w, key=key: {"object_id": w.objects[key].pk},
            {**NOT_STAFF, "facilitator": AWAY},
        )
        for page, status in FACILITATOR_ADMIN.get(key, {}).items():
            needs_object = page in {"change", "delete", "history"}
            rows[f"admin:{model._meta.app_label}_{model._meta.model_name}_{page}"] = (
                (lambda w, key=key: {"object_id": w.objects[key].pk}) if needs_object else None,
                {**NOT_STAFF, "facilitator": status},
            )
    return rows


def admin_prefix() -> str:
    return reverse("admin:index").lstrip("/")


def all_rows() -> dict[str, tuple]:
    return {**MATRIX, **admin_rows()}


def served_url_names(resolver=None, namespace="", prefix="") -> set[str]:
    """Every URL pattern by its name; an unnamed one as ``<namespace>unnamed:<full route>``."""
    names = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= served_url_names(pattern, inner, route)
        elif isinstance(pattern, URLPattern):
            names.add(namespace + (pattern.name or f"unnamed:{route}"))
    return names


def row_url_names() -> set[str]:
    return {name.split("[")[0] for name in all_rows()}


def test_every_url_pattern_has_a_row():
    missing = served_url_names() - row_url_names()
    assert not missing, f"URL patterns without a row in the permission matrix: {sorted(missing)}"


def test_every_row_is_a_url_that_exists():
    stale = row_url_names() - served_url_names()
    assert not stale, f"Rows for URL patterns that no longer exist: {sorted(stale)}"


def test_every_admin_model_has_facilitator_rows():
    registered = {f"{m._meta.app_label}.{m._meta.model_name}" for m in admin.site._registry}
    assert registered == set(FACILITATOR_ADMIN), "each model in the admin needs a row of facilitator rights"


def log_in(client, role: str, user) -> None:
    """The facilitator logs in with the second factor, which the admin asks of them."""
    if role == "facilitator":
        log_in_with_second_factor(client, user)
    else:
        client.force_login(user)


def outcome(response) -> int | str:
    if response.status_code in (301, 302):
        return LOGIN if "login" in response.url or "inloggen" in response.url else AWAY
    return response.status_code


def url_for(name: str, kwargs: dict | None) -> str:
    if ":unnamed:" in name:
        route = name.split(":unnamed:")[1]
        for key, value in (kwargs or {}).items():
            route = route.replace(f"<path:{key}>", str(value)).replace(f"(?P<{key}>.*)$", str(value))
        return "/" + route
    return reverse(name.split("[")[0], kwargs=kwargs)


@pytest.mark.parametrize("name", sorted(all_rows()))
def test_permission_matrix(client, world, name):
    kwargs_for, expected = all_rows()[name]
    url = url_for(name, kwargs_for(world) if kwargs_for else None)
    actual = {}
    for role in ROLES:
        client.logout()
        if world.users[role] is not None:
            log_in(client, role, world.users[role])
        actual[role] = outcome(client.get(url))
    assert actual == expected, f"GET {url}"


# The actions, by POST: who may do them. ``data`` gets the world and the role, so each role acts on
# its own fresh object and one role's success cannot change what the next one finds.
COORDINATOR_ONLY = {"anonymous": LOGIN, "other_member": 404, "member": 404, "coordinator": AWAY, "facilitator": 404}

POST_MATRIX = {
    "accounts:session-end": (
        lambda w, role: {
            "pk": UserSession.objects.create(
                user=w.users["member"], session_key=f"andere-sessie-{role}", ip="10.0.0.2", user_agent="Firefox"
            ).pk
        },
        lambda w, role: {},
        {"anonymous": LOGIN, "other_member": 404, "member": AWAY, "coordinator": 404, "facilitator": 404},
    ),
    "api_keys:revoke": (
        lambda w, role: {"slug": w.utrecht.slug, "pk": ApiKeyFactory(organisation=w.utrecht).pk},
        lambda w, role: {},
        {"anonymous": LOGIN, "other_member": 403, "member": 403, "coordinator": AWAY, "facilitator": 403},
    ),
    "notifications:read": (
        lambda w, role: {"pk": w.objects["notification"].pk},
        lambda w, role: {},
        {"anonymous": LOGIN, "other_member": 404, "member": AWAY, "coordinator": 404, "facilitator": 404},
    ),
    "notifications:read-all": (None, lambda w, role: {}, logged_in(AWAY)),
    **{
        f"webhooks:{name}": (
            lambda w, role: {"slug": w.utrecht.slug, "pk": WebhookEndpointFactory(organisation=w.utrecht).pk},
            lambda w, role: {},
            COORDINATOR_ONLY,
        )
        for name in ("enable", "rotate-secret", "delete")
    },
    "accounts:membership-decide": (
        lambda w, role: {"pk": MembershipRequestFactory(organisation=w.utrecht).pk},
        lambda w, role: {"decision": "approve"},
        {"anonymous": LOGIN, "other_member": 404, "member": 404, "coordinator": AWAY, "facilitator": 404},
    ),
    "accounts:membership-request": (
        lambda w, role: {"slug": w.utrecht.slug},
        lambda w, role: {"motivation": "Ik werk hier."},
        {"anonymous": LOGIN, "other_member": AWAY, "member": 200, "coordinator": 200, "facilitator": AWAY},
    ),
    "municipalities:organisation-request": (
        None,
        lambda w, role: {"name": f"Partner van {role}", "kind": "company", "motivation": "Samenwerken"},
        logged_in(AWAY),
    ),
    "accounts:profile": (None, lambda w, role: {"name": "Nieuwe Naam", "language": "nl"}, logged_in(AWAY)),
    "set_language": (None, lambda w, role: {"language": "en", "next": "/"}, everyone(AWAY)),
    "initiatives:publish": (
        lambda w, role: {"slug": InitiativeFactory(owner=w.utrecht).slug},
        lambda w, role: {},
        {"anonymous": LOGIN, "other_member": 404, "member": AWAY, "coordinator": AWAY, "facilitator": 404},
    ),
    "initiatives:archive": (
        lambda w, role: {"slug": InitiativeFactory(owner=w.utrecht, published=True).slug},
        lambda w, role: {},
        {"anonymous": LOGIN, "other_member": 404, "member": AWAY, "coordinator": AWAY, "facilitator": AWAY},
    ),
    "account_logout": (None, lambda w, role: {}, everyone(AWAY)),
    "standards:adoption-edit": (
        lambda w, role: {"slug": StandardFactory().slug},
        lambda w, role: {"status": "planned", "since": "2026-01-05"},
        {"anonymous": LOGIN, "other_member": AWAY, "member": AWAY, "coordinator": AWAY, "facilitator": AWAY},
    ),
    "standards:nominate": (
        lambda w, role: {"slug": InitiativeFactory(owner=w.utrecht, published=True, phase="proven_practice").slug},
        lambda w, role: {
            "organisations_using": "4",
            "results": "Sneller.",
            "costs_and_savings": "Weinig.",
            "reusability": "Open source.",
            "documentation": "Handleiding.",
        },
        {"anonymous": LOGIN, "other_member": 404, "member": AWAY, "coordinator": AWAY, "facilitator": 404},
    ),
    # Everyone logged in comments in an open consultation (they land back on the nomination).
    "standards:nomination-comment": (
        lambda w, role: {"pk": NominationFactory(stage="consultation").pk},
        lambda w, role: {"body": f"Reactie van {role}."},
        {"anonymous": LOGIN, **dict.fromkeys(ROLES[1:], AWAY)},
    ),
    "standards:nomination-withdraw": (
        lambda w, role: {"pk": NominationFactory(initiative__owner=w.utrecht).pk},
        lambda w, role: {},
        {"anonymous": LOGIN, "other_member": 404, "member": AWAY, "coordinator": AWAY, "facilitator": 404},
    ),
    # The initiative's owner cannot ask to join it: its members get the page that says so.
    "collaboration:participation-join": (
        lambda w, role: {"slug": InitiativeFactory(owner=w.utrecht, published=True).slug},
        lambda w, role: {"join-role": "participant", "join-motivation": "Wij doen graag mee."},
        {"anonymous": LOGIN, "other_member": AWAY, "member": 200, "coordinator": 200, "facilitator": AWAY},
    ),
    "collaboration:participation-decide": (
        lambda w, role: {
            "pk": ParticipationFactory(initiative=InitiativeFactory(owner=w.utrecht, published=True), requested=True).pk
        },
        lambda w, role: {"decision": "accept"},
        {"anonymous": LOGIN, "other_member": 404, "member": AWAY, "coordinator": AWAY, "facilitator": 404},
    ),
    # Zwolle's participations: only its member acts on them.
    "collaboration:participation-role": (
        lambda w, role: {"pk": ParticipationFactory(organisation=zwolle_of(w)).pk},
        lambda w, role: {"other-role": "funder", "other-motivation": "Wij hebben budget."},
        {"anonymous": LOGIN, "other_member": AWAY, "member": 404, "coordinator": 404, "facilitator": 404},
    ),
    "collaboration:participation-withdraw": (
        lambda w, role: {"pk": ParticipationFactory(organisation=zwolle_of(w), requested=True).pk},
        lambda w, role: {},
        {"anonymous": LOGIN, "other_member": AWAY, "member": 404, "coordinator": 404, "facilitator": 404},
    ),
    "collaboration:participation-leave": (
        lambda w, role: {"pk": ParticipationFactory(organisation=zwolle_of(w)).pk},
        lambda w, role: {},
        {"anonymous": LOGIN, "other_member": AWAY, "member": 404, "coordinator": 404, "facilitator": 404},
    ),
    # Milestones: each role acts on a fresh draft (or its planned milestone) of Utrecht.
    "collaboration:milestone-plan": (
        lambda w, role: {"slug": InitiativeFactory(owner=w.utrecht).slug},
        lambda w, role: {"title": "Pilot in twee wijken afgerond"},
        {"anonymous": LOGIN, "other_member": 404, "member": AWAY, "coordinator": AWAY, "facilitator": 404},
    ),
    "collaboration:milestone-edit": (
        lambda w, role: _milestone_kwargs(w),
        lambda w, role: {"title": "Pilot in drie wijken afgerond"},
        {"anonymous": LOGIN, "other_member": 404, "member": AWAY, "coordinator": AWAY, "facilitator": 404},
    ),
    "collaboration:milestone-achieve": (
        lambda w, role: _milestone_kwargs(w),
        lambda w, role: {"achieved_on": "2026-01-05", "achievement": "De pilot is afgerond."},
        {"anonymous": LOGIN, "other_member": 404, "member": AWAY, "coordinator": AWAY, "facilitator": 404},
    ),
    # Comments: each role on a fresh comment by the member on Utrecht's published initiative.
    "collaboration:comment-post": (
        lambda w, role: {"slug": w.objects["initiatives.initiative"].slug},
        lambda w, role: {"body": f"Een reactie van {role}."},
        logged_in(AWAY),
    ),
    "collaboration:comment-edit": (
        lambda w, role: _comment_kwargs(w),
        lambda w, role: {"body": "Verbeterd."},
        {"anonymous": LOGIN, "other_member": 404, "member": AWAY, "coordinator": 404, "facilitator": 404},
    ),
    "collaboration:comment-report": (
        lambda w, role: _comment_kwargs(w),
        lambda w, role: {"reason": "Reclame."},
        logged_in(AWAY),
    ),
    "collaboration:comment-hide": (
        lambda w, role: _comment_kwargs(w),
        lambda w, role: {"reason": "Persoonlijke gegevens van een inwoner."},
        {"anonymous": LOGIN, "other_member": 404, "member": 404, "coordinator": 404, "facilitator": AWAY},
    ),
    # Follows: anyone logged in, for what they may see (a draft only its organisation's members).
    "collaboration:follow-initiative": (
        lambda w, role: {"slug": InitiativeFactory(owner=w.utrecht).slug},
        lambda w, role: {"action": "follow"},
        {"anonymous": LOGIN, "other_member": 404, "member": AWAY, "coordinator": AWAY, "facilitator": 404},
    ),
    "collaboration:follow-initiative-frequency": (
        lambda w, role: {"slug": InitiativeFactory(owner=w.utrecht).slug},
        lambda w, role: {"frequency": "weekly"},
        {"anonymous": LOGIN, "other_member": 404, "member": AWAY, "coordinator": AWAY, "facilitator": 404},
    ),
    "collaboration:follow-theme": (
        lambda w, role: {"slug": w.objects["initiatives.theme"].slug},
        lambda w, role: {"action": "follow"},
        logged_in(AWAY),
    ),
    "collaboration:follow-theme-frequency": (
        lambda w, role: {"slug": w.objects["initiatives.theme"].slug},
        lambda w, role: {"frequency": "weekly"},
        logged_in(AWAY),
    ),
    "collaboration:follow-municipality": (
        lambda w, role: {"slug": w.utrecht.municipality.slug},
        lambda w, role: {"action": "follow"},
        logged_in(AWAY),
    ),
    "collaboration:follow-municipality-frequency": (
        lambda w, role: {"slug": w.utrecht.municipality.slug},
        lambda w, role: {"frequency": "weekly"},
        logged_in(AWAY),
    ),
    "collaboration:follow-standard": (
        lambda w, role: {"slug": w.objects["standards.standard"].slug},
        lambda w, role: {"action": "follow"},
        logged_in(AWAY),
    ),
    "collaboration:follow-standard-frequency": (
        lambda w, role: {"slug": w.objects["standards.standard"].slug},
        lambda w, role: {"frequency": "weekly"},
        logged_in(AWAY),
    ),
}


def _milestone_kwargs(w):
    milestone = MilestoneFactory(initiative=InitiativeFactory(owner=w.utrecht))
    return {"slug": milestone.initiative.slug, "pk": milestone.pk}


def _comment_kwargs(w):
    initiative = w.objects["initiatives.initiative"]
    comment = CommentFactory(initiative=initiative, author=w.users["member"], organisation=w.utrecht)
    return {"slug": initiative.slug, "pk": comment.pk}


@pytest.mark.parametrize("name", sorted(POST_MATRIX))
def test_permission_matrix_for_actions(client, world, name):
    kwargs_for, data_for, expected = POST_MATRIX[name]
    actual = {}
    for role in ROLES:
        client.logout()
        if world.users[role] is not None:
            log_in(client, role, world.users[role])
        url = reverse(name, kwargs=kwargs_for(world, role) if kwargs_for else None)
        actual[role] = outcome(client.post(url, data_for(world, role)))
    assert actual == expected, f"POST {name}"
