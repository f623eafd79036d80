"""Account pages on Dutch paths. The allauth views keep their URL names, which allauth reverses."""

from allauth.account import views as allauth_views
from django.urls import include, path, re_path

from .views import membership, overview, profile

own_patterns = [
    path("mijn-overzicht", overview.overview, name="overview"),
    path("account/profiel", profile.profile, name="profile"),
    path("organisaties/<slug:slug>/lid-worden", membership.request_membership, name="membership-request"),
    path("lidmaatschapsverzoeken/<int:pk>", membership.decide_membership, name="membership-decide"),
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

urlpatterns = [*allauth_patterns, path("", include((own_patterns, "accounts")))]
