"""Rich text crossing the portal's border: HTML from agencies' systems, HTML for them.

Incoming HTML is untrusted. Elements that carry code or foreign content are dropped with
everything inside them, ``data-*`` and event attributes are removed (so nobody can forge a
link to an internal page by its id), and what remains goes through the rich text editor's
own converter limited to the article body's features: the result is exactly what an editor
could have typed. Headings become heading blocks, the rest paragraph blocks.

Outgoing rich text (the articles API) is expanded with addresses resolved in bulk by the
caller and passed through an allow-list again, so that content imported by other means
cannot smuggle markup out either.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from bs4 import BeautifulSoup, NavigableString, Tag
from django.utils.html import escape
from wagtail.admin.rich_text.converters.editor_html import EditorHTMLConverter
from wagtail.rich_text import RichText
from wagtail.rich_text.rewriters import FIND_A_TAG, LinkRewriter, extract_attrs
from wagtail.whitelist import Whitelister, allow_without_attributes, attribute_rule, check_url

from .blocks import RICH_TEXT_FEATURES

# Dropped together with their content: code, styles, embedded documents, forms, media.
_DROP_WITH_CONTENT = frozenset(
    [
        "script",
        "style",
        "template",
        "noscript",
        "iframe",
        "frame",
        "frameset",
        "object",
        "embed",
        "applet",
        "svg",
        "math",
        "head",
        "title",
        "meta",
        "link",
        "base",
        "form",
        "input",
        "button",
        "select",
        "option",
        "textarea",
        "canvas",
        "audio",
        "video",
        "picture",
        "source",
        "track",
        "map",
    ]
)
_HEADINGS = {"h1": "h2", "h2": "h2", "h3": "h3", "h4": "h3", "h5": "h3", "h6": "h3"}
_BLOCK_LEVEL = frozenset(
    [
        "p",
        "div",
        "ul",
        "ol",
        "li",
        "table",
        "thead",
        "tbody",
        "tr",
        "td",
        "th",
        "blockquote",
        "section",
        "article",
        "aside",
        "header",
        "footer",
        "figure",
        "figcaption",
        "pre",
        "hr",
        "dl",
        "dt",
        "dd",
        "main",
        "nav",
        "address",
    ]
)
HEADING_MAX_LENGTH = 200
_EMPTY_PARAGRAPH = re.compile(r"<p>(?:\s|&nbsp;|<br/?>)*</p>")

_converter = EditorHTMLConverter(features=RICH_TEXT_FEATURES)


def _strip_unsafe(soup: BeautifulSoup) -> None:
    for tag in soup.find_all(True):
        if not isinstance(tag, Tag) or tag.decomposed:
            continue
        if tag.name in _DROP_WITH_CONTENT:
            tag.decompose()
            continue
        for name in list(tag.attrs):
            if name.startswith(("data-", "on")):
                del tag[name]


def _wrap_loose_inline(soup: BeautifulSoup) -> None:
    """Put top-level text and inline elements into paragraphs, as the editor would."""
    run: list[Any] = []

    def close_run() -> None:
        if run and "".join(str(node) for node in run).strip():
            paragraph = soup.new_tag("p")
            run[0].insert_before(paragraph)
            for node in run:
                paragraph.append(node.extract())
        run.clear()

    for node in list(soup.contents):
        if isinstance(node, Tag) and (node.name in _BLOCK_LEVEL or node.name in _HEADINGS):
            close_run()
        elif isinstance(node, NavigableString | Tag):
            run.append(node)
    close_run()


def _paragraph(nodes: list[Any]) -> RichText | None:
    html = _converter.to_database_format("".join(str(node) for node in nodes))
    # Paragraphs left empty by what was removed (an image alone, a script).
    html = _EMPTY_PARAGRAPH.sub("", html).strip()
    text = BeautifulSoup(html, "html.parser").get_text().strip()
    return RichText(html) if text else None


def body_blocks(html: str) -> list[tuple[str, Any]]:
    """StreamField data for an article body from untrusted HTML (see the module docstring)."""
    soup = BeautifulSoup(html or "", "html.parser")
    _strip_unsafe(soup)
    _wrap_loose_inline(soup)
    blocks: list[tuple[str, Any]] = []
    pending: list[Any] = []

    def flush() -> None:
        paragraph = _paragraph(pending)
        if paragraph is not None:
            blocks.append(("paragraph", paragraph))
        pending.clear()

    for node in list(soup.contents):
        if isinstance(node, Tag) and node.name in _HEADINGS:
            flush()
            text = " ".join(node.get_text(" ").split())[:HEADING_MAX_LENGTH]
            if text:
                blocks.append(("heading", {"text": text, "level": _HEADINGS[node.name]}))
        else:
            pending.append(node)
    flush()
    return blocks


# --- outgoing --------------------------------------------------------------------------------


def linked_ids(db_html: str) -> dict[str, set[int]]:
    """The ids of pages and documents that stored rich text links to, by link type."""
    found: dict[str, set[int]] = {"page": set(), "document": set()}
    for match in FIND_A_TAG.finditer(db_html or ""):
        attrs = extract_attrs(match.group(1))
        kind, raw_id = attrs.get("linktype"), attrs.get("id", "")
        if kind in found and raw_id.isdigit():
            found[kind].add(int(raw_id))
    return found


class _OutputWhitelister(Whitelister):
    def __init__(self, absolute: Callable[[str], str]) -> None:
        def href(value: str) -> str | None:
            checked = check_url(value)
            return absolute(checked) if checked else None

        self.element_rules = {
            "[document]": allow_without_attributes,
            "a": attribute_rule({"href": href}),
            **dict.fromkeys(
                ["p", "br", "b", "strong", "i", "em", "sup", "sub", "ul", "ol", "li"],
                allow_without_attributes,
            ),
        }

    def clean_tag_node(self, doc: Any, tag: Any) -> None:
        if tag.name in _DROP_WITH_CONTENT:
            tag.decompose()
            return
        super().clean_tag_node(doc, tag)


class RichTextExpander:
    """Stored rich text → safe HTML with absolute links, from addresses resolved in bulk."""

    def __init__(
        self,
        *,
        page_urls: Mapping[int, str],
        document_urls: Mapping[int, str],
        absolute: Callable[[str], str],
    ) -> None:
        def link(urls: Mapping[int, str]) -> Callable[[dict[str, str]], str]:
            def rule(attrs: dict[str, str]) -> str:
                raw_id = attrs.get("id", "")
                url = urls.get(int(raw_id)) if raw_id.isdigit() else None
                return f'<a href="{escape(url)}">' if url else "<a>"

            return rule

        self._rewrite = LinkRewriter(
            rules={"page": link(page_urls), "document": link(document_urls)}
        )
        self._whitelister = _OutputWhitelister(absolute)

    def __call__(self, db_html: str) -> str:
        return str(self._whitelister.clean(self._rewrite(db_html or "")))
