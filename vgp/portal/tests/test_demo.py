"""ensure_home_pages() sets up the two home pages and the default site, once."""

from __future__ import annotations

from wagtail.models import Locale, Page, PageLogEntry, Revision, Site

from vgp.portal.demo import ensure_home_pages
from vgp.portal.models import HomePage

WELCOME = "Welcome to your new Wagtail site!"


def test_creates_the_vietnamese_home_and_its_english_translation(db):
    # Given a fresh installation: Wagtail's welcome page is the site root
    assert Page.objects.filter(title=WELCOME).exists()
    # When the home pages are ensured
    pages = ensure_home_pages()
    # Then the Vietnamese page is the default site's root, the English one its live translation
    site = Site.objects.get(is_default_site=True)
    assert site.root_page.specific == pages.vietnamese
    assert pages.vietnamese.locale.language_code == "vi"
    assert pages.english.locale.language_code == "en"
    assert pages.english.translation_key == pages.vietnamese.translation_key
    assert pages.vietnamese.live and pages.english.live
    assert "Cổng Thông tin điện tử Chính phủ" in pages.vietnamese.intro
    assert "Viet Nam Government Portal" in pages.english.intro
    # And the untouched welcome page is gone
    assert not Page.objects.filter(title=WELCOME).exists()


def test_running_twice_creates_nothing_new(db):
    ensure_home_pages()
    counts = (
        Page.objects.count(),
        Revision.objects.count(),
        Locale.objects.count(),
        Site.objects.count(),
        PageLogEntry.objects.count(),
    )
    again = ensure_home_pages()
    assert counts == (
        Page.objects.count(),
        Revision.objects.count(),
        Locale.objects.count(),
        Site.objects.count(),
        PageLogEntry.objects.count(),
    )
    assert HomePage.objects.count() == 2
    assert again.vietnamese.pk == Site.objects.get(is_default_site=True).root_page_id


def test_a_welcome_page_someone_edited_is_kept(db):
    welcome = Page.objects.get(title=WELCOME)
    welcome.save_revision()  # an editor started working on it
    ensure_home_pages()
    assert Page.objects.filter(pk=welcome.pk).exists()
    assert HomePage.objects.filter(locale__language_code="en").get().live


def test_works_on_an_empty_database(transactional_db):
    # A flushed database (transactional tests) has no root page, locale or site.
    Site.objects.all().delete()
    Page.objects.all().delete()
    Locale.objects.all().delete()
    pages = ensure_home_pages()
    assert Site.objects.get(is_default_site=True).root_page_id == pages.vietnamese.pk
    assert set(Locale.objects.values_list("language_code", flat=True)) == {"vi", "en"}
