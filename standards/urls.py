from django.urls import path

from standards.views import nominations, register, standards

app_name = "standards"

urlpatterns = [
    path("standaarden", standards.standard_list, name="list"),
    path("standaarden/overname", standards.adoption_dashboard, name="dashboard"),
    path("standaarden/register.csv", register.register_csv, name="register-csv"),
    path("standaarden/register.json", register.register_json, name="register-json"),
    path("standaarden/<slug:slug>", standards.standard_detail, name="detail"),
    path("standaarden/<slug:slug>/onze-overname", standards.adoption_edit, name="adoption-edit"),
    path("initiatieven/<slug:slug>/voordragen", nominations.nominate, name="nominate"),
    path("voordrachten/<int:pk>", nominations.nomination_detail, name="nomination"),
    path("voordrachten/<int:pk>/reacties", nominations.nomination_comment, name="nomination-comment"),
    path("voordrachten/<int:pk>/intrekken", nominations.nomination_withdraw_view, name="nomination-withdraw"),
]
