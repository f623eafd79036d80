from django.urls import path

from . import views

app_name = "municipalities"
urlpatterns = [
    path("gemeenten", views.municipality_list, name="list"),
    path("gemeenten/<slug:slug>", views.municipality_detail, name="detail"),
    path("organisaties", views.organisation_list, name="organisation-list"),
    # Before <slug>, which it would otherwise match; the slug is reserved for organisations.
    path("organisaties/aanmelden", views.organisation_request, name="organisation-request"),
    path("organisaties/<slug:slug>", views.organisation_detail, name="organisation-detail"),
]
