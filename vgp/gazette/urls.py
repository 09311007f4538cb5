"""Public pages of the Official Gazette (under the language prefix), and the two feeds that
STANDARDS.md §5 asks for: new gazette issues and newly promulgated documents."""

from django.urls import path

from vgp.legal import feeds as legal_feeds

from . import feeds, views

urlpatterns = [
    path("cong-bao/", views.home, name="gazette_home"),
    path("cong-bao/tim-kiem/", views.search, name="gazette_search"),
    path("cong-bao/rss/", feeds.GazetteIssuesFeed(), name="gazette_rss"),
    path("cong-bao/atom/", feeds.AtomGazetteIssuesFeed(), name="gazette_atom"),
    path("cong-bao/<int:year>/", views.year, name="gazette_year"),
    path("cong-bao/<int:year>/<int:number>/", views.issue, name="gazette_issue"),
    path("cong-bao/<int:year>/<int:number>/van-ban/", views.issue_text, name="gazette_issue_text"),
    path("cong-bao/<int:year>/<int:number>/pdf/", views.issue_pdf, name="gazette_issue_pdf"),
    path(
        "van-ban/moi-ban-hanh/rss/",
        legal_feeds.NewDocumentsFeed(),
        name="legal_new_documents_rss",
    ),
    path(
        "van-ban/moi-ban-hanh/atom/",
        legal_feeds.AtomNewDocumentsFeed(),
        name="legal_new_documents_atom",
    ),
]
