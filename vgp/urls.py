"""The site's URL map: wires each app's doors; owns no behaviour."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from vgp.accounts import views as account_views
from vgp.api.urls import api
from vgp.core import health

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("api/v1/", api.urls),
    path("quan-tri/xac-thuc-2-buoc/", account_views.second_factor_setup, name="accounts_2fa_setup"),
    path("quan-tri/", include(wagtailadmin_urls)),
    path("tai-lieu/", include(wagtaildocs_urls)),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += i18n_patterns(
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
