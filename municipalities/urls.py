from django.urls import path

app_name = "municipalities"
urlpatterns: list = []
