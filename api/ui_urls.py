"""The coordinators' pages for their organisation's API keys."""

from django.urls import path

from api.views import keys

app_name = "api_keys"
urlpatterns = [
    path("organisaties/<slug:slug>/api-sleutels", keys.api_key_list, name="list"),
    path("organisaties/<slug:slug>/api-sleutels/<int:pk>/intrekken", keys.api_key_revoke, name="revoke"),
]
