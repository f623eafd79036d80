"""The notification pages: the inbox, the follow settings and the one-click unsubscribe."""

from django.urls import path

from . import views, views_unsubscribe

app_name = "notifications"

urlpatterns: list = [
    path("meldingen", views.inbox, name="inbox"),
    path("meldingen/alles-gelezen", views.notification_read_all, name="read-all"),
    path("meldingen/<int:pk>", views.notification_open, name="open"),
    path("meldingen/<int:pk>/gelezen", views.notification_read, name="read"),
    path("instellingen/meldingen", views.notification_settings, name="settings"),
    path("afmelden/<str:token>", views_unsubscribe.unsubscribe, name="unsubscribe"),
]
