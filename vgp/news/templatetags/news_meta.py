"""``{% news_meta page %}``: what a news item tells crawlers and link previews in its head.

Open Graph and Twitter tags for link previews (Facebook, Zalo, X), the canonical address, and
a schema.org ``NewsArticle`` in JSON-LD for search engines. The JSON is escaped the way
Django's ``json_script`` escapes it (``<``, ``>``, ``&`` as ``\\u`` escapes), so no title or
lead can close the script element.
"""

from __future__ import annotations

import json
from typing import Any

from django import template
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest
from django.templatetags.static import static
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from vgp.news import published
from vgp.news.models import NewsItemPage

register = template.Library()

OG_LOCALES = {"vi": "vi_VN", "en": "en_US"}
LOGO = "vgp/img/favicon.svg"
_JSON_SCRIPT_ESCAPES = {
    ord("<"): "\\u003C",
    ord(">"): "\\u003E",
    ord("&"): "\\u0026",
    0x2028: "\\u2028",
    0x2029: "\\u2029",
}


def json_ld(data: dict[str, Any]) -> SafeString:
    """A ``<script type="application/ld+json">`` element that no value can break out of."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    return format_html(
        '<script type="application/ld+json">{}</script>',
        mark_safe(text.translate(_JSON_SCRIPT_ESCAPES)),  # noqa: S308  # escaped just above
    )


def _author(page: NewsItemPage, publisher: dict[str, Any]) -> dict[str, Any]:
    if page.byline:
        return {"@type": "Person", "name": page.byline}
    if page.source_agency is not None:
        return {"@type": "GovernmentOrganization", "name": page.source_agency.name}
    return publisher


def item_metadata(page: NewsItemPage, request: HttpRequest) -> dict[str, Any]:
    """Everything the head needs, computed once; ``json_ld`` is ready to print."""
    language = page.locale.language_code
    canonical = published.page_url(page, request)
    title = page.seo_title or page.title
    description = page.search_description or page.lead
    image = published.social_image_url(page, request)
    section = page.section.title if page.section is not None else ""
    tags = [tag.name for tag in page.tags.all()]
    modified = page.last_published_at or page.date
    publisher = {
        "@type": "GovernmentOrganization",
        "name": str(settings.WAGTAIL_SITE_NAME),
        "url": request.build_absolute_uri("/"),
        "logo": {"@type": "ImageObject", "url": request.build_absolute_uri(static(LOGO))},
    }
    article: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": title,
        "description": description,
        "datePublished": timezone.localtime(page.date),
        "dateModified": timezone.localtime(modified),
        "author": [_author(page, publisher)],
        "publisher": publisher,
        "mainEntityOfPage": {"@type": "WebPage", "@id": canonical},
        "url": canonical,
        "inLanguage": language,
        "isAccessibleForFree": True,
    }
    if image:
        article["image"] = [image]
    if section:
        article["articleSection"] = section
    if tags:
        article["keywords"] = tags
    if page.licence_url():
        article["license"] = page.licence_url()
    return {
        "canonical": canonical,
        "title": title,
        "description": description,
        "image": image,
        "image_alt": page.image_alt() if image else "",
        "og_locale": OG_LOCALES.get(language, language),
        "published_time": page.date,
        "modified_time": modified,
        "section": section,
        "tags": tags,
        "site_name": str(settings.WAGTAIL_SITE_NAME),
        "json_ld": json_ld(article),
    }


@register.inclusion_tag("news/includes/meta.html", takes_context=True)
def news_meta(context: dict[str, Any], page: NewsItemPage) -> dict[str, Any]:
    return {"meta": item_metadata(page, context["request"])}
