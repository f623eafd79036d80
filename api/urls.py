"""/api/v1/: plural nouns, kebab-case, no trailing slashes (a URL with one is a 404, never a redirect)."""

from django.urls import path

from api.views import collaboration, events, initiatives, places, reference, standards
from api.views.openapi import OpenApiDocument

app_name = "api"
urlpatterns = [
    path("openapi.json", OpenApiDocument.as_view(), name="openapi"),
    path("docs", reference.api_reference, name="reference"),
    path("municipalities", places.MunicipalityList.as_view(), name="municipalities"),
    path("municipalities/<slug:slug>", places.MunicipalityDetail.as_view(), name="municipality"),
    path("organisations", places.OrganisationList.as_view(), name="organisations"),
    path("organisations/<slug:slug>", places.OrganisationDetail.as_view(), name="organisation"),
    path("themes", places.ThemeList.as_view(), name="themes"),
    path("themes/<slug:slug>", places.ThemeDetail.as_view(), name="theme"),
    path("initiatives", initiatives.InitiativeList.as_view(), name="initiatives"),
    path("initiatives/<slug:slug>", initiatives.InitiativeDetail.as_view(), name="initiative"),
    path("initiatives/<slug:slug>/publish", initiatives.InitiativePublish.as_view(), name="initiative-publish"),
    path("initiatives/<slug:slug>/phase", initiatives.InitiativePhase.as_view(), name="initiative-phase"),
    path(
        "initiatives/<slug:slug>/participations",
        collaboration.ParticipationList.as_view(),
        name="initiative-participations",
    ),
    path("initiatives/<slug:slug>/milestones", collaboration.MilestoneList.as_view(), name="initiative-milestones"),
    path("initiatives/<slug:slug>/comments", collaboration.CommentList.as_view(), name="initiative-comments"),
    path("participations/<int:pk>", collaboration.ParticipationDetail.as_view(), name="participation"),
    path(
        "participations/<int:pk>/decision",
        collaboration.ParticipationDecision.as_view(),
        name="participation-decision",
    ),
    path("milestones/<int:pk>", collaboration.MilestoneDetail.as_view(), name="milestone"),
    path("milestones/<int:pk>/achievement", collaboration.MilestoneAchievement.as_view(), name="milestone-achievement"),
    path("standards", standards.StandardList.as_view(), name="standards"),
    path("standards/<slug:slug>", standards.StandardDetail.as_view(), name="standard"),
    path("standards/<slug:slug>/versions", standards.VersionList.as_view(), name="standard-versions"),
    path("standards/<slug:slug>/adoptions", standards.AdoptionList.as_view(), name="standard-adoptions"),
    path(
        "standards/<slug:slug>/adoption-figures",
        standards.StandardAdoptionFigures.as_view(),
        name="standard-adoption-figures",
    ),
    path("adoption-figures", standards.AdoptionFigures.as_view(), name="adoption-figures"),
    path("nominations", standards.NominationList.as_view(), name="nominations"),
    path("nominations/<int:pk>", standards.NominationDetail.as_view(), name="nomination"),
    path("events", events.EventFeed.as_view(), name="events"),
]
