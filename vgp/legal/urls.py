"""Public pages of the legal documents database (under the language prefix)."""

from django.urls import path

from . import views

urlpatterns = [
    path("van-ban/", views.search_page, name="legal_search"),
    path("van-ban/<int:pk>/<slug:slug>/", views.document_page, name="legal_document"),
    path("van-ban/<int:pk>/<slug:slug>/ban-in/", views.document_print, name="legal_document_print"),
    path("van-ban/<int:pk>/", views.document_redirect, name="legal_document_short"),
]
