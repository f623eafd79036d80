"""The one-click unsubscribe page (RFC 8058). A mail client POSTs to the link of the List-Unsubscribe
header, without a session or a CSRF token: the signed token is the authority, so this one view is exempt
from CSRF. A person who follows the link gets a page with a button (a GET changes nothing, since link
checkers and previews fetch links) and a link to the settings, where each follow's frequency can be set."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from collaboration.selectors_follow import kind_of, target_url

from .unsubscribe import SETTINGS_PATH, InvalidToken, Unsubscription, read_token
from .unsubscribe import unsubscribe as unsubscribe_service


@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    try:
        unsubscription = read_token(token)
    except InvalidToken:
        return render(request, "notifications/unsubscribe_invalid.html", {"settings_path": SETTINGS_PATH}, status=400)
    if request.method == "POST":
        unsubscribe_service(user=unsubscription.user, target=unsubscription.target, frequency=unsubscription.frequency)
        return render(request, "notifications/unsubscribe_done.html", _context(unsubscription))
    return render(request, "notifications/unsubscribe.html", _context(unsubscription))


def _context(unsubscription: Unsubscription) -> dict:
    target = unsubscription.target
    return {
        "unsubscription": unsubscription,
        "target": target,
        "kind": kind_of(target) if target is not None else None,
        "target_url": target_url(target) if target is not None else None,
        "settings_path": SETTINGS_PATH,
    }
