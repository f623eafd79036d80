from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from municipalities.models import Municipality, Organisation

from .health import broker_ready, database_ready


def home(request: HttpRequest) -> HttpResponse:
    context = {
        "municipality_count": Municipality.objects.current().count(),
        "partner_count": Organisation.objects.active().partners().count(),
    }
    return render(request, "pages/home.html", context)


def accessibility_statement(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/accessibility.html")


def privacy_statement(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "pages/privacy.html",
        {
            "unverified_account_days": settings.SAMENORG_UNVERIFIED_ACCOUNT_DAYS,
            "notification_keep_days": settings.SAMENORG_NOTIFICATION_KEEP_DAYS,
        },
    )


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """The process is alive and answering; it checks nothing else."""
    return JsonResponse({"status": "ok"})


@require_GET
@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    """Ready to serve when the database answers; 503 otherwise. The broker is reported but does not decide:
    without it every page is still served, and the work it would carry is swept up once it is back, so a
    broker outage must not take every web machine out of the load balancer."""
    (ready, database), (_, broker) = database_ready(), broker_ready()
    body = {"status": "ok" if ready else "unavailable", "checks": {"database": database, "broker": broker}}
    return JsonResponse(body, status=200 if ready else 503)
