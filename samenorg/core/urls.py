from django.urls import path

from . import views
from .metrics import metrics_view

urlpatterns = [
    path("", views.home, name="home"),
    path("toegankelijkheid", views.accessibility_statement, name="accessibility"),
    path("privacy", views.privacy_statement, name="privacy"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    # For Prometheus, which expects this path; only with SAMENORG_METRICS_TOKEN set (samenorg/core/metrics.py).
    path("metrics", metrics_view, name="metrics"),
]
