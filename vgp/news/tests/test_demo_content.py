"""The demo e-newspaper and the bulk generator for load tests."""

from __future__ import annotations

from django.core.management import call_command
from wagtail.models import Page

from vgp.core.text import fold
from vgp.news import content_generator as gen
from vgp.news.demo import SECTIONS, ensure_sections, generate_articles, load_demo_news
from vgp.news.models import ArticlePage, GalleryPage, NewsItemPage, SectionPage
from vgp.portal.demo import ensure_home_pages


def test_sections_exist_in_both_languages_and_are_linked(db):
    ensure_home_pages()
    sections = ensure_sections()
    assert set(sections) == {spec.slug_vi for spec in SECTIONS}
    for section in sections.values():
        english = section.get_translation_or_none(
            section.locale.__class__.objects.get(language_code="en")
        )
        assert english is not None and english.live
        assert english.translation_key == section.translation_key
    # A second call finds them all.
    count = SectionPage.objects.count()
    ensure_sections()
    assert SectionPage.objects.count() == count == 2 * len(SECTIONS)


def test_demo_news_is_a_realistic_portal_and_loads_once(db):
    ensure_home_pages()
    created = load_demo_news()
    items = NewsItemPage.objects.live()
    vietnamese = items.filter(locale__language_code="vi")
    assert vietnamese.count() >= 200
    assert items.filter(locale__language_code="en").count() >= 40
    assert GalleryPage.objects.live().exists()
    assert vietnamese.values("section").distinct().count() >= 4
    assert not vietnamese.filter(featured_image__isnull=True).exists()
    # Every English item is the translation of a Vietnamese one.
    english = items.filter(locale__language_code="en").first()
    assert english is not None
    assert vietnamese.filter(translation_key=english.translation_key).exists()
    assert english.translation_synced_at is not None
    # Each item is in the search column without diacritics.
    article = ArticlePage.objects.filter(locale__language_code="vi").first()
    assert article is not None
    assert fold(article.title) in article.search_text
    # Editors' top stories on the home page.
    home = ensure_home_pages().vietnamese
    assert home.top_stories.count() == 5
    # Loading again adds nothing.
    assert load_demo_news() == 0
    assert NewsItemPage.objects.count() == created


def test_stories_read_the_same_in_both_languages():
    story = gen.story(7)
    assert story.title_in("vi") != story.title_in("en")
    assert (
        story.topic[0] in story.title_in("vi").lower()
        or story.actor[0] in story.title_in("vi")
        or story.place[0] in story.title_in("vi")
    )
    assert len(story.body_in("vi")) == len(story.body_in("en"))
    assert gen.picture(7) == gen.picture(7)
    assert gen.picture(7) != gen.picture(8)


def test_generate_articles_builds_a_valid_tree(db):
    ensure_home_pages()
    created = generate_articles(60, batch_size=25)
    assert created == 60
    assert ArticlePage.objects.live().count() == 60
    # treebeard's own consistency check: paths, depths and child counts agree.
    assert all(not problems for problems in Page.find_problems())
    article = ArticlePage.objects.order_by("-pk").first()
    assert article is not None
    assert article.section_id == article.get_parent().pk
    assert article.tags.count() == 1
    assert article.search_text
    # Pages created afterwards through Wagtail's own API still fit in the tree.
    section = SectionPage.objects.get(pk=article.section_id)
    later = section.add_child(
        instance=ArticlePage(title="Bài viết thêm", slug="bai-viet-them", lead="Tóm tắt.")
    )
    assert later.path > article.path
    assert all(not problems for problems in Page.find_problems())


def test_generate_articles_command(db, capsys):
    call_command("generate_articles", "12", verbosity=0)
    assert ArticlePage.objects.count() == 12
    assert "Created 12 articles." in capsys.readouterr().out
