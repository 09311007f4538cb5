"""Second factor for staff: every admin request needs a verified TOTP device."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

# Admin paths that a signed-in but not yet verified user may reach: the sign-in pages and the
# assets those pages load (translations for the scripts, the icon sprite) — redirecting an asset
# would put the enrolment page's HTML where a script or the icons belong.
_OPEN_ADMIN_URL_NAMES = (
    "wagtailadmin_login",
    "wagtailadmin_logout",
    "accounts_2fa_setup",
    "wagtailadmin_javascript_catalog",
    "wagtailadmin_sprite",
)


@lru_cache(maxsize=1)
def _open_paths() -> frozenset[str]:
    return frozenset(reverse(name) for name in _OPEN_ADMIN_URL_NAMES)


class RequireSecondFactorMiddleware:
    """Send staff who signed in with a password only to enrol or verify a TOTP device.

    Relaxed when ``VGP_REQUIRE_2FA`` is off (demo); production refuses to start that way.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.VGP_REQUIRE_2FA and self._needs_second_factor(request):
            return redirect(f"{reverse('accounts_2fa_setup')}?next={request.get_full_path()}")
        return self.get_response(request)

    def _needs_second_factor(self, request: HttpRequest) -> bool:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return False
        admin_prefix = reverse("wagtailadmin_home")
        if not request.path.startswith(admin_prefix):
            return False
        if request.path in _open_paths():
            return False
        return not user.is_verified()
