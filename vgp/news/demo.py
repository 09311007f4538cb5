"""The e-newspaper's sections and demo content, and the bulk generator for load tests.

``ensure_sections`` creates the sections under both home pages (English ones as translations of
the Vietnamese, so the two editions stay linked). ``load_demo_news`` writes a realistic portal
through Wagtail's normal API (revisions, log entries, audit): about 220 Vietnamese items, an
English translation of some of them, galleries and editors' top stories. ``generate_articles``
inserts many articles at once for load tests, bypassing revisions: 100,000 take minutes, not
hours. All are idempotent or additive as documented per function.
"""

from __future__ import annotations

import datetime as dt
import io
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.files.images import ImageFile
from django.db import reset_queries, transaction
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.models import Collection, Locale, Page

from vgp.agencies.models import Agency
from vgp.core.text import slugify
from vgp.portal.models import HomePage

from . import content_generator as gen
from .models import (
    ArticlePage,
    GalleryImage,
    GalleryPage,
    NewsItemPage,
    NewsItemTag,
    SectionPage,
    Topic,
    TopStory,
)


@dataclass(frozen=True)
class SectionSpec:
    slug_vi: str
    title_vi: str
    slug_en: str
    title_en: str
    intro_vi: str
    intro_en: str
    show_on_home: bool = True


SECTIONS = [
    SectionSpec(
        "tin-tuc",
        "Tin tức",
        "news",
        "News",
        "Tin tức thời sự về hoạt động của Chính phủ và đời sống kinh tế - xã hội.",
        "News on the work of the Government and on economic and social life.",
    ),
    SectionSpec(
        "chi-dao-dieu-hanh",
        "Chỉ đạo, điều hành",
        "directions",
        "Directions",
        "Chỉ đạo, điều hành của Chính phủ và Thủ tướng Chính phủ.",
        "Directions given by the Government and the Prime Minister.",
    ),
    SectionSpec(
        "hoat-dong-lanh-dao",
        "Hoạt động của lãnh đạo",
        "leaders-activities",
        "Leaders' activities",
        "Lịch làm việc và hoạt động của lãnh đạo Chính phủ.",
        "The schedules and activities of the Government's leaders.",
    ),
    SectionSpec(
        "thong-cao-bao-chi",
        "Thông cáo báo chí",
        "press-releases",
        "Press releases",
        "Thông cáo báo chí chính thức của Văn phòng Chính phủ.",
        "Official press releases of the Government Office.",
    ),
    SectionSpec(
        "multimedia",
        "Multimedia",
        "multimedia",
        "Multimedia",
        "Phóng sự ảnh và video.",
        "Photo galleries and videos.",
    ),
    SectionSpec(
        "tin-bo-nganh-dia-phuong",
        "Tin từ bộ, ngành, địa phương",
        "from-ministries-and-provinces",
        "From ministries and provinces",
        "Tin do các bộ, ngành và địa phương gửi đến Cổng.",
        "News sent to the portal by ministries, sectors and provinces.",
    ),
]
SYNDICATION_SECTION_SLUG = "tin-bo-nganh-dia-phuong"

DEMO_ITEMS = 220
ENGLISH_EVERY = 5  # one item in five also has an English version
GALLERIES = 6
IMAGE_POOL = 24


def _locale(code: str) -> Locale:
    return Locale.objects.get(language_code=code)


def _home(locale: Locale) -> HomePage:
    home = HomePage.objects.filter(locale=locale).order_by("path").first()
    if home is None:
        raise RuntimeError("Create the home pages first (vgp.portal.demo.ensure_home_pages).")
    return home


def ensure_sections() -> dict[str, SectionPage]:
    """The Vietnamese sections by slug (and their English translations), created if missing."""
    vi, en = _locale("vi"), _locale("en")
    home = _home(vi)
    sections: dict[str, SectionPage] = {}
    with transaction.atomic():
        for spec in SECTIONS:
            section = SectionPage.objects.child_of(home).filter(slug=spec.slug_vi).first()
            if section is None:
                section = home.add_child(
                    instance=SectionPage(
                        title=spec.title_vi,
                        slug=spec.slug_vi,
                        intro=spec.intro_vi,
                        show_on_home=spec.show_on_home,
                        locale=vi,
                    )
                )
                section.save_revision().publish()
            sections[spec.slug_vi] = section
            if section.get_translation_or_none(en) is None:
                english = section.copy_for_translation(en).specific
                _set_slug(english, spec.slug_en)
                english.title, english.intro = spec.title_en, spec.intro_en
                english.save()
                english.save_revision().publish()
    return sections


def _image_pool(count: int = IMAGE_POOL) -> list:
    """Generated pictures, made once and reused (titled so a second run finds them)."""
    image_model = get_image_model()
    collection = Collection.get_first_root_node()
    pool = []
    for number in range(count):
        title = f"Ảnh minh họa {number + 1:02d}"
        image = image_model.objects.filter(title=title).first()
        if image is None:
            image = image_model(
                title=title,
                collection=collection,
                file=ImageFile(
                    io.BytesIO(gen.picture(number)), name=f"minh-hoa-{number + 1:02d}.jpg"
                ),
            )
            if hasattr(image, "description"):
                image.description = "Tranh minh họa: phố phường và bầu trời"
            image.save()
        pool.append(image)
    return pool


def _topic(name: str) -> Topic:
    topic = Topic.objects.filter(name__iexact=name).first()
    return topic or Topic.objects.create(name=name)


def _agencies() -> dict[str, Agency]:
    """The agency that sends each story: the ministry the story is about, else the Government
    Office (the portal's own newsroom)."""
    by_name = {agency.name_vi: agency for agency in Agency.objects.all()}
    office = by_name.get("Văn phòng Chính phủ")
    sources: dict[str, Agency] = {}
    for actor, _english in gen.ACTORS:
        agency = by_name.get(actor) or office
        if agency is not None:
            sources[actor] = agency
    return sources


def _set_slug(page: Page, slug: str) -> None:
    """Give a fresh, never-published translation its own slug without the redirect Wagtail
    would create for a renamed page (nobody ever saw the copied slug)."""
    url_path = f"{page.get_parent().url_path}{slug}/"
    Page.objects.filter(pk=page.pk).update(slug=slug, url_path=url_path)
    page.slug, page.url_path = slug, url_path


def _publish(page: Page, when: dt.datetime) -> None:
    revision = page.save_revision()
    revision.publish()
    Page.objects.filter(pk=page.pk).update(first_published_at=when, last_published_at=when)


def load_demo_news(now: dt.datetime | None = None) -> int:
    """Write the demo e-newspaper once; a second call finds it and writes nothing. Returns how
    many items were created."""
    sections = ensure_sections()
    if NewsItemPage.objects.exists():
        return 0
    now = now or timezone.now()
    en = _locale("en")
    images = _image_pool()
    agencies = _agencies()
    regular = [
        s for slug, s in sections.items() if slug not in ("multimedia", SYNDICATION_SECTION_SLUG)
    ]
    created = 0
    stories: list[NewsItemPage] = []
    with transaction.atomic():
        for number in range(DEMO_ITEMS):
            item = gen.story(number)
            section = regular[number % len(regular)]
            when = now - dt.timedelta(hours=number * 5 + 1)
            page = ArticlePage(
                title=item.title_in("vi"),
                slug=f"{slugify(item.title_in('vi'), 70)}-{number + 1}",
                lead=item.lead_in("vi"),
                body=item.body_in("vi"),
                date=when,
                byline=item.byline,
                source_agency=agencies.get(item.actor[0]),
                featured_image=images[number % len(images)],
                locale=section.locale,
            )
            page.tags.add(_topic(item.topic_in("vi")))
            section.add_child(instance=page)
            _publish(page, when)
            stories.append(page)
            created += 1
            if number % ENGLISH_EVERY == 0:
                english = page.copy_for_translation(en, copy_parents=False).specific
                english.title = item.title_in("en")
                _set_slug(english, f"{slugify(item.title_in('en'), 70)}-{number + 1}")
                english.lead = item.lead_in("en")
                english.body = item.body_in("en")
                english.translation_synced_at = now
                english.tags.set([_topic(item.topic_in("en"))])
                english.save()
                _publish(english, when)
                created += 1
        multimedia = sections["multimedia"]
        for number in range(GALLERIES):
            item = gen.story(10_000 + number)
            when = now - dt.timedelta(hours=number * 20 + 3)
            gallery = GalleryPage(
                title=f"Phóng sự ảnh: {item.title_in('vi')}",
                slug=f"phong-su-anh-{number + 1}",
                lead=item.lead_in("vi"),
                date=when,
                byline=item.byline,
                featured_image=images[(number * 3) % len(images)],
                locale=multimedia.locale,
            )
            for offset in range(6):
                gallery.gallery_images.add(
                    GalleryImage(
                        image=images[(number * 3 + offset) % len(images)],
                        caption=f"{gen.PLACES[(number + offset) % len(gen.PLACES)][0]}: "
                        f"{gen.TOPICS[(number + offset) % len(gen.TOPICS)][0]}",
                        credit=gen.BYLINES[offset % len(gen.BYLINES)],
                    )
                )
            multimedia.add_child(instance=gallery)
            _publish(gallery, when)
            created += 1
        home = _home(_locale("vi"))
        for order, story in enumerate(stories[:5]):
            TopStory.objects.create(page=home, story=story, sort_order=order)
        home.save_revision().publish()
    return created


# --- bulk generation for load tests ------------------------------------------------------------
def _batches(total: int, size: int) -> Iterator[tuple[int, int]]:
    for start in range(0, total, size):
        yield start, min(size, total - start)


def generate_articles(
    total: int,
    *,
    batch_size: int = 1000,
    progress: Callable[[int], None] | None = None,
    seed_offset: int | None = None,
) -> int:
    """Insert ``total`` live Vietnamese articles spread over the regular sections.

    Rows go straight into the tables in batches (Page, NewsItemPage, ArticlePage, tags): no
    revisions, no log entries, no search-index update, as load-test data needs none of them.
    Tree paths are computed as treebeard would. Returns how many were created.
    """
    sections = ensure_sections()
    regular = [
        s for slug, s in sections.items() if slug not in ("multimedia", SYNDICATION_SECTION_SLUG)
    ]
    images = _image_pool()
    agencies = _agencies()
    topics = {name: _topic(name) for name, _ in gen.TOPICS}
    content_type = ContentType.objects.get_for_model(ArticlePage)
    start_seed = (
        seed_offset if seed_offset is not None else 1_000_000 + NewsItemPage.objects.count()
    )
    now = timezone.now()
    item_fields = list(NewsItemPage._meta.local_concrete_fields)
    article_fields = list(ArticlePage._meta.local_concrete_fields)
    done = 0
    for start, size in _batches(total, batch_size):
        with transaction.atomic():
            per_section: dict[int, list[tuple[int, gen.Story]]] = {}
            for offset in range(size):
                number = start + offset
                per_section.setdefault(number % len(regular), []).append(
                    (start_seed + number, gen.story(start_seed + number))
                )
            for index, entries in per_section.items():
                section = SectionPage.objects.select_for_update().get(pk=regular[index].pk)
                last = section.get_last_child()
                position = Page._str2int(last.path[-Page.steplen :]) if last else 0
                pages, items, articles, tags = [], [], [], []
                for seed, item in entries:
                    position += 1
                    title = item.title_in("vi")
                    when = now - dt.timedelta(minutes=(seed - start_seed) * 7)
                    slug = f"{slugify(title, 60)}-{seed}"
                    page = Page(
                        title=title,
                        draft_title=title,
                        slug=slug,
                        content_type=content_type,
                        live=True,
                        has_unpublished_changes=False,
                        url_path=f"{section.url_path}{slug}/",
                        locale_id=section.locale_id,
                        translation_key=uuid.uuid4(),
                        first_published_at=when,
                        last_published_at=when,
                        path=Page._get_path(section.path, section.depth + 1, position),
                        depth=section.depth + 1,
                        numchild=0,
                    )
                    pages.append((page, item, when, seed))
                Page.objects.bulk_create([p for p, *_ in pages], batch_size=500)
                for page, item, when, seed in pages:
                    topic = topics[item.topic_in("vi")]
                    article = ArticlePage(
                        page_ptr_id=page.pk,
                        newsitempage_ptr_id=page.pk,
                        lead=item.lead_in("vi"),
                        body=item.body_in("vi"),
                        date=when,
                        byline=item.byline,
                        source_agency=agencies.get(item.actor[0]),
                        featured_image=images[seed % len(images)],
                        section_id=section.pk,
                        search_text=_folded(item, topic.name),
                        changed_at=when,
                    )
                    items.append(article)
                    articles.append(article)
                    tags.append(NewsItemTag(tag=topic, content_object_id=page.pk))
                NewsItemPage._base_manager._insert(items, fields=item_fields, raw=True)
                ArticlePage._base_manager._insert(articles, fields=article_fields, raw=True)
                NewsItemTag.objects.bulk_create(tags, batch_size=500)
                SectionPage.objects.filter(pk=section.pk).update(
                    numchild=section.numchild + len(pages)
                )
                done += len(pages)
        reset_queries()  # with DEBUG on, Django keeps every query: 100,000 rows would pile up
        if progress:
            progress(size)
    from vgp.portal import page_cache

    page_cache.purge()
    return done


def _folded(item: gen.Story, topic: str) -> str:
    from vgp.core.text import fold

    return fold(
        " ".join(
            [item.title_in("vi"), item.lead_in("vi"), item.byline, topic, item.plain_body_in("vi")]
        )
    )
