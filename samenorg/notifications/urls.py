"""The notification pages: the inbox, the follow settings and the one-click unsubscribe."""

from django.urls import path  # noqa: F401 (the patterns below use it)

app_name = "notifications"

urlpatterns: list = []
