"""Reading is open (what each caller may see is the visibility QuerySets' business); writing needs a
key with write scope or a logged-in person. Whether they may make this particular change, the
services decide, as they do for the site's pages."""

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from rest_framework import exceptions, permissions
from rest_framework.request import Request

from api.models import ApiKey

if TYPE_CHECKING:
    from rest_framework.views import APIView


class WritesNeedWriteAccess(permissions.BasePermission):
    def has_permission(self, request: Request, view: "APIView") -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        if isinstance(request.auth, ApiKey):
            if not request.auth.may_write:
                raise exceptions.PermissionDenied(_("This API key may only read; ask a coordinator for a write key."))
            return True
        return bool(request.user and request.user.is_authenticated)  # False: 401 for anonymous callers
