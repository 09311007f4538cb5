"""The public verification page (under the language prefix)."""

from django.urls import path

from . import views

app_name = "signatures"

urlpatterns = [
    path("xac-thuc/", views.verify, name="verify"),
]
