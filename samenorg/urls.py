from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

urlpatterns = [
    path("api/v1/", include("api.urls")),  # first: partner systems' requests resolve without the site's patterns
    path("", include("samenorg.core.urls")),
    path("", include("samenorg.accounts.urls")),
    path("", include("municipalities.urls")),
    path("", include("initiatives.urls")),
    path("", include("collaboration.urls")),
    path("", include("standards.urls")),
    path("", include("samenorg.notifications.urls")),
    path("", include("api.ui_urls")),
    path("", include("webhooks.urls")),
    path("taal", set_language, name="set_language"),
    path("beheer/", admin.site.urls),  # SecondFactorAdminSite (samenorg/accounts/admin_site.py)
]
