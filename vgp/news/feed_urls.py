"""Feed addresses, included under ``i18n_patterns``: ``/rss/`` in Vietnamese, ``/en/rss/``.

Included before Wagtail's catch-all, so a section cannot take the slugs ``rss`` or ``atom``.
"""

from django.urls import path

from . import feeds

app_name = "news_feeds"

urlpatterns = [
    path("rss/", feeds.NewsFeed(), name="rss"),
    path("rss/co-quan/<str:agency_code>/", feeds.AgencyFeed(), name="rss_agency"),
    path("rss/<slug:section_slug>/", feeds.SectionFeed(), name="rss_section"),
    path("atom/", feeds.AtomNewsFeed(), name="atom"),
    path("atom/co-quan/<str:agency_code>/", feeds.AtomAgencyFeed(), name="atom_agency"),
    path("atom/<slug:section_slug>/", feeds.AtomSectionFeed(), name="atom_section"),
]
