"""The certification authority's public addresses (no language prefix: certificates name them)."""

from django.urls import path, re_path

from . import pki_views

app_name = "pki"

urlpatterns = [
    path("pki/ca/<int:pk>.crt", pki_views.ca_certificate, name="ca"),
    path("pki/crl/<int:pk>.crl", pki_views.crl, name="crl"),
    path("pki/ocsp/<int:pk>/", pki_views.ocsp_responder, name="ocsp"),
    re_path(
        r"^pki/ocsp/(?P<pk>[0-9]+)/(?P<encoded>[A-Za-z0-9+/=%]+)$",
        pki_views.ocsp_responder,
        name="ocsp_get",
    ),
    path("pki/tsa/", pki_views.tsa, name="tsa"),
]
