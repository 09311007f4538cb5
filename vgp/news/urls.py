"""The e-newspaper's URLs outside the page tree (mounted under the language prefix)."""

from django.urls import path

from . import views

app_name = "news"

urlpatterns = [
    path("chu-de/<slug:slug>/", views.topic, name="topic"),
    path("tim-kiem/", views.search, name="search"),
    path("luot-doc/<int:pk>.gif", views.view_pixel, name="view_pixel"),
]
