"""The portal's starting pages: a Vietnamese home page and its English translation.

``manage.py load_demo`` calls :func:`ensure_home_pages`; the browser tests and the benchmark
call it too. It is idempotent: a second run finds everything in place and changes nothing.
Wagtail records its own page actions (create, publish, copy, delete) in the audit trail; this
module records the changes Wagtail does not log: new locales and the default site's root.
"""

from __future__ import annotations

from typing import NamedTuple

from django.db import transaction
from wagtail.coreutils import find_available_slug
from wagtail.models import Locale, Page, Site

from vgp.audit import trail

from .models import HomePage

SITE_NAME = "Cổng Thông tin điện tử Chính phủ"

# (title, slug, intro) of the home page in each language; the Vietnamese one is the original.
HOME_CONTENT = {
    "vi": (
        "Chào mừng bạn đến với Cổng Thông tin điện tử Chính phủ",
        "trang-chu",
        "<p>Cổng Thông tin điện tử Chính phủ là kênh thông tin chính thức của Chính phủ nước "
        "Cộng hòa xã hội chủ nghĩa Việt Nam trên Internet. Người dân, doanh nghiệp và các cơ "
        "quan tìm tại đây thông tin về hoạt động chỉ đạo, điều hành của Chính phủ và Thủ tướng "
        "Chính phủ, văn bản pháp luật, thủ tục hành chính, và gửi ý kiến của mình đến cơ quan có "
        "thẩm quyền.</p>",
    ),
    "en": (
        "Welcome to the Viet Nam Government Portal",
        "home",
        "<p>The Viet Nam Government Portal is the official channel of the Government of the "
        "Socialist Republic of Viet Nam on the internet. Citizens, businesses and agencies find "
        "here the directions of the Government and the Prime Minister, legal documents and "
        "administrative procedures, and send their views to the competent authorities.</p>",
    ),
}

# What Wagtail's own first migration creates; removed only while nobody has touched it.
_WAGTAIL_WELCOME_TITLE = "Welcome to your new Wagtail site!"


class HomePages(NamedTuple):
    vietnamese: HomePage
    english: HomePage


def _ensure_locale(code: str) -> Locale:
    locale, created = Locale.objects.get_or_create(language_code=code)
    if created:
        trail.record(action="portal.locale_created", obj=locale, summary=f"Locale {code}")
    return locale


def _ensure_root(vi: Locale) -> Page:
    # Wagtail's first migration creates the tree's root; a flushed database (transactional
    # tests, a wiped demo) has none.
    root = Page.get_first_root_node()
    if root is None:
        root = Page.add_root(instance=Page(title="Root", slug="root", locale=vi))
    return root


def _publish(page: HomePage) -> None:
    page.save_revision().publish()
    # publish() saves a copy built from the revision; bring this instance up to date (live).
    page.refresh_from_db()


def _ensure_vietnamese_home(vi: Locale) -> HomePage:
    home = HomePage.objects.filter(locale=vi, depth=2).order_by("path").first()
    if home is not None:
        return home
    title, slug, intro = HOME_CONTENT["vi"]
    root = _ensure_root(vi)
    home = root.add_child(
        instance=HomePage(title=title, slug=find_available_slug(root, slug), intro=intro, locale=vi)
    )
    _publish(home)
    return home


def _ensure_english_home(home: HomePage, en: Locale) -> HomePage:
    english = home.get_translation_or_none(en)
    if english is not None:
        return english.specific
    title, slug, intro = HOME_CONTENT["en"]
    english = home.copy_for_translation(en).specific
    english.title, english.intro = title, intro
    english.slug = find_available_slug(english.get_parent(), slug, ignore_page_id=english.pk)
    english.save()
    _publish(english)
    return english


def _point_default_site_at(home: HomePage) -> None:
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        site = Site.objects.create(
            hostname="localhost", port=80, root_page=home, is_default_site=True, site_name=SITE_NAME
        )
        trail.record(action="portal.site_created", obj=site, summary=str(site))
        return
    if site.root_page_id == home.pk and site.site_name:
        return
    before = trail.snapshot(site, ["root_page", "site_name"])
    site.root_page = home
    site.site_name = site.site_name or SITE_NAME
    site.save(update_fields=["root_page", "site_name"])
    changes = trail.diff(before, trail.snapshot(site, ["root_page", "site_name"]))
    trail.record(action="portal.site_root_changed", obj=site, summary=str(site), changes=changes)


def _remove_untouched_welcome_page() -> None:
    welcome = (
        Page.objects.filter(
            depth=2,
            slug="home",
            title=_WAGTAIL_WELCOME_TITLE,
            content_type__app_label="wagtailcore",
            content_type__model="page",
            numchild=0,
            latest_revision__isnull=True,
        )
        .exclude(sites_rooted_here__isnull=False)
        .first()
    )
    if welcome is None:
        return
    welcome.delete()


def ensure_home_pages() -> HomePages:
    """Create what is missing of the two home pages and the default site; return the pages."""
    with transaction.atomic():
        vi = _ensure_locale("vi")
        en = _ensure_locale("en")
        home = _ensure_vietnamese_home(vi)
        _point_default_site_at(home)
        # Before the English page takes a slug: Wagtail's welcome page holds "home".
        _remove_untouched_welcome_page()
        english = _ensure_english_home(home, en)
    return HomePages(vietnamese=home, english=english)
