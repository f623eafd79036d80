from django.urls import path

from . import views

app_name = "webhooks"
urlpatterns = [
    path("organisaties/<slug:slug>/webhooks", views.endpoint_list, name="list"),
    path("organisaties/<slug:slug>/webhooks/nieuw", views.endpoint_create, name="create"),
    path("organisaties/<slug:slug>/webhooks/<int:pk>", views.endpoint_detail, name="detail"),
    path("organisaties/<slug:slug>/webhooks/<int:pk>/wijzigen", views.endpoint_edit, name="edit"),
    path("organisaties/<slug:slug>/webhooks/<int:pk>/inschakelen", views.endpoint_enable, name="enable"),
    path("organisaties/<slug:slug>/webhooks/<int:pk>/nieuw-geheim", views.endpoint_rotate_secret, name="rotate-secret"),
    path("organisaties/<slug:slug>/webhooks/<int:pk>/verwijderen", views.endpoint_delete, name="delete"),
]
