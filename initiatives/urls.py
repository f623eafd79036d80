from django.urls import path

from .views import attachment, detail, edit, export, listing

app_name = "initiatives"
urlpatterns = [
    path("initiatieven", listing.initiative_list, name="list"),
    path("initiatieven/export.csv", export.export_csv, name="export-csv"),
    path("initiatieven/export.json", export.export_json, name="export-json"),
    path("initiatieven/nieuw", edit.initiative_create, name="create"),
    path("initiatieven/mijn", listing.my_initiatives, name="mine"),
    path("initiatieven/<slug:slug>", detail.initiative_detail, name="detail"),
    path("initiatieven/<slug:slug>/bewerken", edit.initiative_edit, name="edit"),
    path("initiatieven/<slug:slug>/publiceren", edit.initiative_publish, name="publish"),
    path("initiatieven/<slug:slug>/fase", edit.initiative_change_phase, name="change-phase"),
    path("initiatieven/<slug:slug>/archiveren", edit.initiative_archive, name="archive"),
    path("initiatieven/<slug:slug>/bijlagen", edit.attachment_add, name="attachment-add"),
    path("initiatieven/<slug:slug>/bijlagen/<uuid:uuid>", attachment.attachment_download, name="attachment"),
]
