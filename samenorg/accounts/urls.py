"""Account pages on Dutch paths. The allauth views keep their URL names, which allauth reverses."""

from allauth.account import views as allauth_views
from allauth.mfa.base import views as mfa_views
from allauth.mfa.recovery_codes import views as recovery_code_views
from allauth.mfa.totp import views as totp_views
from allauth.socialaccount import views as socialaccount_views
from allauth.usersessions import views as usersession_views
from django.urls import include, path, re_path

from .oidc import requires_oidc
from .views import data_rights, membership, overview, profile, security

own_patterns = [
    path("mijn-overzicht", overview.overview, name="overview"),
    path("account/profiel", profile.profile, name="profile"),
    path("organisaties/<slug:slug>/lid-worden", membership.request_membership, name="membership-request"),
    path("lidmaatschapsverzoeken/<int:pk>", membership.decide_membership, name="membership-decide"),
    path("account/mijn-gegevens", data_rights.my_data, name="my-data"),
    path("account/verwijderen", data_rights.delete_account, name="delete"),
    path("account/sessies/<int:pk>/beeindigen", security.end_session, name="session-end"),
    path(
        "account/tweestapsverificatie/nodig-voor-beheer",
        security.second_factor_required,
        name="second-factor-required",
    ),
]

allauth_patterns = [
    path("account/inloggen", allauth_views.login, name="account_login"),
    path("account/uitloggen", allauth_views.logout, name="account_logout"),
    path("account/inactief", allauth_views.account_inactive, name="account_inactive"),
    path("account/registreren", allauth_views.signup, name="account_signup"),
    path("account/opnieuw-inloggen", allauth_views.reauthenticate, name="account_reauthenticate"),
    path("account/e-mail", allauth_views.email, name="account_email"),
    path("account/bevestig-e-mail", allauth_views.email_verification_sent, name="account_email_verification_sent"),
    re_path(r"^account/bevestig-e-mail/(?P<key>[-:\w]+)$", allauth_views.confirm_email, name="account_confirm_email"),
    path("account/wachtwoord", allauth_views.password_change, name="account_change_password"),
    path("account/wachtwoord-instellen", allauth_views.password_set, name="account_set_password"),
    path("account/wachtwoord-vergeten", allauth_views.password_reset, name="account_reset_password"),
    path(
        "account/wachtwoord-vergeten/verstuurd", allauth_views.password_reset_done, name="account_reset_password_done"
    ),
    re_path(
        r"^account/wachtwoord-vergeten/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)$",
        allauth_views.password_reset_from_key,
        name="account_reset_password_from_key",
    ),
    path(
        "account/wachtwoord-vergeten/gewijzigd",
        allauth_views.password_reset_from_key_done,
        name="account_reset_password_from_key_done",
    ),
]

# The second factor (allauth.mfa): an authenticator app with recovery codes.
second_factor = "account/tweestapsverificatie"
mfa_patterns = [
    path(second_factor, mfa_views.index, name="mfa_index"),
    path("account/inloggen/code", mfa_views.authenticate, name="mfa_authenticate"),
    path("account/opnieuw-inloggen/code", mfa_views.reauthenticate, name="mfa_reauthenticate"),
    path(f"{second_factor}/app-instellen", totp_views.activate_totp, name="mfa_activate_totp"),
    path(f"{second_factor}/app-uitzetten", totp_views.deactivate_totp, name="mfa_deactivate_totp"),
    path(f"{second_factor}/herstelcodes", recovery_code_views.view_recovery_codes, name="mfa_view_recovery_codes"),
    path(
        f"{second_factor}/herstelcodes/nieuw",
        recovery_code_views.generate_recovery_codes,
        name="mfa_generate_recovery_codes",
    ),
    path(
        f"{second_factor}/herstelcodes/downloaden",
        recovery_code_views.download_recovery_codes,
        name="mfa_download_recovery_codes",
    ),
    path("account/sessies", usersession_views.list_usersessions, name="usersessions_list"),
]

# Login through an identity provider (OpenID Connect): account/oidc/<provider_id>/login/ and .../callback/.
# Without a provider configured (SAMENORG_OIDC_*) every one of these is not found.
oidc_patterns = [
    path("account/", include("allauth.socialaccount.providers.openid_connect.urls")),
    path(
        "account/oidc/geannuleerd",
        requires_oidc(socialaccount_views.login_cancelled),
        name="socialaccount_login_cancelled",
    ),
    path("account/oidc/mislukt", requires_oidc(socialaccount_views.login_error), name="socialaccount_login_error"),
    path("account/oidc/registreren", requires_oidc(socialaccount_views.signup), name="socialaccount_signup"),
    path("account/koppelingen", requires_oidc(socialaccount_views.connections), name="socialaccount_connections"),
]

urlpatterns = [*allauth_patterns, *mfa_patterns, *oidc_patterns, path("", include((own_patterns, "accounts")))]
