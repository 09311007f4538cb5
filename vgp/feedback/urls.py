"""Public pages of citizen feedback (under the language prefix)."""

from django.urls import path

from . import statistics_views, views

app_name = "feedback"

urlpatterns = [
    path("phan-anh-kien-nghi/", views.home, name="home"),
    path("phan-anh-kien-nghi/gui/", views.submit, name="submit"),
    path("phan-anh-kien-nghi/da-gui/<str:code>/", views.submitted, name="submitted"),
    path("phan-anh-kien-nghi/tra-cuu/", views.track, name="track"),
    path(
        "phan-anh-kien-nghi/tra-cuu/<str:code>/thu-tra-loi.pdf",
        views.reply_letter,
        name="reply_letter",
    ),
    path("phan-anh-kien-nghi/da-tra-loi/", views.answered_list, name="answered"),
    path("phan-anh-kien-nghi/da-tra-loi/<int:pk>/", views.answered_detail, name="answered_detail"),
    path("phan-anh-kien-nghi/thong-ke/", statistics_views.statistics, name="statistics"),
    path("phan-anh-kien-nghi/thong-ke.csv", statistics_views.statistics_csv, name="statistics_csv"),
]
