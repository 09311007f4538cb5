"""The site's URL map: wires each app's doors; owns no behaviour."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from vgp.accounts import views as account_views
from vgp.api.urls import api
from vgp.core import health
from vgp.portal import views as portal_views

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("api/v1/", api.urls),
    path("quan-tri/xac-thuc-2-buoc/", account_views.second_factor_setup, name="accounts_2fa_setup"),
    path("quan-tri/", include(wagtailadmin_urls)),
    path("tai-lieu/", include(wagtaildocs_urls)),
    # sitemap.xml, sitemap-<section>.xml and robots.txt: one per host, no language prefix.
    path("", include("vgp.news.sitemap_urls")),
    # The certification authority's CRLs, OCSP responder, CA certificates and TSA (ADR 0016).
    path("", include("vgp.signatures.pki_urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += i18n_patterns(
    # The e-newspaper's topic, search and view-counter addresses, before Wagtail's catch-all.
    path("", include("vgp.news.urls")),
    # RSS and Atom feeds (rss/, atom/, per section and per agency).
    path("", include("vgp.news.feed_urls")),
    # The legal documents database and the Official Gazette.
    path("", include("vgp.legal.urls")),
    path("", include("vgp.gazette.urls")),
    # Citizen feedback, petitions, complaints and denunciations.
    path("", include("vgp.feedback.urls")),
    # Anyone checks the electronic signatures of a PDF (/xac-thuc/).
    path("", include("vgp.signatures.urls")),
    # Wagtail's own addresses, with its catch-all page view replaced by ours (the same view,
    # with the route cached per content generation: vgp.portal.views.serve).
    *[pattern for pattern in wagtail_urls.urlpatterns if pattern.name != "wagtail_serve"],
    re_path(wagtail_urls.serve_pattern, portal_views.serve, name="wagtail_serve"),
    prefix_default_language=False,
)
