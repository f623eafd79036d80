from collaboration.views import comment, follow, milestone, participation

app_name = "collaboration"

urlpatterns = [*participation.urlpatterns, *milestone.urlpatterns, *comment.urlpatterns, *follow.urlpatterns]
